package io.gigflow.payout;

import io.gigflow.shared.ProcessInputs;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that bpmn/task-payout.bpmn names in its delegate expressions. Each is a thin
 * door into {@link TaskSteps}: what a step does lives there, what it is called lives here.
 */
@Configuration
class TaskPayoutDelegates {

    /** What a start, message and step of task-payout may write; everything else is refused (400). */
    @Bean
    ProcessInputs taskPayoutInputs() {
        return ProcessInputs.of(TaskPayoutProcess.KEY)
                .startReadOnce(TaskPayoutProcess.VAR_COMPANY_ID, TaskPayoutProcess.VAR_CONTRACTOR_ID, TaskPayoutProcess.VAR_TITLE,
                        TaskPayoutProcess.VAR_DESCRIPTION, TaskPayoutProcess.VAR_AMOUNT, TaskPayoutProcess.VAR_CURRENCY,
                        TaskPayoutProcess.VAR_ACCEPTANCE_REMINDER)
                .message(TaskPayoutProcess.MESSAGE_TASK_CANCELLED_BY_COMPANY)
                .build();
    }


    @Bean
    JavaDelegate registerTaskDelegate(TaskSteps steps) {
        return steps::register;
    }

    @Bean
    JavaDelegate reserveFundsDelegate(TaskSteps steps) {
        return steps::reserveFunds;
    }

    @Bean
    JavaDelegate deleteTaskDelegate(TaskSteps steps) {
        return steps::delete;
    }

    @Bean
    JavaDelegate payContractorDelegate(TaskSteps steps) {
        return steps::payContractor;
    }

    /** Used twice: after a decline and after a cancellation; the input parameter refundStatus says which. */
    @Bean
    JavaDelegate refundCompanyDelegate(TaskSteps steps) {
        return execution -> steps.refundCompany(execution, TaskStatus.valueOf((String) execution.getVariableLocal("refundStatus")));
    }

    @Bean
    JavaDelegate issueClosingDocumentsDelegate(TaskSteps steps) {
        return steps::issueClosingDocuments;
    }

    /** Used by every notification step; the input parameter notice names the event. */
    @Bean
    JavaDelegate notifyPartiesDelegate(TaskSteps steps) {
        return execution -> steps.notifyParties(execution, (String) execution.getVariableLocal("notice"));
    }

    /** Both human steps: who is offered the step comes from the row. */
    @Bean
    TaskListener assignTaskPayoutStepListener(TaskSteps steps) {
        return steps::assignStep;
    }

    @Bean
    ExecutionListener recordDraftDecisionListener(TaskSteps steps) {
        return steps::recordDraftDecision;
    }

    @Bean
    ExecutionListener recordContractorDecisionListener(TaskSteps steps) {
        return steps::recordContractorDecision;
    }

    @Bean
    ExecutionListener recordCancellationListener(TaskSteps steps) {
        return steps::recordCancellation;
    }
}
