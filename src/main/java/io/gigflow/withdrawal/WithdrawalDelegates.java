package io.gigflow.withdrawal;

import io.gigflow.shared.ProcessInputs;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that bpmn/withdrawal.bpmn names in its delegate expressions: thin doors into {@link WithdrawalSteps}. */
@Configuration
class WithdrawalDelegates {

    /**
     * What a start, message and step of withdrawal may write: no start variables (the request
     * stores the row and starts the instance itself), a cancellation without variables, and the
     * finance step's form fields only.
     */
    @Bean
    ProcessInputs withdrawalInputs() {
        return ProcessInputs.of(WithdrawalProcess.KEY)
                .start()
                .message(WithdrawalProcess.MESSAGE_WITHDRAWAL_CANCELLED)
                .build();
    }

    @Bean
    JavaDelegate registerWithdrawalDelegate(WithdrawalSteps steps) {
        return steps::register;
    }

    @Bean
    JavaDelegate payOutWithdrawalDelegate(WithdrawalSteps steps) {
        return steps::payOut;
    }

    /** Used twice: rejected by finance or cancelled by the requester; the input parameter returnReason says which. */
    @Bean
    JavaDelegate returnWithdrawalDelegate(WithdrawalSteps steps) {
        return execution -> steps.returnToOwner(execution, (String) execution.getVariableLocal("returnReason"));
    }

    /** Used by every notification step; the input parameter notice names the event. */
    @Bean
    JavaDelegate notifyWithdrawalPartiesDelegate(WithdrawalSteps steps) {
        return execution -> steps.notifyParties(execution, (String) execution.getVariableLocal("notice"));
    }

    /** The finance step: offered to the finance group, its form from the row. */
    @Bean
    TaskListener assignWithdrawalTaskListener(WithdrawalSteps steps) {
        return steps::assignTask;
    }

    @Bean
    ExecutionListener checkPayOutDecisionListener(WithdrawalSteps steps) {
        return steps::checkPayOutDecision;
    }

    /** On the message WithdrawalCancelled: the requester sent it, the withdrawal waits. */
    @Bean
    ExecutionListener checkWithdrawalCancellationListener(WithdrawalSteps steps) {
        return steps::checkCancellation;
    }
}
