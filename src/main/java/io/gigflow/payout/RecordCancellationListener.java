package io.gigflow.payout;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.springframework.stereotype.Component;

/** Runs in the transaction of the cancel message, so the history names who cancelled. */
@Component
class RecordCancellationListener implements ExecutionListener {

    private final TaskSteps steps;

    RecordCancellationListener(TaskSteps steps) {
        this.steps = steps;
    }

    @Override
    public void notify(DelegateExecution execution) {
        steps.recordCancellation(execution);
    }
}
