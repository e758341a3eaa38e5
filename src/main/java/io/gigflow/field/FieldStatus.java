package io.gigflow.field;

/** The statuses of a field assignment: part of the public contract (process variable {@code status}). */
public enum FieldStatus {
    PUBLISHED,
    ASSIGNED,
    IN_PROGRESS,
    ON_HOLD,
    PENDING_APPROVAL,
    APPROVED,
    PAID,
    CANCELLED
}
