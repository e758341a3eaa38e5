package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;
import static io.gigflow.field.FieldInputs.*;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.InsufficientBalanceException;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.UnprocessableException;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.persistence.entity.JobEntity;
import org.camunda.bpm.engine.runtime.Job;
import org.springframework.stereotype.Service;

/**
 * What changes a running assignment from outside its main path: the worker's requests, the
 * client's hold and the new schedule the worker accepts or declines, the cancellation (with an
 * optional payment) and the refusals of messages the status does not take.
 *
 * <p>A message's payload goes into the row the moment the message arrives, in the listener on its
 * catch event, after {@link FieldGuard} checked the sender and the status; the steps that follow
 * read the row. A variable left on the instance (by this message or planted earlier by anybody)
 * is never read again.
 */
@Service
class FieldChangeSteps {

    static final Set<String> REQUEST_KINDS = Set.of("BUDGET_INCREASE", "EXPENSE", "BONUS", "RESCHEDULE");

    private final FieldAssignmentRepository assignments;
    private final FieldGuard guard;
    private final Grants grants;
    private final Ledger ledger;
    private final CurrentUser currentUser;
    private final TimeSource time;

    FieldChangeSteps(FieldAssignmentRepository assignments, FieldGuard guard, Grants grants, Ledger ledger, CurrentUser currentUser,
            TimeSource time) {
        this.assignments = assignments;
        this.guard = guard;
        this.grants = grants;
        this.ledger = ledger;
        this.currentUser = currentUser;
        this.time = time;
    }

    // ---- requests

    /**
     * WorkerRequestSubmitted arrived (budget increase, expense, bonus, reschedule): only from the
     * assigned worker, while ASSIGNED or IN_PROGRESS; the request becomes a row at once.
     */
    void acceptWorkerRequest(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        Object rawKind = execution.getVariable(VAR_REQUEST_KIND);
        guard.request(assignment, by(), rawKind instanceof String s ? s : null);
        FieldErrors errors = new FieldErrors();
        String kind = oneOf(errors, VAR_REQUEST_KIND, rawKind, REQUEST_KINDS.stream().sorted().toArray(String[]::new));
        Money amount = null;
        OffsetDateTime start = null;
        OffsetDateTime end = null;
        if ("RESCHEDULE".equals(kind)) {
            start = dateTime(errors, VAR_REQUEST_NEW_START, execution.getVariable(VAR_REQUEST_NEW_START), true);
            end = dateTime(errors, VAR_REQUEST_NEW_END, execution.getVariable(VAR_REQUEST_NEW_END), true);
            schedule(errors, VAR_REQUEST_NEW_START, VAR_REQUEST_NEW_END, start, end, time.now());
        } else if (kind != null) {
            amount = MoneyInput.positive(execution.getVariable(VAR_REQUEST_AMOUNT), assignment.budget().currencyCode(), VAR_REQUEST_AMOUNT,
                    VAR_CURRENCY, errors);
        }
        String reason = errors.optionalText(VAR_REQUEST_REASON, execution.getVariable(VAR_REQUEST_REASON), 1000);
        errors.throwIfAny("Invalid request");
        long id = assignments.addRequest(assignment.id(), assignment.workerId(), kind, amount, start, end, reason, time.now());
        dropOutsideInputs(execution);
        // the event subprocess's own scope: each request under review keeps its id apart
        execution.setVariableLocal(VAR_REQUEST_ID, id);
    }

    /** The request in the assignment's history. */
    void registerRequest(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        FieldAssignmentRepository.Request request = request(execution, assignment);
        assignments.addEvent(assignment.id(), request.requestedAt(), currentUser.actor(), "REQUESTED", "#" + request.id() + " "
                + request.kind() + (request.amount() == null ? "" : " " + request.amount())
                + (request.newStart() == null ? "" : " " + request.newStart() + " to " + request.newEnd()));
    }

