package io.gigflow.milestone;

import io.gigflow.shared.Money;
import java.time.OffsetDateTime;

/** The payment an approval drafted, with the milestone it pays for. */
record MilestonePayment(long id, long milestoneId, String milestoneRef, String title, String companyId, String contractorId,
        Money amount, PaymentStatus status, String refusal, OffsetDateTime createdAt, OffsetDateTime paidAt, String paidBy,
        String processInstanceId) {
}
