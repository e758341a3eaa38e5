package io.gigflow.payout;

/** What became of one task in a send to payment: success, or the business reason it was not sent. */
public record SendOutcome(String ref, Result result, String message, TaskStatus status) {

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
