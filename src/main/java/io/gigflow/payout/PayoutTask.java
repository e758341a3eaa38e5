package io.gigflow.payout;

import io.gigflow.shared.Money;
import java.time.OffsetDateTime;

/** A task as stored: the business data of one task-payout process instance. */
record PayoutTask(long id, String ref, String companyId, String contractorId, String title, String description,
        Money amount, TaskStatus status, String processInstanceId, String decision, String declineReason,
        String sendRefusal, OffsetDateTime createdAt, String createdBy, OffsetDateTime updatedAt, String draftDecision,
        String decidedBy, String cancelledBy, String acceptanceReminder) {

    String reference() {
        return TaskPayoutProcess.reference(ref);
    }

    boolean isParty(String userId, boolean companyMember) {
        return companyMember || contractorId.equals(userId);
    }
}
