package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.Money;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TaskFormFacts;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What the human steps of field-assignment show, from the assignment's rows when the form is opened:
 * the reference, the title, the other party's name (the company on a worker's step, the worker on the
 * company's once one is assigned), the price with its currency (the budget while choosing), the schedule
 * as instants, the location; and each step's own facts: the open applications and their choices, the
 * question or the request answered, the hold, the proposed schedule, the submission, what FastFunds
 * costs. None of it is a variable of the engine, so a change of the row shows at once, and no completion
 * can change what the other party's form shows. The contact details are on no form.
 */
@Component
class FieldFormFacts implements TaskFormFacts {

    /** The other party's display name: the company on a worker's step, the worker on the company's. */
    static final String SHOWN_PARTY = StepDisplay.ASKED_BY;
    /** The schedule as instants in UTC, which the browser shows in its own time zone. */
    static final String SHOWN_START = "startAt";
    static final String SHOWN_END = "endAt";
    /** A schedule the worker is asked to accept (after a hold). */
    static final String SHOWN_NEW_START = "newStartAt";
    static final String SHOWN_NEW_END = "newEndAt";
    /** FastFunds: the invoice total, the fee, what the worker gets now, and the payment date it replaces. */
    static final String SHOWN_INVOICE_TOTAL = "invoiceTotalText";
    static final String SHOWN_FEE = "feeText";
    static final String SHOWN_NET = "netText";
    static final String SHOWN_PAYMENT_DATE = "paymentDate";

    /** The assignment's title, from the row. */
    static final String SHOWN_TITLE = "title";
    /** Answer question: the question from the row, and when it was asked (who asked: {@link #SHOWN_PARTY}). */
    static final String SHOWN_QUESTION = VAR_QUESTION_TEXT;
    static final String SHOWN_ASKED_AT = "askedAt";
    /** Review request: what the worker asks, in words from the row, its kind, when, and a reschedule's dates. */
    static final String SHOWN_REQUEST = VAR_REQUEST_TEXT;
    static final String SHOWN_REQUEST_KIND = "requestKind";
    static final String SHOWN_REQUESTED_AT = "requestedAt";
    static final String SHOWN_REQUEST_START = "requestStartAt";
    static final String SHOWN_REQUEST_END = "requestEndAt";
    /** Confirm assignment: when the worker is reminded to confirm (the confirmation period before the start). */
    static final String SHOWN_CONFIRM_BY = "confirmBy";
    /** Check out: when the worker checked in. */
    static final String SHOWN_CHECKED_IN = "checkedInAt";
    /** Remove the hold: the row's reason as a phrase, and the note when there is one. */
    static final String SHOWN_HOLD = "holdText";

    private final FieldAssignmentRepository assignments;
    private final Parties parties;
    private final FieldPublishingSteps publishing;
    private final FieldReviewSteps review;
    private final CurrentUser currentUser;
    private final NotificationService notifications;

    FieldFormFacts(FieldAssignmentRepository assignments, Parties parties, FieldPublishingSteps publishing, FieldReviewSteps review,
            CurrentUser currentUser, NotificationService notifications) {
        this.assignments = assignments;
        this.parties = parties;
        this.publishing = publishing;
        this.review = review;
        this.currentUser = currentUser;
        this.notifications = notifications;
    }

    @Override
    public Set<String> processDefinitionKeys() {
        return Set.of(KEY);
    }

