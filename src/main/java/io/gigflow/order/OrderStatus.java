package io.gigflow.order;

/** The statuses of a service order: part of the public contract (process variable {@code status}). */
public enum OrderStatus {
    AWAITING_START,
    IN_PROGRESS,
    PAUSED,
    DELIVERED,
    DONE,
    CANCELLED
}
