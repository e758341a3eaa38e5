package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import io.gigflow.identity.Parties;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.Money;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Service;

/**
 * Every human step of field-assignment, when it opens: offered to the party its assignment's row
 * names (the company's group, or the assigned worker), never to a party a process variable names,
 * and named after the assignment.
 */
@Service
class FieldTasks {

    /** The engine's task name column holds 255 characters; a longer name is cut. */
    static final int TASK_NAME_LIMIT = 255;

    static final Set<String> COMPANY_STEPS = Set.of(TASK_CHOOSE_APPLICANT, TASK_ANSWER_QUESTION, TASK_REVIEW_REQUEST,
            TASK_REVIEW_SUBMISSION, TASK_REMOVE_HOLD);
    static final Set<String> WORKER_STEPS = Set.of(TASK_CONFIRM_ASSIGNMENT, TASK_CHECK_IN, TASK_CHECK_OUT, TASK_SUBMIT_WORK,
            TASK_ANSWER_RESCHEDULE, TASK_REQUEST_FAST_FUNDS);

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

    private final FieldAssignmentRepository assignments;
    private final Parties parties;
    private final FieldReviewSteps review;

    FieldTasks(FieldAssignmentRepository assignments, Parties parties, FieldReviewSteps review) {
        this.assignments = assignments;
        this.parties = parties;
        this.review = review;
    }

    /** The company's steps go to the company's group, the worker's to the worker the row names as assigned. */
    void assignTask(DelegateTask task) {
        FieldAssignment assignment = row(task);
        String step = task.getTaskDefinitionKey();
        if (COMPANY_STEPS.contains(step)) {
            task.addCandidateGroup(assignment.companyId());
        } else if (WORKER_STEPS.contains(step)) {
            if (assignment.workerId() == null) {
                throw new IllegalStateException("assignment " + assignment.ref() + " has no worker for step " + step);
            }
            HumanSteps.assignAndOffer(task, assignment.workerId());
        } else if (!TASK_APPLY.equals(step)) {
            throw new IllegalStateException("no party is named for step " + step);
        }
    }

    /**
     * Every human step is named after its assignment in Tasklist ("Check in: F-1001 Replace the
     * meter"), so that a person with several assignments tells them apart. The diagram keeps the
     * step's own name; only the task gets the reference and the title (both in the published scope).
     * The step's form shows the row's facts as variables of the task only ({@link #show}); an offer's
     * Apply for assignment reads them when its form is opened ({@link FieldOfferFormFacts}).
     */
    void nameTask(DelegateTask task) {
        FieldAssignment assignment = row(task);
        String name = task.getName() + ": " + assignment.ref() + " " + assignment.title();
        task.setName(name.length() > TASK_NAME_LIMIT ? name.substring(0, TASK_NAME_LIMIT - 3) + "..." : name);
        if (!offered(task)) {
            show(task, assignment);
        }
    }

    /**
     * What the step's form shows, from the row: the other party's name (the company on a worker's
     * step and on Apply, the worker on the company's once one is assigned), the price with its
     * currency, the schedule as instants, and on FastFunds what it costs and the date it replaces.
     * The contact details stay off every form until a worker is assigned.
     */
    private void show(DelegateTask task, FieldAssignment assignment) {
        String step = task.getTaskDefinitionKey();
        String company = parties.companyName(assignment.companyId());
        String worker = assignment.workerId() == null ? null : parties.personName(assignment.workerId());
        StepDisplay.show(task, StepDisplay.REF, assignment.ref());
        StepDisplay.show(task, SHOWN_TITLE, assignment.title());
        StepDisplay.show(task, SHOWN_PARTY, COMPANY_STEPS.contains(step) ? (worker == null ? "" : worker) : company);
        StepDisplay.show(task, StepDisplay.AMOUNT, Readable.money(TASK_APPLY.equals(step) || TASK_CHOOSE_APPLICANT.equals(step)
                ? assignment.budget() : assignment.price()));
        StepDisplay.show(task, SHOWN_START, StepDisplay.instant(assignment.scheduledStart()));
        StepDisplay.show(task, SHOWN_END, StepDisplay.instant(assignment.scheduledEnd()));
        if (TASK_ANSWER_RESCHEDULE.equals(step) || TASK_REMOVE_HOLD.equals(step)) {
            StepDisplay.show(task, SHOWN_NEW_START, StepDisplay.instant(assignment.proposedStart()));
            StepDisplay.show(task, SHOWN_NEW_END, StepDisplay.instant(assignment.proposedEnd()));
        }
        if (TASK_ANSWER_QUESTION.equals(step)) {
            showQuestion(task, assignment);
        }
        if (TASK_REVIEW_REQUEST.equals(step)) {
            showRequest(task, assignment);
        }
        if (TASK_CONFIRM_ASSIGNMENT.equals(step)) {
            StepDisplay.show(task, SHOWN_CONFIRM_BY, StepDisplay.instant(assignment.confirmDueAt()));
        }
        if (TASK_CHECK_OUT.equals(step)) {
            StepDisplay.show(task, SHOWN_CHECKED_IN, StepDisplay.instant(assignment.checkedInAt()));
        }
        if (TASK_REQUEST_FAST_FUNDS.equals(step) && assignment.invoiceTotal() != null) {
            Money total = assignment.invoiceTotal();
            Money fee = review.fastFundsFee(total);
            StepDisplay.show(task, SHOWN_INVOICE_TOTAL, Readable.money(total));
            StepDisplay.show(task, SHOWN_FEE, Readable.money(fee));
            StepDisplay.show(task, SHOWN_NET, Readable.money(total.minus(fee)));
            StepDisplay.show(task, SHOWN_PAYMENT_DATE, StepDisplay.instant(assignment.paymentDueAt()));
        }
    }

