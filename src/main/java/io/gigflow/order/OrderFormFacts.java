package io.gigflow.order;

import io.gigflow.identity.Parties;
import io.gigflow.shared.Money;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TaskFormFacts;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * What the human steps of service-order show, from the order's row when a form is opened: the
 * reference, the service's title, the options chosen, the total paid into escrow, the other party's
 * name, the step's date (the start deadline, the due date, when an unanswered delivery confirms
 * itself) and a pending extra request's price. None of it is a process variable: nothing is written
 * into the engine for it when an order is placed or a step opens, a due date moved by an accepted
 * extra request shows at once, and no completion can change what a form shows.
 */
@Component
class OrderFormFacts implements TaskFormFacts {

    /** The step's date on its form: the start deadline, the due date, or when the delivery confirms itself. */
    static final String SHOWN_DATE = "stepDate";
    /** The pending extra request's price with its currency. */
    static final String SHOWN_EXTRA_PRICE = "extraPriceText";
    /** The service's title. */
    static final String TITLE = "title";
    /** The options chosen with the order, "none" without any. */
    static final String OPTIONS = "optionsText";

    private final ServiceOrderRepository orders;
    private final OrderSettings settings;
    private final Parties parties;

    OrderFormFacts(ServiceOrderRepository orders, OrderSettings settings, Parties parties) {
        this.orders = orders;
        this.settings = settings;
        this.parties = parties;
    }

    @Override
    public Set<String> processDefinitionKeys() {
        return Set.of(ServiceOrderProcess.KEY);
    }

    @Override
    public Map<String, String> facts(Step step) {
        ServiceOrder order = orders.findByProcessInstance(step.processInstanceId()).orElse(null);
        if (order == null) {
            return Map.of();
        }
        List<ServiceOrderRepository.OrderOption> options = orders.options(order);
        List<ServiceOrderRepository.Request> requests = orders.requests(order);
        Money total = order.total(options, requests);
        Map<String, String> facts = new HashMap<>();
        facts.put(StepDisplay.REF, order.ref());
        facts.put(TITLE, order.title());
        facts.put(OPTIONS, options.isEmpty() ? "none" : options.stream()
                .map(o -> option(o.name(), o.price(), o.extraDays())).collect(Collectors.joining(", ")));
        facts.put(StepDisplay.AMOUNT, Readable.money(total));
        if (ServiceOrderProcess.TASK_CONFIRM_DELIVERY.equals(step.taskDefinitionKey())) {
            facts.put(StepDisplay.PARTY, parties.personName(order.providerId()));
        } else {
            facts.put(StepDisplay.ASKED_BY, parties.personName(order.customerId()));
        }
        switch (step.taskDefinitionKey()) {
            case ServiceOrderProcess.TASK_START_WORK -> facts.put(SHOWN_DATE, StepDisplay.instant(order.startDeadlineAt()));
            case ServiceOrderProcess.TASK_DELIVER_ORDER -> facts.put(SHOWN_DATE, StepDisplay.instant(order.dueAt()));
            case ServiceOrderProcess.TASK_REVIEW_EXTRA_REQUEST ->
                requests.stream().filter(ServiceOrderRepository.Request::pending).findFirst()
                        .ifPresent(request -> facts.put(SHOWN_EXTRA_PRICE, Readable.money(request.price())));
            case ServiceOrderProcess.TASK_CONFIRM_DELIVERY -> facts.put(SHOWN_DATE, StepDisplay.instant(confirmsItselfAt(order)));
            default -> {
            }
        }
        return facts;
    }

    /** An option as the order's form and its PLACED event name it: "Source files (150.00 EUR, +1 days)". */
    static String option(String name, Money price, int extraDays) {
        return name + " (" + price + ", +" + extraDays + " days)";
    }

    /** When an unanswered delivery completes by itself: the row's confirmation timeout after the delivery. */
    private OffsetDateTime confirmsItselfAt(ServiceOrder order) {
        if (order.deliveredAt() == null) {
            return null;
        }
        String timeout = order.confirmationTimeout() == null ? settings.confirmationTimeout() : order.confirmationTimeout();
        try {
            return order.deliveredAt().plus(Duration.parse(timeout));
        } catch (RuntimeException notADuration) {
            return null; // a timeout the form cannot reckon with is left off it; the timer still holds it
        }
    }
}
