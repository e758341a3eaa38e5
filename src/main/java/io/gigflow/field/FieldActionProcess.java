package io.gigflow.field;

import java.util.List;

/**
 * The two small processes whose Tasklist start forms are the client's and the worker's actions
 * on a running assignment (put on hold, cancel, post a message; ask for more money or another
 * date). Each is one synchronous step that calls the same {@link FieldAssignmentService} method
 * as the domain API, as the person who starts it, so a refused action leaves no instance behind.
 */
public final class FieldActionProcess {

    public static final String CLIENT_KEY = "field-assignment-client-action";
    public static final String WORKER_KEY = "field-assignment-worker-action";

    public static final String START_CLIENT_ACTION = "StartEvent_ClientActionChosen";
    public static final String TASK_PERFORM_CLIENT_ACTION = "Task_PerformClientAction";
    public static final String START_WORKER_ACTION = "StartEvent_WorkerActionChosen";
    public static final String TASK_PERFORM_WORKER_ACTION = "Task_PerformWorkerAction";

    // start variables of both
    public static final String VAR_ASSIGNMENT_REF = "assignmentRef";
    public static final String VAR_ACTION = "action";
    public static final String VAR_MESSAGE_BODY = "messageBody";
    // set by the step: the assignment's status afterwards
    public static final String VAR_ASSIGNMENT_STATUS = "assignmentStatus";

    // actions
    public static final String HOLD = "HOLD";
    public static final String CANCEL = "CANCEL";
    public static final String MESSAGE = "MESSAGE";
    public static final String BUDGET_INCREASE = "BUDGET_INCREASE";
    public static final String EXPENSE = "EXPENSE";
    public static final String BONUS = "BONUS";
    public static final String RESCHEDULE = "RESCHEDULE";

    public static final List<String> CLIENT_ACTIONS = List.of(HOLD, CANCEL, MESSAGE);
    public static final List<String> WORKER_ACTIONS = List.of(MESSAGE, BUDGET_INCREASE, EXPENSE, BONUS, RESCHEDULE);

    private FieldActionProcess() {
    }
}
