package io.gigflow.order;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.InsufficientBalanceException;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.TimeSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Service;

/**
 * What each step of the service-order process does. Every step reads the order from its
 * row (not from variables a REST caller could have changed), changes it under a row lock,
 * and mirrors the status and the due date into the process variables.
 */
@Service
class OrderSteps {

    static final String REF_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private final ServiceOrderRepository orders;
    private final ServiceCatalog catalog;
    private final OrderSettings settings;
    private final Parties parties;
    private final Grants grants;
    private final Ledger ledger;
    private final NotificationService notifications;
    private final FaultInjector faults;
    private final CurrentUser currentUser;
    private final TimeSource time;

    OrderSteps(ServiceOrderRepository orders, ServiceCatalog catalog, OrderSettings settings, Parties parties, Grants grants,
            Ledger ledger, NotificationService notifications, FaultInjector faults, CurrentUser currentUser, TimeSource time) {
        this.orders = orders;
        this.catalog = catalog;
        this.settings = settings;
        this.parties = parties;
        this.grants = grants;
        this.ledger = ledger;
        this.notifications = notifications;
        this.faults = faults;
        this.currentUser = currentUser;
        this.time = time;
    }

    /** Validates the start, stores the order with its options and charges base price and options into escrow. */
    void placeOrder(DelegateExecution execution) {
        FieldErrors errors = new FieldErrors();
        String customerId = errors.requiredText(ServiceOrderProcess.VAR_CUSTOMER_ID, execution.getVariable(ServiceOrderProcess.VAR_CUSTOMER_ID), 64);
        if (customerId != null && !parties.isCustomer(customerId)) {
            errors.add(ServiceOrderProcess.VAR_CUSTOMER_ID, "exists", "no customer " + customerId);
        }
        String serviceRef = errors.requiredText(ServiceOrderProcess.VAR_SERVICE_REF, execution.getVariable(ServiceOrderProcess.VAR_SERVICE_REF), 64);
        ServiceCatalog.Offering offering = serviceRef == null ? null : catalog.find(serviceRef).orElse(null);
        if (serviceRef != null && offering == null) {
            errors.add(ServiceOrderProcess.VAR_SERVICE_REF, "exists", "no service " + serviceRef);
        }
        List<ServiceCatalog.Option> chosen = chosenOptions(errors, execution.getVariable(ServiceOrderProcess.VAR_OPTION_IDS), offering);
        String startDeadline = duration(errors, ServiceOrderProcess.VAR_START_DEADLINE,
                execution.getVariable(ServiceOrderProcess.VAR_START_DEADLINE), settings.startDeadline());
        String businessKey = execution.getProcessBusinessKey();
        if (businessKey != null && !businessKey.matches(REF_PATTERN)) {
            errors.add("businessKey", "format", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        } else if (businessKey != null && orders.refExists(businessKey)) {
            errors.add("businessKey", "unique", "an order " + businessKey + " exists already");
        }
        if (offering != null && customerId != null && offering.providerId().equals(customerId)) {
            errors.add(ServiceOrderProcess.VAR_CUSTOMER_ID, "distinct", "a provider cannot order its own service");
        }
        errors.throwIfAny("Invalid order");
        String caller = currentUser.id().orElse(null);
        if (caller != null && !caller.equals(customerId)) {
            throw new AuthorizationException(caller + " may place orders only for itself, not for " + customerId);
        }
        String ref = businessKey == null ? orders.nextRef() : businessKey;
        if (businessKey == null) {
            execution.setProcessBusinessKey(ref);
        }
        OffsetDateTime now = time.now();
        long id = orders.insert(ref, offering, customerId, execution.getProcessInstanceId(), now);
        Money total = offering.basePrice();
        for (ServiceCatalog.Option option : chosen) {
            orders.addOption(id, option);
            total = total.plus(option.price());
        }
        try {
            ledger.transfer(ServiceOrderProcess.reference(ref) + ":payment", AccountRef.user(customerId),
                    AccountRef.escrow(ServiceOrderProcess.reference(ref)), total, "Order " + ref + ": " + offering.title());
        } catch (InsufficientBalanceException e) {
            throw InvalidInputException.of("Order not placed", "balance", "sufficient",
                    "the customer's balance holds " + e.available() + ", the order costs " + total);
        }
        orders.addEvent(id, now, currentUser.actor(), "PLACED", total + (chosen.isEmpty() ? "" : " with " + names(chosen)));
        grants.userMayReadInstance(customerId, execution.getProcessInstanceId());
        grants.userMayReadInstance(offering.providerId(), execution.getProcessInstanceId());
        execution.setVariable(ServiceOrderProcess.VAR_PROVIDER_ID, offering.providerId());
        execution.setVariable(ServiceOrderProcess.VAR_START_DEADLINE, startDeadline);
        execution.setVariable(ServiceOrderProcess.VAR_REQUEST_ANSWER_TIMEOUT, settings.requestAnswerTimeout());
        execution.setVariable(ServiceOrderProcess.VAR_CONFIRMATION_TIMEOUT, settings.confirmationTimeout());
        execution.setVariable(ServiceOrderProcess.VAR_TITLE, offering.title());
        execution.setVariable(ServiceOrderProcess.VAR_TOTAL, total.toDecimalString());
        execution.setVariable(ServiceOrderProcess.VAR_CURRENCY, total.currencyCode());
        execution.setVariable(ServiceOrderProcess.VAR_OPTIONS_TEXT, chosen.isEmpty() ? "none" : names(chosen));
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.AWAITING_START.name());
    }

