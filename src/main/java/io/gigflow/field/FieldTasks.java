package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import io.gigflow.shared.HumanSteps;
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

    private final FieldAssignmentRepository assignments;

    FieldTasks(FieldAssignmentRepository assignments) {
        this.assignments = assignments;
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
     * The forms read the rest from the rows when opened ({@link FieldFormFacts}, {@link FieldOfferFormFacts}).
     */
    void nameTask(DelegateTask task) {
        FieldAssignment assignment = row(task);
        String name = task.getName() + ": " + assignment.ref() + " " + assignment.title();
        task.setName(name.length() > TASK_NAME_LIMIT ? name.substring(0, TASK_NAME_LIMIT - 3) + "..." : name);
    }

    /** The step's assignment: of its own instance, or for an offer's step of the assignment's instance that called it. */
    private FieldAssignment row(DelegateTask task) {
        DelegateExecution caller = task.getExecution().getProcessInstance().getSuperExecution();
        return assignments.lockFor(task.getExecution().getProcessBusinessKey(),
                caller == null ? task.getProcessInstanceId() : caller.getProcessInstanceId());
    }
}
