package io.gigflow.field;

import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.UnprocessableException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationException;
import org.springframework.stereotype.Component;

/**
 * Who may do what to a field assignment, and in which status: the one place for these rules.
 * The task and message listeners, the delegates (money steps included), the domain API and the
 * action processes all ask here, so that every door (Tasklist, /engine-rest, /api, Java) meets
 * the same refusal: 403 for the wrong party, 409 for the wrong status, nothing changed.
 *
 * <p>{@code by} is the signed-in person, or {@code null} for the system (timers, asynchronous
 * steps, trusted code), which is bound by the status rules only. Every party and every fact the
 * rules read comes from the assignment's row, never from a process variable.
 */
@Component
class FieldGuard {

    private static final Set<FieldStatus> WORKING = Set.of(FieldStatus.ASSIGNED, FieldStatus.IN_PROGRESS);
    private static final Set<FieldStatus> SETTLED = Set.of(FieldStatus.APPROVED, FieldStatus.PAID, FieldStatus.CANCELLED);

    private final Parties parties;
    private final FieldAssignmentRepository assignments;

    FieldGuard(Parties parties, FieldAssignmentRepository assignments) {
        this.parties = parties;
        this.assignments = assignments;
    }

    // ---- who may start what

    void mayPublish(String by, String companyId) {
        if (by != null && !parties.isCompanyMember(by, companyId)) {
            throw new AuthorizationException(by + " is not a member of company " + companyId);
        }
    }

    void mayActAsClient(String by) {
        if (parties.companiesOf(by).isEmpty()) {
            throw new AuthorizationException(by + " is not a member of a client company: client actions are for clients");
        }
    }

    void mayActAsWorker(String by) {
        if (!parties.isFieldWorker(by)) {
            throw new AuthorizationException(by + " is not a field worker: worker actions are for field workers");
        }
    }

    // ---- PUBLISHED

    void apply(FieldAssignment a, String by) {
        if (by != null && !parties.isFieldWorker(by)) {
            throw new ForbiddenException(by + " is not a field worker: only field workers apply for assignments");
        }
        if (by != null && assignments.isRemoved(a.id(), by)) {
            throw new ConflictException("You were removed from assignment " + a.ref() + " and cannot apply again");
        }
        status(a, "applications are for PUBLISHED assignments", FieldStatus.PUBLISHED);
    }

    void answerQuestion(FieldAssignment a, String by) {
        company(a, by);
        status(a, "questions are answered while it is PUBLISHED", FieldStatus.PUBLISHED);
    }

    void choose(FieldAssignment a, String by) {
        company(a, by);
        status(a, "a worker is chosen while it is PUBLISHED", FieldStatus.PUBLISHED);
    }

    // ---- the worker's steps

    void confirm(FieldAssignment a, String by) {
        worker(a, by);
        status(a, "it is confirmed while ASSIGNED", FieldStatus.ASSIGNED);
    }

    void checkIn(FieldAssignment a, String by) {
        worker(a, by);
        status(a, "the worker checks in while ASSIGNED", FieldStatus.ASSIGNED);
        if (!a.checkInRequired()) {
            throw new ConflictException("Assignment " + a.ref() + " does not require a check-in");
        }
    }

    void checkOut(FieldAssignment a, String by) {
        worker(a, by);
        status(a, "the worker checks out while IN_PROGRESS", FieldStatus.IN_PROGRESS);
        if (!a.checkOutPending()) {
            throw new ConflictException("Assignment " + a.ref() + " owes no check-out");
        }
    }

    void submit(FieldAssignment a, String by) {
        worker(a, by);
        status(a, "work is submitted while IN_PROGRESS", FieldStatus.IN_PROGRESS);
    }

    /** A worker's request; a bonus only once the work is under way. */
    void request(FieldAssignment a, String by, String kind) {
        worker(a, by);
        status(a, "requests are for ASSIGNED or IN_PROGRESS assignments", FieldStatus.ASSIGNED, FieldStatus.IN_PROGRESS);
        if ("BONUS".equals(kind) && a.status() != FieldStatus.IN_PROGRESS) {
            throw new ConflictException("Assignment " + a.ref() + " is " + a.status() + "; a bonus can be asked only while IN_PROGRESS");
        }
    }

    void answerReschedule(FieldAssignment a, String by) {
        worker(a, by);
        status(a, "a new schedule is answered while ON_HOLD", FieldStatus.ON_HOLD);
        if (a.proposedStart() == null || a.proposedEnd() == null) {
            throw new ConflictException("Assignment " + a.ref() + " has no new schedule to answer");
        }
    }

    /** FastFunds: the assigned worker, an APPROVED assignment, and at least one earlier paid one (422 otherwise). */
    void fastFunds(FieldAssignment a, String by) {
        worker(a, by);
        status(a, "FastFunds is for APPROVED assignments", FieldStatus.APPROVED);
        if (assignments.paidAssignmentsOf(a.workerId()) == 0) {
            throw new UnprocessableException("FastFunds is for workers with at least one paid assignment; " + a.ref()
                    + " is paid on " + a.paymentDueOn());
        }
    }

