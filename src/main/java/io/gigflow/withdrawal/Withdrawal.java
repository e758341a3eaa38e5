package io.gigflow.withdrawal;

import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.Money;
import java.time.OffsetDateTime;

/**
 * A withdrawal as stored: the business data of one withdrawal process instance, and the one
 * place that says who may do what to it in which state. Every door (Tasklist, /engine-rest,
 * /api, the process's listeners and delegates) asks these methods; {@code by} is the signed-in
 * user, or null for the engine's own jobs, which are trusted.
 */
record Withdrawal(long id, String ref, String requesterId, Money amount, long destinationId, String destinationKind,
        String destination, String destinationMasked, WithdrawalStatus status, String decision, String decidedBy,
        OffsetDateTime decidedAt, String bankReference, String reason, String processInstanceId, OffsetDateTime requestedAt,
        OffsetDateTime updatedAt) {

    String reference() {
        return WithdrawalProcess.reference(ref);
    }

    /**
     * Finance answers: only a finance operator (checked by the caller against the group, passed
     * in as {@code finance}), only while the withdrawal is requested and nobody has answered yet.
     */
    void checkFinanceDecision(String by, boolean finance) {
        if (by != null && !finance) {
            throw new ForbiddenException("Only finance operators pay out or reject withdrawal " + ref);
        }
        if (by != null && by.equals(requesterId)) {
            throw new ForbiddenException("A finance operator does not pay out or reject their own withdrawal " + ref
                    + "; another finance operator decides it");
        }
        waiting("paid out or rejected");
    }

    /** The requester cancels: only the requester, only while the withdrawal waits for finance. */
    void checkCancel(String by) {
        if (by != null && !by.equals(requesterId)) {
            throw new ForbiddenException("Only the requester cancels withdrawal " + ref);
        }
        waiting("cancelled");
    }

    /**
     * The hold goes out to the world only when a finance operator decided PAID (a retried step
     * finds it PAID_OUT already: its transfer is idempotent).
     */
    boolean payOutJustified(boolean decidedByFinance) {
        return PAID.equals(decision) && decidedByFinance
                && (status == WithdrawalStatus.REQUESTED || status == WithdrawalStatus.PAID_OUT);
    }

    /** The hold goes back to the requester only when finance rejected it or the requester cancelled it. */
    boolean returnJustified(String why, boolean decidedByFinance) {
        if (WithdrawalProcess.REJECTED.equals(why)) {
            return WithdrawalProcess.REJECTED.equals(decision) && decidedByFinance
                    && (status == WithdrawalStatus.REQUESTED || status == WithdrawalStatus.REJECTED);
        }
        if (WithdrawalProcess.CANCELLED.equals(why)) {
            return WithdrawalProcess.CANCELLED.equals(decision) && requesterId.equals(decidedBy)
                    && (status == WithdrawalStatus.REQUESTED || status == WithdrawalStatus.CANCELLED);
        }
        return false;
    }

    private static final String PAID = WithdrawalProcess.PAID;

    private void waiting(String what) {
        if (status != WithdrawalStatus.REQUESTED || decision != null) {
            throw new ConflictException("Withdrawal " + ref + " is " + status
                    + (decision == null || status != WithdrawalStatus.REQUESTED ? "" : " (" + decision.toLowerCase() + ")")
                    + "; it can be " + what + " only while it waits for finance");
        }
    }
}
