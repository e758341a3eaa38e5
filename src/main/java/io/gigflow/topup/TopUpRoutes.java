package io.gigflow.topup;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The gateway of bpmn/top-up.bpmn ({@code ${topUpRoutes.…(execution)}}): the decision the
 * completion listener recorded in the row after checking that finance gave it. The decision
 * variable on the instance is never read for routing.
 */
@Component("topUpRoutes")
public class TopUpRoutes {

    private final TopUpSteps steps;

    TopUpRoutes(TopUpSteps steps) {
        this.steps = steps;
    }

    /** Gateway_Decision: finance confirmed the funds. */
    public boolean confirmed(DelegateExecution execution) {
        return steps.confirmed(execution);
    }

    /** Gateway_Decision: finance rejected the top-up. */
    public boolean rejected(DelegateExecution execution) {
        return !steps.confirmed(execution);
    }
}
