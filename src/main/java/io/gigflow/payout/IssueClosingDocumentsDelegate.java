package io.gigflow.payout;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class IssueClosingDocumentsDelegate implements JavaDelegate {

    private final TaskSteps steps;

    IssueClosingDocumentsDelegate(TaskSteps steps) {
        this.steps = steps;
    }

    @Override
    public void execute(DelegateExecution execution) {
        steps.issueClosingDocuments(execution);
    }
}