    // ---- the client's steps and messages

    void answerRequest(FieldAssignment a, String by) {
        company(a, by);
        status(a, "requests are answered while ASSIGNED or IN_PROGRESS", FieldStatus.ASSIGNED, FieldStatus.IN_PROGRESS);
    }

    void review(FieldAssignment a, String by) {
        company(a, by);
        status(a, "a submission is reviewed while PENDING_APPROVAL", FieldStatus.PENDING_APPROVAL);
    }

    /**
     * The approval moves the invoice total into escrow: only a submission under review that a
     * member of the company approved (the decision its review listener recorded in the row).
     */
    void approve(FieldAssignment a, String by) {
        review(a, by);
        if (!FieldAssignmentProcess.APPROVE.equals(a.reviewDecision())) {
            throw new ConflictException("Assignment " + a.ref() + " was not approved by its client");
        }
    }

    void sendBack(FieldAssignment a, String by) {
        review(a, by);
        if (!FieldAssignmentProcess.NOT_SATISFIED.equals(a.reviewDecision())) {
            throw new ConflictException("Assignment " + a.ref() + " was not sent back by its client");
        }
    }

    void hold(FieldAssignment a, String by) {
        company(a, by);
        if (!WORKING.contains(a.status())) {
            throw new ConflictException("Assignment " + a.ref() + " is " + a.status()
                    + "; only ASSIGNED or IN_PROGRESS assignments can be put on hold");
        }
    }

    void removeHold(FieldAssignment a, String by) {
        company(a, by);
        status(a, "a hold is removed while ON_HOLD", FieldStatus.ON_HOLD);
    }

    void cancel(FieldAssignment a, String by) {
        company(a, by);
        if (SETTLED.contains(a.status())) {
            throw new ConflictException("Assignment " + a.ref() + " is " + a.status() + "; only an assignment not yet APPROVED can be cancelled");
        }
    }

    /** A message from the client that the assignment's status refuses anyway: still, only the client may send it. */
    void clientMessage(FieldAssignment a, String by) {
        company(a, by);
    }

    // ---- what the process does on its own

    void beginWork(FieldAssignment a) {
        if (a.status() != FieldStatus.ASSIGNED) {
            throw new IllegalStateException("assignment " + a.ref() + " is " + a.status() + ", work cannot begin");
        }
    }

    /** Back to work after a hold: the worker accepted the proposal the client made. */
    void resume(FieldAssignment a) {
        status(a, "only an assignment ON_HOLD resumes", FieldStatus.ON_HOLD);
        if (!FieldAssignmentProcess.ACCEPT.equals(a.rescheduleAnswer()) || a.proposedStart() == null) {
            throw new ConflictException("Assignment " + a.ref() + ": the worker has not accepted a new schedule");
        }
    }

    void removeWorker(FieldAssignment a) {
        status(a, "only an assignment ON_HOLD loses its worker", FieldStatus.ON_HOLD);
        if (!FieldAssignmentProcess.DECLINE.equals(a.rescheduleAnswer()) || a.proposedStart() == null) {
            throw new ConflictException("Assignment " + a.ref() + ": the worker has not declined a new schedule");
        }
    }

    /**
     * The escrow goes to the worker: only an APPROVED assignment (a repeated step finds it PAID),
     * with FastFunds only when the worker asked for it, otherwise not before the payment date.
     */
    void payOut(FieldAssignment a, boolean fastFunds, OffsetDateTime now) {
        if (a.status() != FieldStatus.APPROVED && a.status() != FieldStatus.PAID || a.invoiceTotal() == null) {
            throw new IllegalStateException("assignment " + a.ref() + " is " + a.status() + ": only an approved one is paid");
        }
        if (fastFunds && a.fastFundsRequestedAt() == null) {
            throw new IllegalStateException("assignment " + a.ref() + ": the worker did not ask for FastFunds");
        }
        if (!fastFunds && (a.paymentDueAt() == null || now.isBefore(a.paymentDueAt()))) {
            throw new IllegalStateException("assignment " + a.ref() + " is due on " + a.paymentDueAt() + ", not before");
        }
    }

    // ---- parties and statuses

    /** A member of the assignment's company (the company named in the row). */
    void company(FieldAssignment a, String by) {
        if (by != null && !parties.isCompanyMember(by, a.companyId())) {
            throw new ForbiddenException("Only members of company " + a.companyId() + " do this on assignment " + a.ref());
        }
    }

    /** The worker the row names as assigned. */
    void worker(FieldAssignment a, String by) {
        if (by != null && !a.isWorker(by)) {
            throw new ForbiddenException("Only the assigned worker does this on assignment " + a.ref());
        }
    }

    private static void status(FieldAssignment a, String rule, FieldStatus... allowed) {
        if (!List.of(allowed).contains(a.status())) {
            throw new ConflictException("Assignment " + a.ref() + " is " + a.status() + "; " + rule);
        }
    }
}
