package io.gigflow.order;

import io.gigflow.shared.Money;
import java.time.OffsetDateTime;

/** An order as stored: the business data of one service-order process instance. */
record ServiceOrder(long id, String ref, long offeringId, String customerId, String providerId, String title, Money basePrice,
        int baseDays, OrderStatus status, boolean late, OffsetDateTime startedAt, OffsetDateTime dueAt, OffsetDateTime pausedAt,
        OffsetDateTime deliveredAt, String deliveryMessage, String cancelReason, String processInstanceId,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    String reference() {
        return ServiceOrderProcess.reference(ref);
    }

    boolean isParty(String userId) {
        return customerId.equals(userId) || providerId.equals(userId);
    }
}
