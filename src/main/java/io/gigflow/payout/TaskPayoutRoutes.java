package io.gigflow.payout;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The gateway conditions and the timer of bpmn/task-payout.bpmn ({@code ${payoutRoutes.accepted(execution)}},
 * ...). They read the task's row, which only the checked listeners and steps write: a variable
 * that a party planted with a completion or a start steers nothing. Public because the
 * engine's expression language calls public methods only.
 */
@Component("payoutRoutes")
public class TaskPayoutRoutes {

    private final PayoutTaskRepository tasks;
    private final PayoutSettings settings;

    TaskPayoutRoutes(PayoutTaskRepository tasks, PayoutSettings settings) {
        this.tasks = tasks;
        this.settings = settings;
    }

    /** The draft goes to payment: the company publishes automatically, or a member sent it. */
    public boolean sendToPayment(DelegateExecution execution) {
        return TaskPayoutProcess.DRAFT_SEND.equals(task(execution).draftDecision());
    }

    public boolean deleteDraft(DelegateExecution execution) {
        return TaskPayoutProcess.DRAFT_DELETE.equals(task(execution).draftDecision());
    }

    public boolean accepted(DelegateExecution execution) {
        return TaskPayoutProcess.DECISION_ACCEPT.equals(task(execution).decision());
    }

    public boolean declined(DelegateExecution execution) {
        return TaskPayoutProcess.DECISION_DECLINE.equals(task(execution).decision());
    }

    /** How long the contractor may wait before she is reminded: what the company chose at the start. */
    public String acceptanceReminder(DelegateExecution execution) {
        String chosen = task(execution).acceptanceReminder();
        return chosen != null ? chosen : settings.defaultAcceptanceReminder();
    }

    private PayoutTask task(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        return tasks.find(ref).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no task " + ref + " of process instance " + execution.getProcessInstanceId()));
    }
}