    /** The client's answer, by a member of the company, recorded on the request at once. */
    void checkRequestDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldAssignment assignment = locked(execution);
        guard.answerRequest(assignment, by());
        FieldErrors errors = new FieldErrors();
        String decision = oneOf(errors, VAR_REQUEST_DECISION, execution.getVariable(VAR_REQUEST_DECISION), APPROVE, DECLINE);
        String reason = errors.optionalText(VAR_REQUEST_ANSWER_REASON, execution.getVariable(VAR_REQUEST_ANSWER_REASON), 1000);
        errors.throwIfAny("Invalid answer");
        FieldAssignmentRepository.Request request = request(execution, assignment);
        dropOutsideInputs(execution);
        if (!"PENDING".equals(request.status())) {
            throw new ConflictException("Request " + request.id() + " of assignment " + assignment.ref() + " is " + request.status());
        }
        String status = APPROVE.equals(decision) ? "APPROVED" : "DECLINED";
        OffsetDateTime now = time.now();
        assignments.answerRequest(request.id(), status, reason, now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "REQUEST_" + status, "#" + request.id()
                + (reason == null ? "" : ": " + reason));
    }

    /** An approved reschedule moves the dates and the timers that wait for them. */
    void resolveRequest(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        FieldAssignmentRepository.Request request = request(execution, assignment);
        if ("APPROVED".equals(request.status()) && "RESCHEDULE".equals(request.kind())) {
            OffsetDateTime now = time.now();
            assignments.update(assignment.id(), "scheduled_start = :start, scheduled_end = :end", now, "start", request.newStart(),
                    "end", request.newEnd());
            moveTimers(execution, assignments.lockFor(assignment.ref(), assignment.processInstanceId()));
        }
    }

    private FieldAssignmentRepository.Request request(DelegateExecution execution, FieldAssignment assignment) {
        Object id = execution.getVariable(VAR_REQUEST_ID);
        return (id instanceof Number n ? assignments.request(assignment, n.longValue()) : java.util.Optional.<FieldAssignmentRepository.Request>empty())
                .orElseThrow(() -> new ConflictException("No such request of assignment " + assignment.ref()));
    }

    /** Timers already waiting read their date when they were created: they move with the schedule in the row. */
    private void moveTimers(DelegateExecution execution, FieldAssignment assignment) {
        Map<String, OffsetDateTime> dates = Map.of(TIMER_CONFIRMATION_REMINDER, assignment.confirmDueAt(),
                TIMER_LATE_CHECK_IN, assignment.scheduledStart(), TIMER_SCHEDULED_START, assignment.scheduledStart(),
                TIMER_SCHEDULED_END, assignment.scheduledEnd());
        var management = execution.getProcessEngineServices().getManagementService();
        Context.getCommandContext().runWithoutAuthorization(() -> {
            for (Job job : management.createJobQuery().processInstanceId(execution.getProcessInstanceId()).timers().listPage(0, 100)) {
                String activity = ((JobEntity) job).getActivityId();
                if (activity != null && dates.containsKey(activity)) {
                    management.setJobDuedate(job.getId(), Date.from(dates.get(activity).toInstant()));
                }
            }
            return null;
        });
    }

    // ---- hold

    /**
     * AssignmentHoldRequested arrived while ASSIGNED or IN_PROGRESS: only from a member of the
     * company; reason and note go into the row at once.
     */
    void acceptHold(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.hold(assignment, by());
        FieldErrors errors = new FieldErrors();
        String reason = oneOf(errors, VAR_HOLD_REASON, execution.getVariable(VAR_HOLD_REASON), "OTHER", "PARTS_NOT_AVAILABLE", "SITE_NOT_READY");
        String note = errors.optionalText(VAR_HOLD_NOTE, execution.getVariable(VAR_HOLD_NOTE), 1000);
        if ("OTHER".equals(reason) && note == null && errors.isEmpty()) {
            errors.add(VAR_HOLD_NOTE, "required", "is required when the reason is OTHER");
        }
        errors.throwIfAny("Invalid hold");
        assignments.update(assignment.id(), "hold_reason = :reason, hold_note = :note, proposed_start = null, proposed_end = null,"
                + " reschedule_answer = null", time.now(), "reason", reason, "note", note);
        dropOutsideInputs(execution);
    }

    /** ON_HOLD: the worker's steps (confirm, check in, check out, submit) and open requests end. */
    void putOnHold(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.hold(assignment, by());
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "status = 'ON_HOLD', held_from = :from", now, "from", assignment.status().name());
        assignments.withdrawPendingRequests(assignment.id(), "the assignment was put on hold", now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "ON_HOLD", assignment.holdReason()
                + (assignment.holdNote() == null ? "" : ": " + assignment.holdNote()));
        execution.setVariable(VAR_STATUS, FieldStatus.ON_HOLD.name());
    }

    /** The client's new schedule, by a member of the company, becomes the row's proposal that the worker answers. */
    void checkHoldRemoval(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldAssignment assignment = locked(execution);
        guard.removeHold(assignment, by());
        FieldErrors errors = new FieldErrors();
        OffsetDateTime start = formDateTime(errors, VAR_NEW_START, execution.getVariable(VAR_NEW_START));
        OffsetDateTime end = formDateTime(errors, VAR_NEW_END, execution.getVariable(VAR_NEW_END));
        schedule(errors, VAR_NEW_START, VAR_NEW_END, start, end, time.now());
        errors.throwIfAny("Invalid new schedule");
        assignments.update(assignment.id(), "proposed_start = :start, proposed_end = :end, reschedule_answer = null", time.now(),
                "start", start, "end", end);
        dropOutsideInputs(execution);
    }

    /** The client removed the hold with a new date and time: the worker is asked to accept it. */
    void requestReschedule(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "HOLD_REMOVED", "proposed " + assignment.proposedStart()
                + " to " + assignment.proposedEnd());
    }

    /** The worker's answer accepts or declines the client's proposal (it cannot set dates); the row records it. */
    void checkRescheduleAnswer(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldAssignment assignment = locked(execution);
        guard.answerReschedule(assignment, by());
        FieldErrors errors = new FieldErrors();
        String answer = oneOf(errors, VAR_RESCHEDULE_ANSWER, execution.getVariable(VAR_RESCHEDULE_ANSWER), ACCEPT, DECLINE);
        errors.throwIfAny("Invalid answer");
        assignments.update(assignment.id(), "reschedule_answer = :answer", time.now(), "answer", answer);
        dropOutsideInputs(execution);
    }

    /** The worker accepted the new schedule: back to the status before the hold, with fresh labels. */
    void resumeAfterHold(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.resume(assignment);
        OffsetDateTime start = assignment.proposedStart();
        OffsetDateTime end = assignment.proposedEnd();
        FieldStatus back = FieldStatus.valueOf(assignment.heldFrom());
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "status = :status, scheduled_start = :start, scheduled_end = :end, late = false,"
                + " late_deliverables = false, hold_reason = null, hold_note = null, held_from = null, proposed_start = null,"
                + " proposed_end = null, reschedule_answer = null", now, "status", back.name(), "start", start, "end", end);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "RESCHEDULE_ACCEPTED", start + " to " + end);
        execution.setVariable(VAR_STATUS, back.name());
    }

    /** The worker declined the new schedule: removed (access taken back), and the assignment is PUBLISHED again. */
    void removeWorker(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.removeWorker(assignment);
        OffsetDateTime start = assignment.proposedStart();
        OffsetDateTime end = assignment.proposedEnd();
        OffsetDateTime now = time.now();
        String worker = assignment.workerId();
        assignments.update(assignment.id(), "status = 'PUBLISHED', worker_id = null, application_id = null, agreed_price = null,"
                + " scheduled_start = :start, scheduled_end = :end, confirmed_at = null, checked_in_at = null, checked_out_at = null,"
                + " late = false, late_deliverables = false, hold_reason = null, hold_note = null, held_from = null, submitted_at = null,"
                + " proposed_start = null, proposed_end = null, reschedule_answer = null, review_decision = null, review_reason = null",
                now, "start", start, "end", end);
        assignments.setApplicationStatus(assignment.id(), worker, "CHOSEN", "REMOVED");
        // published again: the other applicants' applications stand, the client may pick one of them
        assignments.setApplicationStatus(assignment.id(), null, "NOT_CHOSEN", "OPEN");
        assignments.clearItems(assignment.id());
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "WORKER_REMOVED", worker + " declined the new schedule");
        grants.revokeUserOnInstance(worker, execution.getProcessInstanceId());
        execution.setVariable(FieldNotices.VAR_REMOVED_WORKER_ID, worker);
        execution.setVariable(VAR_STATUS, FieldStatus.PUBLISHED.name());
    }

    // ---- cancellation and refusals

    /**
     * AssignmentCancelRequested arrived before approval: only from a member of the company; the
     * payment (optional, to the assigned worker) and the reason go into the row at once, and only
     * what this message carried counts.
     */
    void acceptCancel(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.cancel(assignment, by());
        FieldErrors errors = new FieldErrors();
        Object rawPayment = blankToNull(execution.getVariable(VAR_CANCEL_PAYMENT));
        Money payment = rawPayment == null ? null
                : MoneyInput.positive(rawPayment, assignment.budget().currencyCode(), VAR_CANCEL_PAYMENT, VAR_CURRENCY, errors);
        if (payment != null && assignment.workerId() == null) {
            errors.add(VAR_CANCEL_PAYMENT, "worker", "nobody is assigned to be paid; cancel without a payment");
        }
        String reason = errors.optionalText(VAR_CANCEL_REASON, execution.getVariable(VAR_CANCEL_REASON), 1000);
        errors.throwIfAny("Invalid cancellation");
        assignments.update(assignment.id(), "cancel_payment = :payment, cancel_reason = :reason", time.now(),
                "payment", payment == null ? null : payment.amount(), "reason", reason);
        dropOutsideInputs(execution);
    }

    /**
     * The client cancels before approval, optionally paying the worker the amount its message
     * named (at once, from its balance: 422 when short). Without a payment the worker loses access.
     */
    void cancelAssignment(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.cancel(assignment, by());
        Money payment = assignment.cancelPayment();
        if (payment != null) {
            try {
                ledger.transfer(assignment.reference() + ":cancellation-payment", AccountRef.company(assignment.companyId()),
                        AccountRef.user(assignment.workerId()), payment, "Assignment " + assignment.ref() + " cancelled with a payment");
            } catch (InsufficientBalanceException e) {
                throw new UnprocessableException("Not cancelled: the company's balance holds " + e.available() + ", the payment is "
                        + payment + "; short by " + payment.minus(e.available()));
            }
        }
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "status = 'CANCELLED'", now);
        assignments.withdrawPendingRequests(assignment.id(), "the assignment was cancelled", now);
        assignments.setApplicationStatus(assignment.id(), null, "OPEN", "NOT_CHOSEN");
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "CANCELLED", (payment == null ? "without payment" : "with a payment of " + payment)
                + (assignment.cancelReason() == null ? "" : ": " + assignment.cancelReason()));
        if (assignment.workerId() != null && payment == null) {
            grants.revokeUserOnInstance(assignment.workerId(), execution.getProcessInstanceId());
        }
        execution.setVariable(VAR_STATUS, FieldStatus.CANCELLED.name());
    }

    /** A hold or cancellation the status does not take still comes from the client only (403 for anybody else). */
    void checkClientMessage(DelegateExecution execution) {
        guard.clientMessage(locked(execution), by());
    }

    /** A hold or a cancellation sent in a state that does not take it: refused (409), nothing changes. */
    void refuseChange(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        throw new ConflictException("Assignment " + assignment.ref() + " is " + assignment.status()
                + "; it can be put on hold only while ASSIGNED or IN_PROGRESS, and cancelled only before it is APPROVED");
    }

    private String by() {
        return currentUser.id().orElse(null);
    }

    private FieldAssignment locked(DelegateExecution execution) {
        return assignments.lockFor(execution.getProcessBusinessKey(), execution.getProcessInstanceId());
    }
}
