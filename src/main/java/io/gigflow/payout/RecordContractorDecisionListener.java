package io.gigflow.payout;

import io.gigflow.shared.FieldErrors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * Checks the contractor's decision whichever door it came through (Tasklist, /engine-rest,
 * /api) and records who decided what, in the same transaction as the completion.
 */
@Component
class RecordContractorDecisionListener implements ExecutionListener {

    private final TaskSteps steps;

    RecordContractorDecisionListener(TaskSteps steps) {
        this.steps = steps;
    }

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return; // the step was interrupted (the company cancelled): nobody decided anything
        }
        FieldErrors errors = new FieldErrors();
        Object decision = execution.getVariable(TaskPayoutProcess.VAR_DECISION);
        if (!TaskPayoutProcess.DECISION_ACCEPT.equals(decision) && !TaskPayoutProcess.DECISION_DECLINE.equals(decision)) {
            errors.add(TaskPayoutProcess.VAR_DECISION, "oneOf",
                    "must be \"ACCEPT\" or \"DECLINE\", not " + (decision == null ? "missing" : "\"" + decision + "\""));
        }
        String reason = errors.optionalText(TaskPayoutProcess.VAR_DECLINE_REASON, execution.getVariable(TaskPayoutProcess.VAR_DECLINE_REASON), 1000);
        errors.throwIfAny("Invalid decision");
        steps.recordDecision(execution, (String) decision,
                TaskPayoutProcess.DECISION_DECLINE.equals(decision) ? reason : null);
    }
}
