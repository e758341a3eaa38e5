package io.gigflow.milestone;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import java.time.OffsetDateTime;
import org.springframework.stereotype.Component;

/**
 * Who may do what to a milestone, and in which state: the one place that the steps' listeners,
 * the message listeners, the approval and payment steps and the domain API ask, so that
 * Tasklist, /engine-rest, /api and the engine's own jobs meet the same rules. Every answer
 * comes from the rows; nothing here reads a process variable, since any party's completion
 * could have written one.
 *
 * <p>{@code by} is the signed-in user, or null for the platform's own code (jobs, timers,
 * internal calls without a user), which is trusted.
 */
@Component
class MilestoneGuard {

    private final Parties parties;

    MilestoneGuard(Parties parties) {
        this.parties = parties;
    }

    /** Only the contractor the row names marks the milestone completed, while it is in progress. */
    void complete(Milestone m, String by) {
        if (by != null && !m.contractorId().equals(by)) {
            throw new ForbiddenException("Only the contractor " + m.contractorId() + " marks milestone " + m.ref() + " completed");
        }
        if (m.status() != MilestoneStatus.IN_PROGRESS) {
            throw new ConflictException("Milestone " + m.ref() + " is " + m.status() + "; only a milestone IN_PROGRESS can be marked completed");
        }
    }

    /** Only a member of the row's company approves or rejects a submission, while it is in review. */
    void review(Milestone m, String by) {
        requireCompanyMember(m, by);
        if (m.status() != MilestoneStatus.SUBMITTED) {
            throw new ConflictException("Milestone " + m.ref() + " is " + m.status() + "; only a SUBMITTED milestone can be reviewed");
        }
    }

    /** A member of the company edits, deletes or moves the deadline of a pending milestone. */
    void change(Milestone m, String by, String what) {
        requireCompanyMember(m, by);
        if (!m.status().isPending()) {
            throw new ConflictException("Milestone " + m.ref() + " is " + m.status()
                    + "; only a pending milestone (IN_PROGRESS or SUBMITTED) can be " + what);
        }
    }

    /** A member of the company asks to pay the drafted payment of an approved milestone. */
    void requestPayment(Milestone m, MilestonePayment payment, String by) {
        requireCompanyMember(m, by);
        if (m.status() != MilestoneStatus.APPROVED || payment == null || payment.status() != PaymentStatus.DRAFT) {
            throw new ConflictException("Milestone " + m.ref() + " is " + m.status() + (payment == null ? " without a payment"
                    : " with its payment " + payment.status()) + "; only a drafted payment of an approved milestone can be paid");
        }
    }

    // The steps below run after checked decisions; a refusal here means that something other
    // than the lifecycle brought the process to the step: the step fails, an operator looks.

    /**
     * The company's setting, fixed at the start, approves a submission nobody reviewed once its
     * days have passed since it was submitted.
     */
    void approveAutomatically(Milestone m, Submission open, OffsetDateTime now) {
        Integer days = m.autoApproveAfterDays();
        if (m.status() != MilestoneStatus.SUBMITTED || days == null || days <= 0
                || now.isBefore(open.submittedAt().plusDays(days))) {
            throw new IllegalStateException("milestone " + m.ref() + " (" + m.status() + ", automatic approval after " + days
                    + " days, submission " + open.number() + " of " + open.submittedAt() + ") cannot be approved automatically now");
        }
    }

    /**
     * Approval drafts the payment: the newest submission was approved, by a member of the
     * company or by the company's automatic approval (an approval run again finds it APPROVED).
     */
    void approve(Milestone m, Submission decided) {
        boolean state = m.status() == MilestoneStatus.SUBMITTED || m.status() == MilestoneStatus.APPROVED;
        boolean approved = decided != null && Submission.APPROVED.equals(decided.decision());
        boolean byTheCompany = approved && (decided.automatic()
                ? m.autoApproveAfterDays() != null && m.autoApproveAfterDays() > 0
                : CurrentUser.SYSTEM.equals(decided.decidedBy()) || parties.isCompanyMember(decided.decidedBy(), m.companyId()));
        if (!state || !byTheCompany) {
            throw new IllegalStateException("milestone " + m.ref() + " (" + m.status() + ", newest submission "
                    + (decided == null ? "none" : decided.number() + " " + decided.decision() + " by " + decided.decidedBy())
                    + ") cannot be approved");
        }
    }

    /** Company balance to the contractor: the drafted payment of this approved milestone, for its parties. */
    void pay(Milestone m, MilestonePayment payment) {
        if (m.status() != MilestoneStatus.APPROVED || payment.milestoneId() != m.id() || !payment.companyId().equals(m.companyId())
                || !payment.contractorId().equals(m.contractorId())) {
            throw new IllegalStateException("milestone " + m.ref() + " (" + m.status() + ") cannot pay payment " + payment.id());
        }
    }

    private void requireCompanyMember(Milestone m, String by) {
        if (by != null && !parties.isCompanyMember(by, m.companyId())) {
            throw new ForbiddenException("Only the company " + m.companyId() + " changes milestone " + m.ref());
        }
    }
}
