package io.gigflow.withdrawal;

/** Where a withdrawal stands. */
public enum WithdrawalStatus {
    /** Held (WITHDRAWAL:&lt;ref&gt;), waiting for finance; the requester may cancel. */
    REQUESTED,
    /** Finance paid it out: the hold went to EXTERNAL:world. */
    PAID_OUT,
    /** Finance rejected it: the hold went back to the requester. */
    REJECTED,
    /** The requester cancelled it: the hold went back to the requester. */
    CANCELLED
}
