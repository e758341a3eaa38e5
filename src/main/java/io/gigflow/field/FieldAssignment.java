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
        Money fastFundsFee, Money cancelPayment, String cancelReason, String processInstanceId, OffsetDateTime createdAt) {

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
}