    /**
     * The question this step answers, from the row: its text, the worker who asked it and when. The
     * step's scope names the question by its id, which only the process writes; a question of another
     * assignment is not found.
     */
    private void showQuestion(DelegateTask task, FieldAssignment assignment) {
        Object id = task.getExecution().getVariable(VAR_QUESTION_ID);
        FieldAssignmentRepository.Question question = assignments.questions(assignment.id()).stream()
                .filter(q -> id instanceof Number n && q.id() == n.longValue()).findFirst()
                .orElseThrow(() -> new IllegalStateException("assignment " + assignment.ref() + " has no question " + id));
        StepDisplay.show(task, SHOWN_QUESTION, question.question());
        StepDisplay.show(task, SHOWN_PARTY, parties.personName(question.workerId()));
        StepDisplay.show(task, SHOWN_ASKED_AT, StepDisplay.instant(question.askedAt()));
    }

    /**
     * The worker's request this step answers, from the row: an amount with its currency, or a
     * reschedule's new start and end as instants; the reason; when it was asked. The step's scope
     * names the request by its id, which only the process writes.
     */
    private void showRequest(DelegateTask task, FieldAssignment assignment) {
        Object id = task.getExecution().getVariable(VAR_REQUEST_ID);
        FieldAssignmentRepository.Request request = (id instanceof Number n ? assignments.request(assignment, n.longValue())
                : java.util.Optional.<FieldAssignmentRepository.Request>empty())
                .orElseThrow(() -> new IllegalStateException("assignment " + assignment.ref() + " has no request " + id));
        String what = switch (request.kind()) {
            case "BUDGET_INCREASE" -> "A budget increase of " + Readable.money(request.amount());
            case "EXPENSE" -> "An expense of " + Readable.money(request.amount()) + " paid back";
            case "BONUS" -> "A bonus of " + Readable.money(request.amount());
            case "RESCHEDULE" -> "Another schedule: the new start and end below";
            default -> Readable.code(request.kind());
        };
        StepDisplay.show(task, SHOWN_REQUEST, what + (request.reason() == null ? "" : "\nBecause: " + request.reason()));
        StepDisplay.show(task, SHOWN_REQUEST_KIND, request.kind());
        StepDisplay.show(task, SHOWN_REQUESTED_AT, StepDisplay.instant(request.requestedAt()));
        StepDisplay.show(task, SHOWN_REQUEST_START, StepDisplay.instant(request.newStart()));
        StepDisplay.show(task, SHOWN_REQUEST_END, StepDisplay.instant(request.newEnd()));
    }

    /** The step's assignment: of its own instance, or for an offer's step of the assignment's instance that called it. */
    private FieldAssignment row(DelegateTask task) {
        DelegateExecution caller = task.getExecution().getProcessInstance().getSuperExecution();
        return assignments.lockFor(task.getExecution().getProcessBusinessKey(),
                caller == null ? task.getProcessInstanceId() : caller.getProcessInstanceId());
    }

    /** A step of an offer's own process, whose form reads the row when opened ({@link FieldOfferFormFacts}). */
    private static boolean offered(DelegateTask task) {
        return task.getExecution().getProcessInstance().getSuperExecution() != null;
    }
}
