package io.gigflow.field;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * An assignment as one person may see it, amounts as decimal strings. What a field worker
 * sees depends on the stage (see the README's visibility table): before assignment only the
 * scope, so contact, attachments, messages, requests and history are null for them.
 */
public record FieldAssignmentView(String ref, String companyId, FieldStatus status, List<String> labels, String title,
        String description, String location, OffsetDateTime scheduledStart, OffsetDateTime scheduledEnd, String currency,
        String budget, String price, int paymentTermsDays, boolean checkInRequired, List<String> requiredDeliverables,
        List<String> requiredCustomFields, String workerId, Contact contact, List<FileView> attachments, List<MessageView> messages,
        List<ApplicationView> applications, List<QuestionView> questions, List<RequestView> requests, OffsetDateTime confirmedAt,
        OffsetDateTime checkedInAt, OffsetDateTime checkedOutAt, Map<String, String> deliverables, Map<String, String> customFields,
        OffsetDateTime submittedAt, String holdReason, String holdNote, Invoice invoice, String cancelPayment, String cancelReason,
        OffsetDateTime createdAt, List<HistoryEntry> history) {

    public record Contact(String name, String phone, String email) {
    }

    public record FileView(long id, String fileName, String contentType, int sizeBytes, String sha256) {
    }

    public record MessageView(long id, String author, String body, OffsetDateTime postedAt) {
    }

    public record ApplicationView(long id, String workerId, String kind, String message, String price, OffsetDateTime proposedStart,
            OffsetDateTime proposedEnd, String status, OffsetDateTime createdAt) {
    }

    public record QuestionView(long id, String workerId, String question, String answer, OffsetDateTime askedAt, OffsetDateTime answeredAt) {
    }

    public record RequestView(long id, String kind, String amount, OffsetDateTime newStart, OffsetDateTime newEnd, String reason,
            String status, String answerReason, OffsetDateTime requestedAt, OffsetDateTime answeredAt) {
    }

    /** The invoice: total, its date, the scheduled payment date, and the FastFunds fee if the worker took it. */
    public record Invoice(String total, LocalDate invoiceDate, LocalDate paymentDate, OffsetDateTime paidAt, String fastFundsFee,
            String paidToWorker) {
    }

    public record HistoryEntry(OffsetDateTime at, String actor, String event, String detail) {
    }
}
