package io.gigflow.payout;

import org.springframework.lang.Nullable;

/** What became of one task in a send to payment: success, or the business reason it was not sent. */
public record SendOutcome(String ref, Result result, @Nullable String message, @Nullable TaskStatus status) {

    public enum Result {
        PENDING,
        SENT,
        INSUFFICIENT_BALANCE,
        NOT_A_DRAFT,
        NOT_FOUND,
        CONFLICT
    }

    boolean sent() {
        return result == Result.SENT;
    }
}
