package io.gigflow.field;

import io.gigflow.shared.Money;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/** An assignment as stored: the business data of one field-assignment process instance. */
record FieldAssignment(long id, String ref, String companyId, String title, String description, String location,
        OffsetDateTime scheduledStart, OffsetDateTime scheduledEnd, Money budget, Money agreedPrice, int paymentTermsDays,
        boolean checkInRequired, String contactName, String contactPhone, String contactEmail, FieldStatus status,
        String workerId, Long applicationId, OffsetDateTime confirmedAt, OffsetDateTime checkedInAt, OffsetDateTime checkedOutAt,
        boolean late, boolean lateDeliverables, OffsetDateTime submittedAt, OffsetDateTime approvedAt, String holdReason,
        String holdNote, String heldFrom, Money invoiceTotal, LocalDate invoiceDate, LocalDate paymentDueOn, OffsetDateTime paidAt,
        Money fastFundsFee, Money cancelPayment, String cancelReason, String processInstanceId, OffsetDateTime createdAt,
        String confirmBefore, OffsetDateTime proposedStart, OffsetDateTime proposedEnd, String rescheduleAnswer,
        String reviewDecision, String reviewReason, OffsetDateTime approvalExpectedAt, OffsetDateTime paymentDueAt,
        OffsetDateTime fastFundsRequestedAt) {

    String reference() {
        return FieldAssignmentProcess.reference(ref);
    }

    /** What the client pays for the work itself: the accepted counteroffer's price, or the budget. */
    Money price() {
        return agreedPrice != null ? agreedPrice : budget;
    }

    boolean isWorker(String userId) {
        return workerId != null && workerId.equals(userId);
    }

    /** When the worker is reminded to confirm: the confirmation period before the scheduled start. */
    OffsetDateTime confirmDueAt() {
        return scheduledStart.minus(java.time.Duration.parse(confirmBefore));
    }

    /** A check-out is owed: check-in is required and the worker has not checked out. */
    boolean checkOutPending() {
        return checkInRequired && checkedOutAt == null;
    }
}
