package io.gigflow.document;

import java.time.OffsetDateTime;

/** A stored document without its content. */
public record DocumentInfo(long id, String number, String type, String reference, String title, String fileName,
        String sha256, int sizeBytes, String companyId, String partyUserId, OffsetDateTime createdAt) {
}
