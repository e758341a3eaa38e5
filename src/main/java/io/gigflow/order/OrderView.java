package io.gigflow.order;

import java.time.OffsetDateTime;
import java.util.List;

/** The order card: everything a party sees of an order, amounts as decimal strings. */
public record OrderView(String ref, String serviceRef, String title, String customerId, String providerId, OrderStatus status,
        boolean late, String currency, String basePrice, List<OptionView> options, List<RequestView> requests, String total,
        OffsetDateTime startedAt, OffsetDateTime dueAt, OffsetDateTime deliveredAt, String deliveryMessage,
        List<FileView> attachments, String cancelReason, OffsetDateTime createdAt, List<HistoryEntry> history) {

    public record OptionView(String name, String price, int extraDays) {
    }

    public record RequestView(long id, String description, int extraDays, String price, String status,
            OffsetDateTime requestedAt, OffsetDateTime answeredAt, String answerReason, Long pausedSeconds) {
    }

    public record FileView(long id, String fileName, String contentType, int sizeBytes, String sha256) {
    }

    public record HistoryEntry(OffsetDateTime at, String actor, String event, String detail) {
    }
}