    void checkStartWork(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        if (!Boolean.TRUE.equals(execution.getVariable(ServiceOrderProcess.VAR_START_WORK))) {
            throw InvalidInputException.of("Invalid start", ServiceOrderProcess.VAR_START_WORK, "true",
                    "must be true to start work");
        }
    }

    /** The provider started: the due date is start + base days + the options' days. */
    void beginWork(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        OffsetDateTime now = time.now();
        int days = order.baseDays() + orders.options(order).stream().mapToInt(ServiceOrderRepository.OrderOption::extraDays).sum();
        OffsetDateTime due = now.plusDays(days);
        orders.update(order.ref(), "status = 'IN_PROGRESS', started_at = :started, due_at = :due", now, "started", now, "due", due);
        orders.addEvent(order.id(), now, currentUser.actor(), "STARTED", "due " + due);
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.IN_PROGRESS.name());
        execution.setVariable(ServiceOrderProcess.VAR_DUE_DATE, Date.from(due.toInstant()));
    }

    /** Past the due date while work is still owed: the order is late, and the customer may cancel it. */
    void markLate(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        if (order.late() || order.status() != OrderStatus.IN_PROGRESS || order.dueAt().isAfter(time.now())) {
            return;
        }
        orders.update(order.ref(), "late = true", time.now());
        orders.addEvent(order.id(), time.now(), currentUser.actor(), "LATE", "due " + order.dueAt());
        // an order can become late again after its due date moved: each time is its own notification
        notifications.notifyAll(List.of(order.customerId(), order.providerId()), "ORDER_LATE", order.reference(), execution.getActivityInstanceId(),
                "Order " + order.ref() + " is late",
                "The order \"" + order.title() + "\" (" + order.ref() + ") was due " + order.dueAt()
                        + ". The customer may now cancel it for a full refund.");
    }

    /** The customer cancels a late order: only the customer, only while late. */
    void cancelLateOrder(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        String caller = currentUser.id().orElse(null);
        if (caller != null && !caller.equals(order.customerId())) {
            throw new AuthorizationException(caller + " is not the customer of order " + order.ref());
        }
        if (!order.late()) {
            throw new ConflictException("Order " + order.ref() + " is not late (due " + order.dueAt() + "); only a late order can be cancelled");
        }
        orders.update(order.ref(), "cancel_reason = 'LATE'", time.now());
        orders.addEvent(order.id(), time.now(), currentUser.actor(), "CANCELLATION_REQUESTED", "late");
    }

    /** Everything in escrow back to the customer: when the provider never started, or the customer cancels a late order. */
    void refundCustomer(DelegateExecution execution, String reason) {
        ServiceOrder order = locked(execution);
        // money moves only for the state that justifies it, whatever path led here
        boolean justified = order.status() == OrderStatus.CANCELLED
                || ("NOT_STARTED".equals(reason) && order.status() == OrderStatus.AWAITING_START)
                || ("LATE".equals(reason) && "LATE".equals(order.cancelReason()) && order.late());
        if (!justified) {
            throw new IllegalStateException("order " + order.ref() + " (" + order.status() + ") cannot be refunded as " + reason);
        }
        faults.check(FaultInjector.LEDGER_TRANSFER);
        String key = order.reference() + ":refund";
        if (ledger.findTransfer(key).isEmpty()) {
            Money held = ledger.balance(AccountRef.escrow(order.reference()), order.basePrice().currency());
            if (held.isPositive()) {
                ledger.transfer(key, AccountRef.escrow(order.reference()), AccountRef.user(order.customerId()), held,
                        "Order " + order.ref() + " refunded (" + reason + ")");
            }
        }
        if (order.status() != OrderStatus.CANCELLED) {
            orders.update(order.ref(), "status = 'CANCELLED', cancel_reason = :reason", time.now(), "reason", reason);
            orders.addEvent(order.id(), time.now(), currentUser.actor(), "CANCELLED", reason + ", refunded");
            execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.CANCELLED.name());
        }
    }

    /** "Add to Service": checks the request, stores it and pauses the order (no delivery, the clock stops). */
    void registerExtraRequest(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        String caller = currentUser.id().orElse(null);
        if (caller != null && !caller.equals(order.customerId())) {
            throw new AuthorizationException(caller + " is not the customer of order " + order.ref());
        }
        FieldErrors errors = new FieldErrors();
        String description = errors.requiredText(ServiceOrderProcess.VAR_EXTRA_DESCRIPTION,
                execution.getVariable(ServiceOrderProcess.VAR_EXTRA_DESCRIPTION), 2000);
        Object rawDays = execution.getVariable(ServiceOrderProcess.VAR_EXTRA_DAYS);
        int days = 0;
        if (!(rawDays instanceof Integer || rawDays instanceof Long || rawDays instanceof Short)) {
            errors.add(ServiceOrderProcess.VAR_EXTRA_DAYS, rawDays == null ? "required" : "type",
                    "must be a whole number of days (Integer), 0 to " + ServiceCatalog.MAX_DAYS);
        } else {
            days = ServiceCatalog.days(errors, ServiceOrderProcess.VAR_EXTRA_DAYS, ((Number) rawDays).intValue(), 0);
        }
        Money price = MoneyInput.positive(execution.getVariable(ServiceOrderProcess.VAR_EXTRA_PRICE), order.basePrice().currencyCode(),
                ServiceOrderProcess.VAR_EXTRA_PRICE, "currency", errors);
        errors.throwIfAny("Invalid extra request");
        OffsetDateTime now = time.now();
        long id = orders.addRequest(order.id(), description, days, price, now);
        orders.update(order.ref(), "status = 'PAUSED', paused_at = :now", now);
        orders.addEvent(order.id(), now, currentUser.actor(), "EXTRA_REQUESTED", "#" + id + ": " + price + ", +" + days + " days");
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.PAUSED.name());
    }

    void checkRequestDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        oneOf(errors, execution, ServiceOrderProcess.VAR_REQUEST_DECISION, ServiceOrderProcess.ACCEPT, ServiceOrderProcess.DECLINE);
        errors.optionalText(ServiceOrderProcess.VAR_REQUEST_DECLINE_REASON, execution.getVariable(ServiceOrderProcess.VAR_REQUEST_DECLINE_REASON), 1000);
        errors.throwIfAny("Invalid answer");
    }

    /** Accepted: the customer pays the extra into escrow; the due date moves by the extra days and the paused time. */
    void acceptExtraRequest(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        ServiceOrderRepository.Request request = orders.pendingRequest(order).orElseThrow();
        try {
            ledger.transfer(order.reference() + ":extra:" + request.id(), AccountRef.user(order.customerId()),
                    AccountRef.escrow(order.reference()), request.price(), "Order " + order.ref() + ": extra request #" + request.id());
        } catch (InsufficientBalanceException e) {
            throw new BpmnError(ServiceOrderProcess.ERROR_INSUFFICIENT_BALANCE,
                    "Declined: the customer's balance holds " + e.available() + ", the extra costs " + request.price());
        }
        resume(execution, order, request, "ACCEPTED", null, request.extraDays());
    }

    /** Declined by the provider, or unanswered in time: work resumes, the due date moves by the paused time. */
    void resolveExtraRequest(DelegateExecution execution, String resolution) {
        ServiceOrder order = locked(execution);
        ServiceOrderRepository.Request request = orders.pendingRequest(order).orElseThrow();
        String reason = "EXPIRED".equals(resolution) ? "Not answered within " + settings.requestAnswerTimeout()
                : (String) execution.getVariable(ServiceOrderProcess.VAR_REQUEST_DECLINE_REASON);
        resume(execution, order, request, resolution, reason, 0);
        execution.removeVariable(ServiceOrderProcess.VAR_REQUEST_DECLINE_REASON);
    }

    private void resume(DelegateExecution execution, ServiceOrder order, ServiceOrderRepository.Request request, String status,
            String reason, int extraDays) {
        OffsetDateTime now = time.now();
        long paused = Math.max(0, Duration.between(order.pausedAt(), now).getSeconds());
        OffsetDateTime due = order.dueAt().plusSeconds(paused).plusDays(extraDays);
        boolean late = order.late() && !due.isAfter(now);
        orders.answerRequest(request.id(), status, reason, paused, now);
        orders.update(order.ref(), "status = 'IN_PROGRESS', paused_at = null, due_at = :due, late = :late", now, "due", due, "late", late);
        orders.addEvent(order.id(), now, currentUser.actor(), "EXTRA_" + status, "#" + request.id()
                + (reason == null ? "" : ": " + reason) + "; due " + due);
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.IN_PROGRESS.name());
        execution.setVariable(ServiceOrderProcess.VAR_DUE_DATE, Date.from(due.toInstant()));
    }

    /** The provider delivered: a message and, uploaded through the API, an optional attachment of this order. */
    void recordDelivery(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        FieldErrors errors = new FieldErrors();
        String message = errors.requiredText(ServiceOrderProcess.VAR_DELIVERY_MESSAGE, execution.getVariable(ServiceOrderProcess.VAR_DELIVERY_MESSAGE), 5000);
        Object fileId = execution.getVariable(ServiceOrderProcess.VAR_DELIVERY_FILE_ID);
        if (fileId != null && !(fileId instanceof Number number
                && orders.file(number.longValue()).filter(f -> f.orderId() == order.id()).isPresent())) {
            errors.add(ServiceOrderProcess.VAR_DELIVERY_FILE_ID, "exists", "no attachment " + fileId + " of order " + order.ref());
        }
        errors.throwIfAny("Invalid delivery");
        OffsetDateTime now = time.now();
        orders.update(order.ref(), "status = 'DELIVERED', delivered_at = :now, delivery_message = :message", now, "message", message);
        orders.addEvent(order.id(), now, currentUser.actor(), "DELIVERED", fileId == null ? null : "with attachment " + fileId);
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.DELIVERED.name());
    }

    void checkDeliveryDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        oneOf(errors, execution, ServiceOrderProcess.VAR_DELIVERY_DECISION, ServiceOrderProcess.CONFIRM, ServiceOrderProcess.REVISION);
        errors.optionalText(ServiceOrderProcess.VAR_REVISION_REASON, execution.getVariable(ServiceOrderProcess.VAR_REVISION_REASON), 2000);
        errors.throwIfAny("Invalid answer");
        ServiceOrder order = locked(execution);
        if (ServiceOrderProcess.CONFIRM.equals(execution.getVariable(ServiceOrderProcess.VAR_DELIVERY_DECISION))) {
            orders.addEvent(order.id(), time.now(), currentUser.actor(), "CONFIRMED", null);
        }
    }

    /** The customer sends the delivery back: work goes on, against the same due date. */
    void requestRevision(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        Object reason = execution.getVariable(ServiceOrderProcess.VAR_REVISION_REASON);
        orders.update(order.ref(), "status = 'IN_PROGRESS', delivered_at = null", time.now());
        orders.addEvent(order.id(), time.now(), currentUser.actor(), "REVISION_REQUESTED", reason == null ? null : reason.toString());
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.IN_PROGRESS.name());
    }

    /** Confirmed, or not answered in time: everything in escrow goes to the provider. */
    void releaseEscrow(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        if (order.status() != OrderStatus.DELIVERED && order.status() != OrderStatus.DONE) {
            throw new IllegalStateException("order " + order.ref() + " is " + order.status() + ": its escrow is released only after delivery");
        }
        faults.check(FaultInjector.LEDGER_TRANSFER);
        String key = order.reference() + ":release";
        if (ledger.findTransfer(key).isEmpty()) {
            Money held = ledger.balance(AccountRef.escrow(order.reference()), order.basePrice().currency());
            ledger.transfer(key, AccountRef.escrow(order.reference()), AccountRef.user(order.providerId()), held,
                    "Order " + order.ref() + " completed: " + order.title());
        }
        if (order.status() != OrderStatus.DONE) {
            boolean confirmed = orders.events(order.id()).stream().anyMatch(e -> "CONFIRMED".equals(e.event()));
            orders.update(order.ref(), "status = 'DONE'", time.now());
            orders.addEvent(order.id(), time.now(), currentUser.actor(), "DONE", confirmed ? "confirmed by the customer"
                    : "completed automatically after " + settings.confirmationTimeout());
            execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.DONE.name());
        }
    }

    void notifyParties(DelegateExecution execution, String notice) {
        ServiceOrder order = locked(execution);
        // events that repeat (requests, deliveries, revisions) are told apart by the step's activity
        // instance; a retried step rolled its notification back with everything else
        String occurrence = execution.getActivityInstanceId();
        String what = "\"" + order.title() + "\" (" + order.ref() + ")";
        switch (notice) {
            case "ORDER_PLACED" -> notifications.notify(order.providerId(), notice, order.reference(), "New order: " + order.title(),
                    "A customer ordered " + what + ". Start work within " + settings.startDeadline() + " or the order is cancelled.");
            case "ORDER_CANCELLED_NOT_STARTED" -> notifyBoth(order, notice, "Order cancelled: " + order.title(),
                    "Work on " + what + " was not started in time. The order is cancelled and the customer refunded in full.");
            case "WORK_STARTED" -> notifications.notify(order.customerId(), notice, order.reference(), "Work started: " + order.title(),
                    "The provider started work on " + what + ". Delivery is due " + order.dueAt() + ".");
            case "EXTRA_REQUESTED" -> notifications.notify(order.providerId(), notice, order.reference(), occurrence,
                    "Extra request on " + order.title(), "The customer asks for more on " + what + ". Accept or decline it.");
            case "EXTRA_ANSWERED" -> {
                ServiceOrderRepository.Request request = orders.requests(order).get(orders.requests(order).size() - 1);
                notifications.notify(order.customerId(), notice, order.reference(), occurrence,
                        "Extra request " + request.status().toLowerCase() + ": " + order.title(),
                        "Your request on " + what + " was " + request.status().toLowerCase()
                                + (request.answerReason() == null ? "" : " (" + request.answerReason() + ")") + ". Delivery is due " + order.dueAt() + ".");
            }
            case "ORDER_DELIVERED" -> notifications.notify(order.customerId(), notice, order.reference(), occurrence,
                    "Delivered: " + order.title(), "The provider delivered " + what + ". Confirm it, or ask for a revision.");
            case "REVISION_REQUESTED" -> notifications.notify(order.providerId(), notice, order.reference(), occurrence,
                    "Revision requested: " + order.title(), "The customer sent " + what + " back for a revision.");
            case "ORDER_DONE" -> notifyBoth(order, notice, "Order complete: " + order.title(),
                    "The order " + what + " is complete and the payment released to the provider.");
            case "ORDER_CANCELLED_LATE" -> notifyBoth(order, notice, "Late order cancelled: " + order.title(),
                    "The customer cancelled the late order " + what + " and was refunded in full.");
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    private void notifyBoth(ServiceOrder order, String event, String subject, String body) {
        notifications.notifyAll(List.of(order.customerId(), order.providerId()), event, order.reference(), subject, body);
    }

    private ServiceOrder locked(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        // a row belongs to the one instance that registered it: an instance started elsewhere
        // under the same business key must never act on it
        return orders.lock(ref).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no order " + ref + " of process instance " + execution.getProcessInstanceId()));
    }

    private static void oneOf(FieldErrors errors, DelegateExecution execution, String variable, String... allowed) {
        Object value = execution.getVariable(variable);
        if (!List.of(allowed).contains(value)) {
            errors.add(variable, "oneOf", "must be " + String.join(" or ", List.of(allowed).stream().map(a -> "\"" + a + "\"").toList())
                    + ", not " + (value == null ? "missing" : "\"" + value + "\""));
        }
    }

    private static String duration(FieldErrors errors, String field, Object raw, String fallback) {
        String text = errors.optionalText(field, raw, 40);
        if (text == null) {
            return fallback;
        }
        try {
            if (Duration.parse(text).isNegative() || Duration.parse(text).isZero()) {
                errors.add(field, "positive", "must be a positive duration");
            }
        } catch (DateTimeParseException e) {
            errors.add(field, "format", "must be an ISO-8601 duration such as PT24H, not \"" + text + "\"");
        }
        return text;
    }

    private static List<ServiceCatalog.Option> chosenOptions(FieldErrors errors, Object raw, ServiceCatalog.Offering offering) {
        String text = errors.optionalText(ServiceOrderProcess.VAR_OPTION_IDS, raw, 400);
        if (text == null || offering == null) {
            return List.of();
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : text.split(",")) {
            try {
                if (!ids.add(Long.parseLong(part.strip()))) {
                    errors.add(ServiceOrderProcess.VAR_OPTION_IDS, "unique", "option " + part.strip() + " is listed twice");
                }
            } catch (NumberFormatException e) {
                errors.add(ServiceOrderProcess.VAR_OPTION_IDS, "format", "must be option ids separated by commas, such as \"12,13\"");
                return List.of();
            }
        }
        List<ServiceCatalog.Option> chosen = new ArrayList<>();
        for (long id : ids) {
            offering.options().stream().filter(o -> o.id() == id).findFirst().ifPresentOrElse(chosen::add,
                    () -> errors.add(ServiceOrderProcess.VAR_OPTION_IDS, "exists", "service " + offering.ref() + " has no option " + id));
        }
        return chosen;
    }

    private static String names(List<ServiceCatalog.Option> options) {
        return options.stream().map(o -> o.name() + " (" + o.price() + ", +" + o.extraDays() + " days)").collect(Collectors.joining(", "));
    }
}
