package io.gigflow.payout;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import org.springframework.stereotype.Component;

/**
 * Who may do what to a task, and in which state: the one place that the steps' listeners, the
 * money steps and the domain API ask, so that Tasklist, /engine-rest, /api and the engine's own
 * jobs meet the same rules. Every answer comes from the row; nothing here reads a process
 * variable, since any party's completion could have written one.
 *
 * <p>{@code by} is the signed-in user, or null for the platform's own code (jobs, timers, internal
 * calls without a user), which is trusted.
 */
@Component
class TaskPayoutGuard {

    private final Parties parties;

    TaskPayoutGuard(Parties parties) {
        this.parties = parties;
    }

    /** A member of the task's company edits, sends or deletes a draft. */
    void reviewDraft(PayoutTask task, String by) {
        requireCompanyMember(task, by, "review the draft of");
        if (task.status() != TaskStatus.DRAFT) {
            throw new ConflictException("Task " + task.ref() + " is " + task.status() + "; only a DRAFT can be reviewed");
        }
    }

    /** Only the contractor the row names accepts or declines, once, while the task awaits her. */
    void decide(PayoutTask task, String by) {
        if (by != null && !task.contractorId().equals(by)) {
            throw new ForbiddenException("Only the contractor " + task.contractorId() + " decides on task " + task.ref());
        }
        if (!awaitingContractor(task)) {
            throw new ConflictException("Task " + task.ref() + " is " + describe(task) + "; it does not await the contractor's decision");
        }
    }

    /** A member of the company withdraws a task the contractor has not decided on. */
    void cancel(PayoutTask task, String by) {
        requireCompanyMember(task, by, "cancel");
        if (!awaitingContractor(task)) {
            throw new ConflictException("Task " + task.ref() + " is " + describe(task) + "; only a task awaiting the contractor can be cancelled");
        }
    }

    // The money steps below run after a checked decision; a refusal here means that something
    // other than the lifecycle brought the process to the step: the step fails, an operator looks.

    /** Company balance to escrow: a draft that a member (or the company's auto-publish setting) sent. */
    void reserve(PayoutTask task) {
        if (task.status() != TaskStatus.DRAFT || !TaskPayoutProcess.DRAFT_SEND.equals(task.draftDecision())) {
            throw refused(task, "reserved");
        }
    }

    void delete(PayoutTask task) {
        if (task.status() != TaskStatus.DRAFT || !TaskPayoutProcess.DRAFT_DELETE.equals(task.draftDecision())) {
            throw refused(task, "deleted");
        }
    }

    /** Escrow to the contractor: she accepted (a run again finds it PAID). */
    void payout(PayoutTask task) {
        boolean state = task.status() == TaskStatus.AWAITING_CONTRACTOR || task.status() == TaskStatus.PAID;
        if (!state || !TaskPayoutProcess.DECISION_ACCEPT.equals(task.decision()) || !decidedByContractor(task) || task.cancelledBy() != null) {
            throw refused(task, "paid out");
        }
    }

    /** Escrow back to the company: the contractor declined, or a member cancelled before she decided. */
    void refund(PayoutTask task, TaskStatus outcome) {
        boolean state = task.status() == TaskStatus.AWAITING_CONTRACTOR || task.status() == outcome;
        boolean justified = switch (outcome) {
            case DECLINED_BY_CONTRACTOR -> TaskPayoutProcess.DECISION_DECLINE.equals(task.decision()) && decidedByContractor(task)
                    && task.cancelledBy() == null;
            case DECLINED_BY_COMPANY -> task.decision() == null && task.cancelledBy() != null;
            default -> false;
        };
        if (!state || !justified) {
            throw refused(task, "refunded as " + outcome);
        }
    }

    private boolean awaitingContractor(PayoutTask task) {
        return task.status() == TaskStatus.AWAITING_CONTRACTOR && task.decision() == null && task.cancelledBy() == null;
    }

    private static boolean decidedByContractor(PayoutTask task) {
        return task.contractorId().equals(task.decidedBy()) || CurrentUser.SYSTEM.equals(task.decidedBy());
    }

    private void requireCompanyMember(PayoutTask task, String by, String what) {
        if (by != null && !parties.isCompanyMember(by, task.companyId())) {
            throw new ForbiddenException("Only members of company " + task.companyId() + " may " + what + " task " + task.ref());
        }
    }

    private static IllegalStateException refused(PayoutTask task, String what) {
        return new IllegalStateException("task " + task.ref() + " (" + task.status() + ", draft decision " + task.draftDecision()
                + ", decision " + task.decision() + " by " + task.decidedBy() + ", cancelled by " + task.cancelledBy()
                + ") cannot be " + what);
    }

    static String describe(PayoutTask task) {
        if (task.cancelledBy() != null && task.status() == TaskStatus.AWAITING_CONTRACTOR) {
            return task.status() + " (the company's cancellation is being processed)";
        }
        return task.decision() == null ? task.status().name()
                : task.status() + " (the contractor's decision " + task.decision() + " is being processed)";
    }
}
