package io.gigflow.order;

import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.lang.Nullable;

/** The order card: everything a party sees of an order, amounts as decimal strings. */
public record OrderView(String ref, String serviceRef, String title, String customerId, String providerId, OrderStatus status,
        boolean late, String currency, String basePrice, List<OptionView> options, List<RequestView> requests, String total,
        @Nullable OffsetDateTime startedAt, @Nullable OffsetDateTime dueAt, @Nullable OffsetDateTime deliveredAt,
        @Nullable String deliveryMessage, List<FileView> attachments, @Nullable String cancelReason, OffsetDateTime createdAt,
        List<HistoryEntry> history) {

    public record OptionView(String name, String price, int extraDays) {
    }

    public record RequestView(long id, String description, int extraDays, String price, String status, OffsetDateTime requestedAt,
            @Nullable OffsetDateTime answeredAt, @Nullable String answerReason, @Nullable Long pausedSeconds) {
    }

    public record FileView(long id, String fileName, String contentType, int sizeBytes, String sha256) {
    }

    public record HistoryEntry(OffsetDateTime at, String actor, String event, @Nullable String detail) {
    }
}