    @Override
    public Map<String, Object> facts(Step step) {
        FieldAssignment assignment = assignments.findByProcessInstance(step.processInstanceId()).orElse(null);
        if (assignment == null) {
            return Map.of();
        }
        String key = step.taskDefinitionKey();
        Map<String, Object> facts = new HashMap<>();
        facts.put(StepDisplay.REF, assignment.ref());
        facts.put(SHOWN_TITLE, assignment.title());
        facts.put(SHOWN_PARTY, FieldTasks.COMPANY_STEPS.contains(key)
                ? (assignment.workerId() == null ? "" : parties.personName(assignment.workerId()))
                : parties.companyName(assignment.companyId()));
        facts.put(StepDisplay.AMOUNT, Readable.money(TASK_CHOOSE_APPLICANT.equals(key) ? assignment.budget() : assignment.price()));
        facts.put(VAR_LOCATION, assignment.location());
        facts.put(SHOWN_START, StepDisplay.instant(assignment.scheduledStart()));
        facts.put(SHOWN_END, StepDisplay.instant(assignment.scheduledEnd()));
        switch (key) {
            case TASK_CHOOSE_APPLICANT -> {
                ZoneId zone = zone(assignment);
                facts.put(VAR_APPLICATIONS_TEXT, publishing.applicationsText(assignment, zone));
                facts.put(VAR_APPLICANT_OPTIONS, publishing.applicantOptions(assignment, zone).serialized());
            }
            case TASK_ANSWER_QUESTION -> question(step, assignment).ifPresent(question -> {
                facts.put(SHOWN_QUESTION, question.question());
                facts.put(SHOWN_PARTY, parties.personName(question.workerId()));
                facts.put(SHOWN_ASKED_AT, StepDisplay.instant(question.askedAt()));
            });
            case TASK_REVIEW_REQUEST -> request(step, assignment).ifPresent(request -> {
                facts.put(SHOWN_REQUEST, requestText(request));
                facts.put(SHOWN_REQUEST_KIND, request.kind());
                facts.put(SHOWN_REQUESTED_AT, StepDisplay.instant(request.requestedAt()));
                facts.put(SHOWN_REQUEST_START, StepDisplay.instant(request.newStart()));
                facts.put(SHOWN_REQUEST_END, StepDisplay.instant(request.newEnd()));
            });
            case TASK_REMOVE_HOLD -> facts.put(SHOWN_HOLD, Readable.code(assignment.holdReason())
                    + (assignment.holdNote() == null ? "" : ": " + assignment.holdNote()));
            case TASK_ANSWER_RESCHEDULE -> {
                facts.put(SHOWN_NEW_START, StepDisplay.instant(assignment.proposedStart()));
                facts.put(SHOWN_NEW_END, StepDisplay.instant(assignment.proposedEnd()));
            }
            case TASK_CONFIRM_ASSIGNMENT -> facts.put(SHOWN_CONFIRM_BY, StepDisplay.instant(assignment.confirmDueAt()));
            case TASK_CHECK_OUT -> facts.put(SHOWN_CHECKED_IN, StepDisplay.instant(assignment.checkedInAt()));
            case TASK_SUBMIT_WORK -> {
                List<FieldAssignmentRepository.Requirement> requirements = assignments.requirements(assignment.id());
                facts.put(VAR_REQUIREMENTS_TEXT, FieldPublishingSteps.requirementsText(names(requirements, FieldPublishingSteps.DELIVERABLE),
                        names(requirements, FieldPublishingSteps.CUSTOM_FIELD)));
            }
            case TASK_REVIEW_SUBMISSION -> facts.put(VAR_SUBMISSION_TEXT, review.submissionText(assignment));
            case TASK_REQUEST_FAST_FUNDS -> {
                if (assignment.invoiceTotal() != null) {
                    Money total = assignment.invoiceTotal();
                    Money fee = review.fastFundsFee(total);
                    facts.put(SHOWN_INVOICE_TOTAL, Readable.money(total));
                    facts.put(SHOWN_FEE, Readable.money(fee));
                    facts.put(SHOWN_NET, Readable.money(total.minus(fee)));
                    facts.put(SHOWN_PAYMENT_DATE, StepDisplay.instant(assignment.paymentDueAt()));
                }
            }
            default -> {
            }
        }
        return facts;
    }

    /**
     * The zone the applications' dates are written in (a select's label is text, which the browser cannot
     * move to its own zone): the zone of the member who opens the form, or without one the zone the
     * company's members share, else UTC. The labels always name it.
     */
    private ZoneId zone(FieldAssignment assignment) {
        return currentUser.id().map(person -> notifications.settings(person).timeZone())
                .orElseGet(() -> publishing.viewerZone(assignment));
    }

    /** The question this step answers: the step's scope names it by its id, which only the process writes; another assignment's is not found. */
    private Optional<FieldAssignmentRepository.Question> question(Step step, FieldAssignment assignment) {
        Object id = step.variable(VAR_QUESTION_ID);
        return assignments.questions(assignment.id()).stream().filter(q -> id instanceof Number n && q.id() == n.longValue()).findFirst();
    }

    /** The worker's request this step answers, named by the step's scope as the question is. */
    private Optional<FieldAssignmentRepository.Request> request(Step step, FieldAssignment assignment) {
        return step.variable(VAR_REQUEST_ID) instanceof Number n ? assignments.request(assignment, n.longValue()) : Optional.empty();
    }

    /** What the worker asks, in words: an amount with its currency, or another schedule; and the reason. */
    private static String requestText(FieldAssignmentRepository.Request request) {
        String what = switch (request.kind()) {
            case "BUDGET_INCREASE" -> "A budget increase of " + Readable.money(request.amount());
            case "EXPENSE" -> "An expense of " + Readable.money(request.amount()) + " paid back";
            case "BONUS" -> "A bonus of " + Readable.money(request.amount());
            case "RESCHEDULE" -> "Another schedule: the new start and end below";
            default -> Readable.code(request.kind());
        };
        return what + (request.reason() == null ? "" : "\nBecause: " + request.reason());
    }

    static List<String> names(List<FieldAssignmentRepository.Requirement> requirements, String kind) {
        return requirements.stream().filter(r -> r.kind().equals(kind)).map(FieldAssignmentRepository.Requirement::name).toList();
    }
}
