package io.gigflow.payout;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class DeleteTaskDelegate implements JavaDelegate {

    private final TaskSteps steps;

    DeleteTaskDelegate(TaskSteps steps) {
        this.steps = steps;
    }

    @Override
    public void execute(DelegateExecution execution) {
        steps.delete(execution);
    }
}
