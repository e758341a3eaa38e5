package io.gigflow.payout;

/** The statuses of a task payout: part of the public contract (process variable {@code status}). */
public enum TaskStatus {
    DRAFT,
    AWAITING_CONTRACTOR,
    PAID,
    DECLINED_BY_CONTRACTOR,
    DECLINED_BY_COMPANY,
    DELETED
}
