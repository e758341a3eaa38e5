package io.gigflow.order;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.InsufficientBalanceException;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.Notice;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.StepDisplay;
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
import org.camunda.bpm.engine.delegate.DelegateTask;
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
        Duration startDeadline = startDeadline(errors, execution.getVariable(ServiceOrderProcess.VAR_START_DEADLINE));
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
        // every timer of the order is fixed here, on the row: nothing a party writes later moves them
        long id = orders.insert(ref, offering, customerId, execution.getProcessInstanceId(), new ServiceOrderRepository.Timers(
                now.plus(startDeadline), settings.requestAnswerTimeout(), settings.confirmationTimeout()), now);
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
        // the row holds the order now: the engine keeps no copy of the start's values, whichever door started it
        execution.removeVariables(ServiceOrderProcess.START_VARIABLES);
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.AWAITING_START.name());
    }

    /**
     * Every human step is the row's: the provider's steps are assigned to the order's provider,
     * the confirmation to its customer, the delivery is due at the row's due date. What a step
     * takes as input starts empty, so that nothing written by an earlier completion (the other
     * party's included) passes as this step's answer.
     */
    void assignTask(DelegateTask task) {
        DelegateExecution execution = task.getExecution();
        ServiceOrder order = orders.findByProcessInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no order of process instance " + execution.getProcessInstanceId()));
        String step = task.getTaskDefinitionKey();
        HumanSteps.assignAndOffer(task, ServiceOrderProcess.TASK_CONFIRM_DELIVERY.equals(step) ? order.customerId() : order.providerId());
        if (ServiceOrderProcess.TASK_DELIVER_ORDER.equals(step) && order.dueAt() != null) {
            task.setDueDate(Date.from(order.dueAt().toInstant()));
        }
        ServiceOrderProcess.STEP_INPUTS.getOrDefault(step, List.of()).forEach(execution::removeVariable);
        if (ServiceOrderProcess.TASK_CONFIRM_DELIVERY.equals(step)) {
            execution.setVariable(ServiceOrderProcess.VAR_DELIVERY_MESSAGE, order.deliveryMessage());
        }
        show(task, order);
    }

    /**
     * Names the step after the order and the other party ("Start work ORD-7 · Logo design (Carl
     * Doe)"), so that two steps of the same kind are told apart in Tasklist's list; what its form
     * shows comes from the row when it is opened ({@link OrderFormFacts}).
     */
    private void show(DelegateTask task, ServiceOrder order) {
        String step = task.getTaskDefinitionKey();
        String other = ServiceOrderProcess.TASK_CONFIRM_DELIVERY.equals(step) ? order.providerId() : order.customerId();
        String party = parties.personName(other);
        String label = switch (step) {
            case ServiceOrderProcess.TASK_START_WORK -> "Start work";
            case ServiceOrderProcess.TASK_DELIVER_ORDER -> "Deliver";
            case ServiceOrderProcess.TASK_REVIEW_EXTRA_REQUEST -> "Review extra request";
            case ServiceOrderProcess.TASK_CONFIRM_DELIVERY -> "Confirm delivery";
            default -> null;
        };
        StepDisplay.name(task, label == null ? task.getName() : label, order.ref(), order.title(), label == null ? null : party);
    }

    /** Completing Start work: only the order's provider, only while it awaits its start. */
    void checkStartWork(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        locked(execution).checkStart(currentUser.id().orElse(null));
        if (!Boolean.TRUE.equals(execution.getVariable(ServiceOrderProcess.VAR_START_WORK))) {
            throw InvalidInputException.of("Invalid start", ServiceOrderProcess.VAR_START_WORK, "true",
                    "must be true to start work");
        }
    }

    /** The provider started: the due date is start + base days + the options' days. */
    void beginWork(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        order.checkStart(currentUser.id().orElse(null));
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
                notice(order, "order/late"));
    }

    /** The message LateCancellationRequested arrives: only from the order's customer, only while the order is late. */
    void checkLateCancellationMessage(DelegateExecution execution) {
        locked(execution).checkLateCancellation(currentUser.id().orElse(null));
    }

    /** The customer cancels a late order: only the customer, only while late. */
    void cancelLateOrder(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        order.checkLateCancellation(currentUser.id().orElse(null));
        orders.update(order.ref(), "cancel_reason = 'LATE'", time.now());
        orders.addEvent(order.id(), time.now(), currentUser.actor(), "CANCELLATION_REQUESTED", "late");
    }

    /** Everything in escrow back to the customer: when the provider never started, or the customer cancels a late order. */
    void refundCustomer(DelegateExecution execution, String reason) {
        ServiceOrder order = locked(execution);
        // money moves only for the state that justifies it, whatever path led here
        if (!order.refundJustified(reason, time.now(), order.createdAt().plus(Duration.parse(settings.startDeadline())))) {
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

    /**
     * The message ExtraRequested arrives: only from the order's customer, only while work is in
     * progress. Its description, days and price go into the request's row here; everything
     * after (the provider's review, the charge) reads them from there.
     */
    void receiveExtraRequest(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        order.checkExtraRequest(currentUser.id().orElse(null));
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
        if (orders.pendingRequest(order).isPresent()) {
            throw new ConflictException("Order " + order.ref() + " has a request awaiting an answer already");
        }
        orders.addRequest(order.id(), description, days, price, time.now());
    }

    /** "Add to Service": the request is stored; the order pauses (no delivery, the clock stops). */
    void registerExtraRequest(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        ServiceOrderRepository.Request request = orders.pendingRequest(order)
                .orElseThrow(() -> new IllegalStateException("order " + order.ref() + " has no pending request"));
        OffsetDateTime now = time.now();
        orders.update(order.ref(), "status = 'PAUSED', paused_at = :now", now);
        orders.addEvent(order.id(), now, currentUser.actor(), "EXTRA_REQUESTED", "#" + request.id() + ": " + request.price()
                + ", +" + request.extraDays() + " days");
        // the review form shows the request as stored, not as a later writer might have left the variables
        execution.setVariable(ServiceOrderProcess.VAR_EXTRA_DESCRIPTION, request.description());
        execution.setVariable(ServiceOrderProcess.VAR_EXTRA_DAYS, request.extraDays());
        execution.setVariable(ServiceOrderProcess.VAR_EXTRA_PRICE, request.price().toDecimalString());
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.PAUSED.name());
    }

    /** Completing the review: only the order's provider; the answer goes into the request's row, which the gateway reads. */
    void checkRequestDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        ServiceOrder order = locked(execution);
        order.checkAnswerRequest(currentUser.id().orElse(null));
        FieldErrors errors = new FieldErrors();
        oneOf(errors, execution, ServiceOrderProcess.VAR_REQUEST_DECISION, ServiceOrderProcess.ACCEPT, ServiceOrderProcess.DECLINE);
        String reason = errors.optionalText(ServiceOrderProcess.VAR_REQUEST_DECLINE_REASON,
                execution.getVariable(ServiceOrderProcess.VAR_REQUEST_DECLINE_REASON), 1000);
        errors.throwIfAny("Invalid answer");
        ServiceOrderRepository.Request request = orders.pendingRequest(order)
                .orElseThrow(() -> new ConflictException("Order " + order.ref() + " has no request awaiting an answer"));
        String decision = (String) execution.getVariable(ServiceOrderProcess.VAR_REQUEST_DECISION);
        orders.decideRequest(request.id(), decision, currentUser.actor(), ServiceOrderProcess.DECLINE.equals(decision) ? reason : null);
    }

    /** Accepted: the customer pays the extra into escrow; the due date moves by the extra days and the paused time. */
    void acceptExtraRequest(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        ServiceOrderRepository.Request request = orders.pendingRequest(order).orElseThrow();
        // the customer pays only for a request that the provider accepted
        if (!ServiceOrderProcess.ACCEPT.equals(request.decision())
                || !(order.providerId().equals(request.decidedBy()) || CurrentUser.SYSTEM.equals(request.decidedBy()))) {
            throw new IllegalStateException("request #" + request.id() + " of order " + order.ref() + " was not accepted by its provider");
        }
        try {
            ledger.transfer(order.reference() + ":extra:" + request.id(), AccountRef.user(order.customerId()),
                    AccountRef.escrow(order.reference()), request.price(), "Order " + order.ref() + ": extra request #" + request.id());
        } catch (InsufficientBalanceException e) {
            String reason = "Declined: the customer's balance holds " + e.available() + ", the extra costs " + request.price();
            orders.decideRequest(request.id(), request.decision(), request.decidedBy(), reason);
            throw new BpmnError(ServiceOrderProcess.ERROR_INSUFFICIENT_BALANCE, reason);
        }
        resume(execution, order, request, ServiceOrderRepository.Request.ACCEPTED, null, request.extraDays());
    }

    /** Declined by the provider, or unanswered in time: work resumes, the due date moves by the paused time. */
    void resolveExtraRequest(DelegateExecution execution, String resolution) {
        ServiceOrder order = locked(execution);
        ServiceOrderRepository.Request request = orders.pendingRequest(order).orElseThrow();
        String reason = "EXPIRED".equals(resolution)
                ? "Not answered within " + (order.requestAnswerTimeout() == null ? settings.requestAnswerTimeout() : order.requestAnswerTimeout())
                : request.answerReason();
        resume(execution, order, request, resolution, reason, 0);
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

    /** Completing Deliver the result: only the order's provider, only while work is in progress. */
    void checkDelivery(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        locked(execution).checkDeliver(currentUser.id().orElse(null));
    }

    /** The provider delivered: a message and, uploaded through the API, an optional attachment of this order. */
    void recordDelivery(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        order.checkDeliver(currentUser.id().orElse(null));
        FieldErrors errors = new FieldErrors();
        String message = errors.requiredText(ServiceOrderProcess.VAR_DELIVERY_MESSAGE, execution.getVariable(ServiceOrderProcess.VAR_DELIVERY_MESSAGE), 5000);
        Object fileId = execution.getVariable(ServiceOrderProcess.VAR_DELIVERY_FILE_ID);
        if (fileId != null && !(fileId instanceof Number number
                && orders.file(number.longValue()).filter(f -> f.orderId() == order.id()).isPresent())) {
            errors.add(ServiceOrderProcess.VAR_DELIVERY_FILE_ID, "exists", "no attachment " + fileId + " of order " + order.ref());
        }
        errors.throwIfAny("Invalid delivery");
        OffsetDateTime now = time.now();
        orders.update(order.ref(), "status = 'DELIVERED', delivered_at = :now, delivery_message = :message, delivery_decision = null, "
                + "delivery_decided_by = null", now, "message", message);
        orders.addEvent(order.id(), now, currentUser.actor(), "DELIVERED", fileId == null ? null : "with attachment " + fileId);
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.DELIVERED.name());
    }

    /**
     * Completing the confirmation: only the order's customer, only for a delivered order. The
     * answer goes into the row with who gave it: the gateway routes on it and the release checks it.
     */
    void checkDeliveryDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        ServiceOrder order = locked(execution);
        order.checkDeliveryDecision(currentUser.id().orElse(null));
        FieldErrors errors = new FieldErrors();
        oneOf(errors, execution, ServiceOrderProcess.VAR_DELIVERY_DECISION, ServiceOrderProcess.CONFIRM, ServiceOrderProcess.REVISION);
        errors.optionalText(ServiceOrderProcess.VAR_REVISION_REASON, execution.getVariable(ServiceOrderProcess.VAR_REVISION_REASON), 2000);
        errors.throwIfAny("Invalid answer");
        String decision = (String) execution.getVariable(ServiceOrderProcess.VAR_DELIVERY_DECISION);
        orders.update(order.ref(), "delivery_decision = :decision, delivery_decided_by = :by", time.now(),
                "decision", decision, "by", currentUser.actor());
        if (ServiceOrderProcess.CONFIRM.equals(decision)) {
            orders.addEvent(order.id(), time.now(), currentUser.actor(), "CONFIRMED", null);
        }
    }

    /** The customer sends the delivery back: work goes on, against the same due date. */
    void requestRevision(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        if (order.status() != OrderStatus.DELIVERED || !ServiceOrderProcess.REVISION.equals(order.deliveryDecision())) {
            throw new IllegalStateException("order " + order.ref() + " (" + order.status() + ") was not sent back by its customer");
        }
        Object reason = execution.getVariable(ServiceOrderProcess.VAR_REVISION_REASON);
        orders.update(order.ref(), "status = 'IN_PROGRESS', delivered_at = null, delivery_decision = null, delivery_decided_by = null",
                time.now());
        orders.addEvent(order.id(), time.now(), currentUser.actor(), "REVISION_REQUESTED", reason == null ? null : reason.toString());
        execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.IN_PROGRESS.name());
    }

    /** Confirmed, or not answered in time: everything in escrow goes to the provider. */
    void releaseEscrow(DelegateExecution execution) {
        ServiceOrder order = locked(execution);
        if (!order.releaseJustified(time.now(), Duration.parse(settings.confirmationTimeout()))) {
            throw new IllegalStateException("order " + order.ref() + " is " + order.status() + ": its escrow is released only for a delivery"
                    + " its customer confirmed or left unanswered for the confirmation period");
        }
        faults.check(FaultInjector.LEDGER_TRANSFER);
        String key = order.reference() + ":release";
        if (ledger.findTransfer(key).isEmpty()) {
            Money held = ledger.balance(AccountRef.escrow(order.reference()), order.basePrice().currency());
            ledger.transfer(key, AccountRef.escrow(order.reference()), AccountRef.user(order.providerId()), held,
                    "Order " + order.ref() + " completed: " + order.title());
        }
        if (order.status() != OrderStatus.DONE) {
            boolean confirmed = ServiceOrderProcess.CONFIRM.equals(order.deliveryDecision());
            orders.update(order.ref(), "status = 'DONE'", time.now());
            orders.addEvent(order.id(), time.now(), currentUser.actor(), "DONE", confirmed ? "confirmed by the customer"
                    : "completed automatically after " + (order.confirmationTimeout() == null ? settings.confirmationTimeout()
                            : order.confirmationTimeout()));
            execution.setVariable(ServiceOrderProcess.VAR_STATUS, OrderStatus.DONE.name());
        }
    }

    void notifyParties(DelegateExecution execution, String notice) {
        ServiceOrder order = locked(execution);
        // events that repeat (requests, deliveries, revisions) are told apart by the step's activity
        // instance; a retried step rolled its notification back with everything else
        String occurrence = execution.getActivityInstanceId();
        switch (notice) {
            case "ORDER_PLACED" -> notifications.notify(order.providerId(), notice, order.reference(), notice(order, "order/placed"));
            case "ORDER_CANCELLED_NOT_STARTED" -> notifyBoth(order, notice, notice(order, "order/cancelled-not-started"));
            case "WORK_STARTED" -> notifications.notify(order.customerId(), notice, order.reference(), notice(order, "order/work-started"));
            case "EXTRA_REQUESTED" -> {
                List<ServiceOrderRepository.Request> requests = orders.requests(order);
                ServiceOrderRepository.Request request = requests.isEmpty() ? null : requests.get(requests.size() - 1);
                notifications.notify(order.providerId(), notice, order.reference(), occurrence, notice(order, "order/extra-requested")
                        .with("extraPrice", request == null ? null : request.price())
                        .with("extraDays", request == null || request.extraDays() <= 0 ? null
                                : request.extraDays() + (request.extraDays() == 1 ? " day" : " days")));
            }
            case "EXTRA_ANSWERED" -> {
                List<ServiceOrderRepository.Request> requests = orders.requests(order);
                ServiceOrderRepository.Request request = requests.get(requests.size() - 1);
                notifications.notify(order.customerId(), notice, order.reference(), occurrence, notice(order, "order/extra-answered")
                        .label("status", "request-status", request.status()).with("reason", request.answerReason()));
            }
            case "ORDER_DELIVERED" -> notifications.notify(order.customerId(), notice, order.reference(), occurrence,
                    notice(order, "order/delivered"));
            case "REVISION_REQUESTED" -> notifications.notify(order.providerId(), notice, order.reference(), occurrence,
                    notice(order, "order/revision-requested"));
            case "ORDER_DONE" -> notifyBoth(order, notice, notice(order, "order/done"));
            case "ORDER_CANCELLED_LATE" -> notifyBoth(order, notice, notice(order, "order/cancelled-late"));
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    private void notifyBoth(ServiceOrder order, String event, Notice notice) {
        notifications.notifyAll(List.of(order.customerId(), order.providerId()), event, order.reference(), notice);
    }

    /** A notice about the order, every value from its row: the parties by their names, the dates in the recipient's zone. */
    private Notice notice(ServiceOrder order, String name) {
        return Notice.of(name).with("title", order.title()).with("ref", order.ref()).with("price", order.basePrice())
                .with("startDeadline", order.startDeadlineAt()).with("due", order.dueAt())
                .with("customer", parties.personName(order.customerId()))
                .with("provider", parties.personName(order.providerId()))
                .link("/api/orders/" + order.ref());
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

    /**
     * The customer's startDeadline: the configured one when not given; otherwise at least the
     * configured minimum (the customer may give the provider more time, never less) and at most
     * {@value OrderSettings#MAX_START_DEADLINE}.
     */
    private Duration startDeadline(FieldErrors errors, Object raw) {
        String field = ServiceOrderProcess.VAR_START_DEADLINE;
        String text = errors.optionalText(field, raw, 40);
        if (text == null) {
            return Duration.parse(settings.startDeadline());
        }
        try {
            Duration given = Duration.parse(text);
            Duration min = Duration.parse(settings.minStartDeadline());
            Duration max = Duration.parse(OrderSettings.MAX_START_DEADLINE);
            if (given.compareTo(min) < 0 || given.compareTo(max) > 0) {
                errors.add(field, "range", "must be " + settings.minStartDeadline() + " to " + OrderSettings.MAX_START_DEADLINE
                        + ": the provider has at least " + settings.minStartDeadline() + " to start");
            }
            return given;
        } catch (DateTimeParseException e) {
            errors.add(field, "format", "must be an ISO-8601 duration such as PT24H, not \"" + text + "\"");
            return Duration.ZERO;
        }
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
        return options.stream().map(o -> OrderFormFacts.option(o.name(), o.price(), o.extraDays())).collect(Collectors.joining(", "));
    }
}
