package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import io.gigflow.identity.Parties;
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
        String what = what(assignment);
        String reference = assignment.reference();
        List<String> company = parties.companyMembers(assignment.companyId()).stream().map(Parties.Person::id).toList();
        String worker = assignment.workerId();
        switch (notice) {
            case "ASSIGNED" -> {
                notifications.notify(worker, notice, reference, occurrence, "Assigned to you: " + assignment.title(),
                        "You were chosen for " + what + ", scheduled " + assignment.scheduledStart() + " to " + assignment.scheduledEnd()
                                + " at " + assignment.location() + ". Please confirm it.");
                Set<String> others = new LinkedHashSet<>();
                assignments.applications(assignment).stream().filter(a -> "NOT_CHOSEN".equals(a.status())).map(a -> a.workerId())
                        .filter(w -> !w.equals(worker)).forEach(others::add);
                notifications.notifyAll(others, "NOT_CHOSEN", reference, occurrence, "Not chosen: " + assignment.title(),
                        "The client chose another worker for " + what + ".");
            }
            case "QUESTION_ANSWERED" -> {
                long questionId = ((Number) execution.getVariable(VAR_QUESTION_ID)).longValue();
                assignments.questions(assignment.id()).stream().filter(q -> q.id() == questionId).findFirst().ifPresent(q ->
                        notifications.notify(q.workerId(), notice, reference, "q" + questionId, "Your question was answered: " + assignment.title(),
                                "The client answered your question on " + what + ": " + q.answer()));
            }
            case "CONFIRMATION_REMINDER" -> notifications.notify(worker, notice, reference, occurrence, "Please confirm: " + assignment.title(),
                    "Please confirm " + what + ". It starts " + assignment.scheduledStart() + ".");
            case "REQUEST_SUBMITTED" -> notifications.notifyAll(company, notice, reference, occurrence, "Worker request: " + assignment.title(),
                    "The worker asks on " + what + ": " + execution.getVariable(VAR_REQUEST_TEXT) + ". Approve or decline it.");
            case "REQUEST_ANSWERED" -> {
                long requestId = ((Number) execution.getVariable(VAR_REQUEST_ID)).longValue();
                FieldAssignmentRepository.Request request = assignments.request(assignment, requestId).orElseThrow();
                notifications.notify(worker, notice, reference, occurrence, "Request " + request.status().toLowerCase() + ": " + assignment.title(),
                        "Your request (" + execution.getVariable(VAR_REQUEST_TEXT) + ") on " + what + " was " + request.status().toLowerCase()
                                + (request.answerReason() == null ? "" : ": " + request.answerReason()) + ".");
            }
            case "ON_HOLD" -> notifications.notify(worker, notice, reference, occurrence, "On hold: " + assignment.title(),
                    what + " is on hold (" + assignment.holdReason() + (assignment.holdNote() == null ? "" : ": " + assignment.holdNote())
                            + "). You cannot check in, check out or submit until the client removes the hold.");
            case "RESCHEDULE_REQUESTED" -> notifications.notify(worker, notice, reference, occurrence, "New schedule: " + assignment.title(),
                    "The client removed the hold on " + what + " and proposes " + assignment.proposedStart() + " to "
                            + assignment.proposedEnd() + ". Accept it, or decline and leave the assignment.");
            case "RESUMED" -> notifications.notifyAll(company, notice, reference, occurrence, "Schedule accepted: " + assignment.title(),
                    "The worker accepted the new schedule of " + what + ": " + assignment.scheduledStart() + " to " + assignment.scheduledEnd() + ".");
            case "WORKER_REMOVED" -> {
                String removed = (String) execution.getVariable(VAR_REMOVED_WORKER_ID);
                notifications.notify(removed, notice, reference, occurrence, "Removed: " + assignment.title(),
                        "You declined the new schedule of " + what + " and are no longer assigned to it.");
                notifications.notifyAll(company, notice, reference, occurrence, "Worker declined: " + assignment.title(),
                        "The worker declined the new schedule of " + what + ". It is published again.");
                execution.removeVariable(VAR_REMOVED_WORKER_ID);
            }
            case "SUBMITTED" -> notifications.notifyAll(company, notice, reference, occurrence, "Submitted for approval: " + assignment.title(),
                    "The worker submitted " + what + ". Approve it, or say why you are not satisfied.");
            case "NOT_SATISFIED" -> notifications.notify(worker, notice, reference, occurrence, "Not satisfied: " + assignment.title(),
                    "The client is not satisfied with " + what + ": " + assignment.reviewReason());
            case "APPROVED" -> {
                List<String> both = new ArrayList<>(company);
                both.add(worker);
                notifications.notifyAll(both, notice, reference, "Approved and invoiced: " + assignment.title(),
                        what + " was approved. Invoice INV-FA-" + assignment.ref() + " over " + assignment.invoiceTotal()
                                + "; payment date " + assignment.paymentDueOn() + ".");
            }
            case "PAID" -> {
                List<String> both = new ArrayList<>(company);
                both.add(worker);
                notifications.notifyAll(both, notice, reference, "Paid: " + assignment.title(),
                        what + " was paid: " + assignment.invoiceTotal() + (assignment.fastFundsFee() == null ? ""
                                : " less the FastFunds fee of " + assignment.fastFundsFee()) + " to the worker.");
            }
            case "CANCELLED" -> {
                List<String> recipients = new ArrayList<>(company);
                if (worker != null) {
                    recipients.add(worker);
                }
                notifications.notifyAll(recipients, notice, reference, "Cancelled: " + assignment.title(), "The client cancelled " + what
                        + (assignment.cancelPayment() == null ? "." : " and paid the worker " + assignment.cancelPayment() + "."));
            }
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    static String what(FieldAssignment assignment) {
        return "\"" + assignment.title() + "\" (" + assignment.ref() + ")";
    }
}
