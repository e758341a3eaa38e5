package io.gigflow.milestone;

import java.time.OffsetDateTime;

/** A stored file of a milestone (its attachment or a deliverable), without its content. */
record MilestoneFile(long id, long milestoneId, Kind kind, String fileName, String contentType, int sizeBytes, String sha256,
        String uploadedBy, OffsetDateTime uploadedAt) {

    enum Kind {
        ATTACHMENT,
        DELIVERABLE
    }
}
