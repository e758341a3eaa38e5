package io.gigflow.milestone;

import io.gigflow.shared.ProcessInputs;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that bpmn/contractor-milestone.bpmn names in its delegate expressions. Each is a
 * thin door into {@link MilestoneSteps}: what a step does lives there, what it is called lives here.
 */
@Configuration
class ContractorMilestoneDelegates {

    /** What a start, message and step of contractor-milestone may write; everything else is refused (400). */
    @Bean
    ProcessInputs contractorMilestoneInputs() {
        return ProcessInputs.of(ContractorMilestoneProcess.KEY)
                .startReadOnce(ContractorMilestoneProcess.VAR_COMPANY_ID, ContractorMilestoneProcess.VAR_CONTRACTOR_ID,
                        ContractorMilestoneProcess.VAR_TITLE, ContractorMilestoneProcess.VAR_DESCRIPTION,
                        ContractorMilestoneProcess.VAR_DEADLINE, ContractorMilestoneProcess.VAR_AMOUNT,
                        ContractorMilestoneProcess.VAR_CURRENCY, ContractorMilestoneProcess.VAR_AUTO_APPROVE_AFTER_DAYS,
                        ContractorMilestoneProcess.VAR_DEADLINE_REMINDER)
                .message(ContractorMilestoneProcess.MESSAGE_MILESTONE_DELETED)
                .message(ContractorMilestoneProcess.MESSAGE_DEADLINE_CHANGED)
                .message(ContractorMilestoneProcess.MESSAGE_PAYMENT_REQUESTED)
                // the deliverable is uploaded through /api, which names the stored file
                .step(ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE, ContractorMilestoneProcess.VAR_DELIVERABLE_FILE_ID)
                .build();
    }


    @Bean
    JavaDelegate registerMilestoneDelegate(MilestoneSteps steps) {
        return steps::register;
    }

    @Bean
    JavaDelegate approveMilestoneAutomaticallyDelegate(MilestoneSteps steps) {
        return steps::approveAutomatically;
    }

    @Bean
    JavaDelegate approveMilestoneDelegate(MilestoneSteps steps) {
        return steps::approve;
    }

    @Bean
    JavaDelegate deleteMilestoneDelegate(MilestoneSteps steps) {
        return steps::delete;
    }

    @Bean
    JavaDelegate payMilestoneDelegate(MilestoneSteps steps) {
        return steps::pay;
    }

    /** Used by every notification step; the input parameter notice names the event. */
    @Bean
    JavaDelegate notifyMilestonePartiesDelegate(MilestoneSteps steps) {
        return execution -> steps.notifyParties(execution, (String) execution.getVariableLocal("notice"));
    }

    /** Both human steps: who is offered the step comes from the row. */
    @Bean
    TaskListener assignMilestoneStepListener(MilestoneSteps steps) {
        return steps::assignStep;
    }

    /** Who sends each message is checked against the row, whichever door it came through. */
    @Bean
    ExecutionListener checkMilestoneDeletionListener(MilestoneSteps steps) {
        return steps::checkDeletion;
    }

    @Bean
    ExecutionListener checkDeadlineChangeListener(MilestoneSteps steps) {
        return steps::checkDeadlineChange;
    }

    @Bean
    ExecutionListener checkPaymentRequestListener(MilestoneSteps steps) {
        return steps::checkPaymentRequest;
    }

    @Bean
    ExecutionListener armDeadlineWatchListener(MilestoneSteps steps) {
        return steps::armDeadlineWatch;
    }

    @Bean
    ExecutionListener recordSubmissionListener(MilestoneSteps steps) {
        return steps::recordSubmission;
    }

    @Bean
    ExecutionListener recordReviewListener(MilestoneSteps steps) {
        return steps::recordReview;
    }
}
