package io.gigflow.payout;

import io.gigflow.shared.InvalidInputException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/**
 * A form does not restrict what a REST submit sends: the draft decision is checked here,
 * before the process moves on, whichever door it came through.
 */
@Component
class CheckDraftDecisionListener implements ExecutionListener {

    @Override
    public void notify(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return; // the step was interrupted (the company cancelled): nobody decided anything
        }
        Object decision = execution.getVariable(TaskPayoutProcess.VAR_DRAFT_DECISION);
        if (!TaskPayoutProcess.DRAFT_SEND.equals(decision) && !TaskPayoutProcess.DRAFT_DELETE.equals(decision)) {
            throw InvalidInputException.of("Invalid draft decision", TaskPayoutProcess.VAR_DRAFT_DECISION, "oneOf",
                    "must be \"SEND\" or \"DELETE\", not " + (decision == null ? "missing" : "\"" + decision + "\""));
        }
    }
}
