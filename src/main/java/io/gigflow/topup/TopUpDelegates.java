package io.gigflow.topup;

import io.gigflow.shared.ProcessInputs;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans that bpmn/top-up.bpmn names in its delegate expressions: thin doors into {@link TopUpSteps}. */
@Configuration
class TopUpDelegates {

    /**
     * What the outside may write into top-up: no start variables (the domain API registers the row
     * and starts the instance as the platform), no message (PaymentReceived comes from the signed
     * webhook only), and Task_ConfirmFunds only its form's fields.
     */
    @Bean
    ProcessInputs topUpInputs() {
        return ProcessInputs.of(TopUpProcess.KEY).build();
    }

    @Bean
    ExecutionListener bindTopUpListener(TopUpSteps steps) {
        return steps::bindInstance;
    }

    @Bean
    TaskListener assignTopUpConfirmationListener(TopUpSteps steps) {
        return steps::assignConfirmation;
    }

    @Bean
    ExecutionListener checkTopUpConfirmationListener(TopUpSteps steps) {
        return steps::checkConfirmation;
    }

    @Bean
    ExecutionListener checkPaymentReceivedListener(TopUpSteps steps) {
        return steps::checkPaymentMessage;
    }

    @Bean
    JavaDelegate creditTopUpDelegate(TopUpSteps steps) {
        return steps::credit;
    }

    @Bean
    JavaDelegate expireTopUpDelegate(TopUpSteps steps) {
        return steps::expire;
    }

    /** Used by every notification step; the input parameter notice names the event. */
    @Bean
    JavaDelegate notifyTopUpPartiesDelegate(TopUpSteps steps) {
        return execution -> steps.notifyParties(execution, (String) execution.getVariableLocal("notice"));
    }
}
