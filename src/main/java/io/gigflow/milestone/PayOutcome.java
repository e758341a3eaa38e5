package io.gigflow.milestone;

import org.springframework.lang.Nullable;

/** What became of one payment in a "Pay Contractor" request: paid, or the reason it was not. */
public record PayOutcome(long paymentId, @Nullable String milestoneRef, Result result, @Nullable String message,
        @Nullable PaymentStatus status) {

    public enum Result {
        PAID,
        INSUFFICIENT_BALANCE,
        ALREADY_PAID,
        NOT_FOUND,
        CONFLICT
    }
}
