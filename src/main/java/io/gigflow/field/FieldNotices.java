package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import io.gigflow.identity.Parties;
import io.gigflow.notification.Notice;
import io.gigflow.notification.NotificationService;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Service;

/** The notification steps of field-assignment: who hears what, read from the assignment's rows. */
@Service
class FieldNotices {

    /** Written by "Remove the worker" for the notice right after it; no form, message or start declares it. */
    static final String VAR_REMOVED_WORKER_ID = "removedWorkerId";

    private final FieldAssignmentRepository assignments;
    private final Parties parties;
    private final NotificationService notifications;

    FieldNotices(FieldAssignmentRepository assignments, Parties parties, NotificationService notifications) {
        this.assignments = assignments;
        this.parties = parties;
        this.notifications = notifications;
    }

    void notifyParties(DelegateExecution execution, String notice) {
        FieldAssignment assignment = assignments.lockFor(execution.getProcessBusinessKey(), execution.getProcessInstanceId());
        String occurrence = execution.getActivityInstanceId();
        String reference = assignment.reference();
        List<String> company = parties.companyMembers(assignment.companyId()).stream().map(Parties.Person::id).toList();
        String worker = assignment.workerId();
        switch (notice) {
            case "ASSIGNED" -> {
                notifications.notify(worker, notice, reference, occurrence, notice(assignment, "field/assigned"));
                Set<String> others = new LinkedHashSet<>();
                assignments.applications(assignment).stream().filter(a -> "NOT_CHOSEN".equals(a.status())).map(a -> a.workerId())
                        .filter(w -> !w.equals(worker)).forEach(others::add);
                notifications.notifyAll(others, "NOT_CHOSEN", reference, occurrence, notice(assignment, "field/not-chosen"));
            }
            case "QUESTION_ANSWERED" -> {
                long questionId = ((Number) execution.getVariable(VAR_QUESTION_ID)).longValue();
                assignments.questions(assignment.id()).stream().filter(q -> q.id() == questionId).findFirst().ifPresent(q ->
                        notifications.notify(q.workerId(), notice, reference, "q" + questionId,
                                notice(assignment, "field/question-answered").with("answer", q.answer())));
            }
            case "CONFIRMATION_REMINDER" -> notifications.notify(worker, notice, reference, occurrence,
                    notice(assignment, "field/confirmation-reminder").taskOf(execution.getProcessInstanceId()));
            case "REQUEST_SUBMITTED" -> notifications.notifyAll(company, notice, reference, occurrence,
                    request(notice(assignment, "field/request-submitted"), request(execution, assignment)));
            case "REQUEST_ANSWERED" -> {
                FieldAssignmentRepository.Request request = request(execution, assignment);
                notifications.notify(worker, notice, reference, occurrence, request(notice(assignment, "field/request-answered"), request)
                        .label("status", "request-status", request.status()).with("answerReason", request.answerReason()));
            }
            case "ON_HOLD" -> notifications.notify(worker, notice, reference, occurrence, notice(assignment, "field/on-hold")
                    .label("holdReason", "hold-reason", assignment.holdReason()).with("holdNote", assignment.holdNote()));
            case "RESCHEDULE_REQUESTED" -> notifications.notify(worker, notice, reference, occurrence,
                    notice(assignment, "field/reschedule-requested").with("start", assignment.proposedStart()).with("end", assignment.proposedEnd()));
            case "RESUMED" -> notifications.notifyAll(company, notice, reference, occurrence, notice(assignment, "field/resumed"));
            case "WORKER_REMOVED" -> {
                String removed = (String) execution.getVariable(VAR_REMOVED_WORKER_ID);
                notifications.notify(removed, notice, reference, occurrence, notice(assignment, "field/worker-removed"));
                notifications.notifyAll(company, notice, reference, occurrence, notice(assignment, "field/worker-declined")
                        .with("worker", parties.personName(removed)));
                execution.removeVariable(VAR_REMOVED_WORKER_ID);
            }
            case "SUBMITTED" -> notifications.notifyAll(company, notice, reference, occurrence, notice(assignment, "field/submitted"));
            case "NOT_SATISFIED" -> notifications.notify(worker, notice, reference, occurrence, notice(assignment, "field/not-satisfied")
                    .with("reason", assignment.reviewReason()));
            case "APPROVED" -> {
                List<String> both = new ArrayList<>(company);
                both.add(worker);
                notifications.notifyAll(both, notice, reference, notice(assignment, "field/approved")
                        .with("invoice", "INV-FA-" + assignment.ref()).with("total", assignment.invoiceTotal())
                        .with("paymentDate", assignment.paymentDueOn()));
            }
            case "PAID" -> {
                List<String> both = new ArrayList<>(company);
                both.add(worker);
                notifications.notifyAll(both, notice, reference, notice(assignment, "field/paid")
                        .with("total", assignment.invoiceTotal()).with("fee", assignment.fastFundsFee()));
            }
            case "CANCELLED" -> {
                List<String> recipients = new ArrayList<>(company);
                if (worker != null) {
                    recipients.add(worker);
                }
                notifications.notifyAll(recipients, notice, reference, notice(assignment, "field/cancelled")
                        .with("cancelPayment", assignment.cancelPayment()));
            }
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    /**
     * A notice about the assignment, every value from its row: the company and the worker by their
     * names, the schedule in the recipient's zone.
     */
    Notice notice(FieldAssignment assignment, String name) {
        return notice(parties, assignment, name);
    }

    /** {@link #notice(FieldAssignment, String)} for the steps that notify outside this class. */
    static Notice notice(Parties parties, FieldAssignment assignment, String name) {
        return Notice.of(name).with("title", assignment.title()).with("ref", assignment.ref())
                .with("company", parties.companyName(assignment.companyId()))
                .with("worker", assignment.workerId() == null ? null : parties.personName(assignment.workerId()))
                .with("start", assignment.scheduledStart()).with("end", assignment.scheduledEnd())
                .with("location", assignment.location()).with("price", assignment.price())
                .link("/api/field-assignments/" + assignment.ref());
    }

    /** The request under review in this scope, read from its row (the variable only says which one). */
    private FieldAssignmentRepository.Request request(DelegateExecution execution, FieldAssignment assignment) {
        long requestId = ((Number) execution.getVariable(VAR_REQUEST_ID)).longValue();
        return assignments.request(assignment, requestId).orElseThrow();
    }

    private static Notice request(Notice notice, FieldAssignmentRepository.Request request) {
        return notice.label("kind", "request-kind", request.kind()).with("amount", request.amount())
                .with("newStart", request.newStart()).with("newEnd", request.newEnd()).with("reason", request.reason());
    }
}
