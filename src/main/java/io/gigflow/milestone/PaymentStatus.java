package io.gigflow.milestone;

/** The statuses of a milestone's payment: part of the public contract (process variable {@code paymentStatus}). */
public enum PaymentStatus {
    DRAFT,
    PAID
}
