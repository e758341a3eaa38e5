package io.gigflow.milestone;

import io.gigflow.shared.Money;
import java.time.OffsetDateTime;

/** A milestone as stored: the business data of one contractor-milestone process instance. */
record Milestone(long id, String ref, String companyId, String contractorId, String title, String description,
        OffsetDateTime deadline, int deadlineRevision, Money amount, MilestoneStatus status, Integer autoApproveAfterDays,
        Long attachmentFileId, String rejectionReason, String processInstanceId, OffsetDateTime createdAt, String createdBy,
        OffsetDateTime updatedAt, OffsetDateTime approvedAt, String deadlineReminder) {

    String reference() {
        return ContractorMilestoneProcess.reference(ref);
    }
}
