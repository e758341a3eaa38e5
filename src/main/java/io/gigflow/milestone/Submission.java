package io.gigflow.milestone;

import java.time.OffsetDateTime;

/** One time the contractor marked the milestone completed, and what became of it. */
record Submission(long id, long milestoneId, int number, String note, Long deliverableFileId, String submittedBy,
        OffsetDateTime submittedAt, String decision, String reason, boolean automatic, String decidedBy,
        OffsetDateTime decidedAt) {

    static final String APPROVED = "APPROVED";
    static final String REJECTED = "REJECTED";
}
