package io.gigflow.field;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * An assignment as one person may see it, amounts as decimal strings. What a field worker
 * sees depends on the stage (see the README's visibility table): before assignment only the
 * scope, so contact, attachments, messages, requests and history are null for them.
 */
public record FieldAssignmentView(String ref, String companyId, FieldStatus status, List<String> labels, String title,
        @Nullable String description, String location, OffsetDateTime scheduledStart, OffsetDateTime scheduledEnd,
        String currency, String budget, String price, int paymentTermsDays, boolean checkInRequired,
        List<String> requiredDeliverables, List<String> requiredCustomFields, @Nullable String workerId,
        @Nullable Contact contact, @Nullable List<FileView> attachments, @Nullable List<MessageView> messages,
        List<ApplicationView> applications, List<QuestionView> questions, @Nullable List<RequestView> requests,
        @Nullable OffsetDateTime confirmedAt, @Nullable OffsetDateTime checkedInAt, @Nullable OffsetDateTime checkedOutAt,
        @Nullable Map<String, String> deliverables, @Nullable Map<String, String> customFields,
        @Nullable OffsetDateTime submittedAt, @Nullable String holdReason, @Nullable String holdNote, @Nullable Invoice invoice,
        @Nullable String cancelPayment, @Nullable String cancelReason, OffsetDateTime createdAt,
        @Nullable List<HistoryEntry> history) {

    public record Contact(String name, @Nullable String phone, @Nullable String email) {
    }

    public record FileView(long id, String fileName, String contentType, int sizeBytes, String sha256) {
    }

    public record MessageView(long id, String author, String body, OffsetDateTime postedAt) {
    }

    public record ApplicationView(long id, String workerId, String kind, @Nullable String message, @Nullable String price,
            @Nullable OffsetDateTime proposedStart, @Nullable OffsetDateTime proposedEnd, String status,
            OffsetDateTime createdAt) {
    }

    public record QuestionView(long id, String workerId, String question, @Nullable String answer, OffsetDateTime askedAt,
            @Nullable OffsetDateTime answeredAt) {
    }

    public record RequestView(long id, String kind, @Nullable String amount, @Nullable OffsetDateTime newStart,
            @Nullable OffsetDateTime newEnd, @Nullable String reason, String status, @Nullable String answerReason,
            OffsetDateTime requestedAt, @Nullable OffsetDateTime answeredAt) {
    }

    /** The invoice: total, its date, the scheduled payment date, and the FastFunds fee if the worker took it. */
    public record Invoice(String total, LocalDate invoiceDate, LocalDate paymentDate, @Nullable OffsetDateTime paidAt,
            @Nullable String fastFundsFee, @Nullable String paidToWorker) {
    }

    public record HistoryEntry(OffsetDateTime at, String actor, String event, @Nullable String detail) {
    }
}
