package io.gigflow.payout;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

@Component
class RefundCompanyDelegate implements JavaDelegate {

    private final TaskSteps steps;

    RefundCompanyDelegate(TaskSteps steps) {
        this.steps = steps;
    }

    @Override
    public void execute(DelegateExecution execution) {
        steps.refundCompany(execution, TaskStatus.valueOf((String) execution.getVariableLocal("refundStatus")));
    }
}
