package io.gigflow.order;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.Money;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An order as stored: the business data of one service-order process instance, and the one
 * place that says who may do what to it in which state. Every door (Tasklist, /engine-rest,
 * /api, the process's own listeners and delegates) asks these methods; {@code by} is the
 * signed-in user, or null for the engine's own jobs (timers), which are trusted.
 */
record ServiceOrder(long id, String ref, long offeringId, String customerId, String providerId, String title, Money basePrice,
        int baseDays, OrderStatus status, boolean late, OffsetDateTime startedAt, OffsetDateTime dueAt, OffsetDateTime pausedAt,
        OffsetDateTime deliveredAt, String deliveryMessage, String cancelReason, String processInstanceId,
        OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime startDeadlineAt, String requestAnswerTimeout,
        String confirmationTimeout, String deliveryDecision, String deliveryDecidedBy) {

    String reference() {
        return ServiceOrderProcess.reference(ref);
    }

    /**
     * What the customer has paid into the order's escrow: the base price, the options chosen when
     * placing it, and the price of every extra request the provider accepted. The order's view and
     * its forms show this one figure.
     */
    Money total(List<ServiceOrderRepository.OrderOption> options, List<ServiceOrderRepository.Request> requests) {
        Money total = basePrice;
        for (ServiceOrderRepository.OrderOption option : options) {
            total = total.plus(option.price());
        }
        for (ServiceOrderRepository.Request request : requests) {
            if (ServiceOrderRepository.Request.ACCEPTED.equals(request.status())) {
                total = total.plus(request.price());
            }
        }
        return total;
    }

    boolean isParty(String userId) {
        return customerId.equals(userId) || providerId.equals(userId);
    }

    /** The provider starts work: only the provider, only while the order awaits its start. */
    void checkStart(String by) {
        provider(by, "starts work");
        state(OrderStatus.AWAITING_START, "work can be started only while it is AWAITING_START");
    }

    /** The provider delivers: only the provider, only while work is in progress (not while a request pauses it). */
    void checkDeliver(String by) {
        provider(by, "delivers");
        state(OrderStatus.IN_PROGRESS, "a delivery is taken only while it is IN_PROGRESS");
    }

    /** The provider answers the pending "Add to Service" request. */
    void checkAnswerRequest(String by) {
        provider(by, "answers an extra request");
        state(OrderStatus.PAUSED, "only a pending request can be answered");
    }

    /** The customer asks for more ("Add to Service"): only while work is in progress. */
    void checkExtraRequest(String by) {
        customer(by, "asks for more");
        state(OrderStatus.IN_PROGRESS, "more can be asked only while it is IN_PROGRESS");
    }

    /** The customer confirms the delivery or sends it back. */
    void checkDeliveryDecision(String by) {
        customer(by, "confirms a delivery or asks for a revision");
        state(OrderStatus.DELIVERED, "only a delivered order can be confirmed or sent back");
    }

    /** The customer cancels a late order: only while it is late and work is still owed. */
    void checkLateCancellation(String by) {
        customer(by, "cancels a late order");
        if (!late || status != OrderStatus.IN_PROGRESS) {
            throw new ConflictException("Order " + ref + " is " + status + (late ? "" : " and not late")
                    + "; only a late order in progress can be cancelled");
        }
    }

    /**
     * The escrow goes to the provider only for a delivery that the customer confirmed, or that
     * nobody answered within the confirmation period fixed when the order was placed.
     */
    boolean releaseJustified(OffsetDateTime now, Duration fallbackConfirmation) {
        if (status == OrderStatus.DONE) {
            return true; // a retried release: its transfer is idempotent
        }
        if (status != OrderStatus.DELIVERED) {
            return false;
        }
        if (ServiceOrderProcess.CONFIRM.equals(deliveryDecision)) {
            return customerId.equals(deliveryDecidedBy) || CurrentUser.SYSTEM.equals(deliveryDecidedBy);
        }
        Duration period = confirmationTimeout == null ? fallbackConfirmation : Duration.parse(confirmationTimeout);
        return deliveryDecision == null && deliveredAt != null && !now.isBefore(deliveredAt.plus(period));
    }

    /**
     * The escrow goes back to the customer only when the provider did not start before the
     * deadline fixed when the order was placed, or when the customer cancelled a late order.
     */
    boolean refundJustified(String reason, OffsetDateTime now, OffsetDateTime fallbackDeadline) {
        if (status == OrderStatus.CANCELLED) {
            return reason.equals(cancelReason); // a retried refund: its transfer is idempotent
        }
        if ("NOT_STARTED".equals(reason)) {
            OffsetDateTime deadline = startDeadlineAt == null ? fallbackDeadline : startDeadlineAt;
            return status == OrderStatus.AWAITING_START && !now.isBefore(deadline);
        }
        return "LATE".equals(reason) && "LATE".equals(cancelReason) && late && status == OrderStatus.IN_PROGRESS;
    }

    private void provider(String by, String action) {
        if (by != null && !by.equals(providerId)) {
            throw new ForbiddenException("Only the provider of order " + ref + " " + action);
        }
    }

    private void customer(String by, String action) {
        if (by != null && !by.equals(customerId)) {
            throw new ForbiddenException("Only the customer of order " + ref + " " + action);
        }
    }

    private void state(OrderStatus expected, String rule) {
        if (status != expected) {
            throw new ConflictException("Order " + ref + " is " + status + "; " + rule);
        }
    }
}
