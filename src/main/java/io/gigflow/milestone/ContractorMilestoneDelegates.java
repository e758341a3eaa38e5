package io.gigflow.milestone;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that bpmn/contractor-milestone.bpmn names in its delegate expressions. Each is a
 * thin door into {@link MilestoneSteps}: what a step does lives there, what it is called lives here.
 */
@Configuration
class ContractorMilestoneDelegates {

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
