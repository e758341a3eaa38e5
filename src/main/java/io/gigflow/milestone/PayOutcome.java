package io.gigflow.milestone;

/** What became of one payment in a "Pay Contractor" request: paid, or the reason it was not. */
public record PayOutcome(long paymentId, String milestoneRef, Result result, String message, PaymentStatus status) {

    public enum Result {
        PAID,
        INSUFFICIENT_BALANCE,
        ALREADY_PAID,
        NOT_FOUND,
        CONFLICT
    }
}
