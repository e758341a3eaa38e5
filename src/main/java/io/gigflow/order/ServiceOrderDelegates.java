package io.gigflow.order;

import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that bpmn/service-order.bpmn names in its delegate expressions: thin doors into
 * {@link OrderSteps}.
 */
@Configuration
class ServiceOrderDelegates {

    @Bean
    JavaDelegate placeOrderDelegate(OrderSteps steps) {
        return steps::placeOrder;
    }

    @Bean
    JavaDelegate beginWorkDelegate(OrderSteps steps) {
        return steps::beginWork;
    }

    @Bean
    JavaDelegate markLateDelegate(OrderSteps steps) {
        return steps::markLate;
    }

    @Bean
    JavaDelegate cancelLateOrderDelegate(OrderSteps steps) {
        return steps::cancelLateOrder;
    }

    /** Used twice: the start deadline passed, or a late order was cancelled; the input parameter cancelReason says which. */
    @Bean
    JavaDelegate refundCustomerDelegate(OrderSteps steps) {
        return execution -> steps.refundCustomer(execution, (String) execution.getVariableLocal("cancelReason"));
    }

    @Bean
    JavaDelegate registerExtraRequestDelegate(OrderSteps steps) {
        return steps::registerExtraRequest;
    }

    @Bean
    JavaDelegate acceptExtraRequestDelegate(OrderSteps steps) {
        return steps::acceptExtraRequest;
    }

    /** Used twice: declined by the provider, or expired; the input parameter resolution says which. */
    @Bean
    JavaDelegate resolveExtraRequestDelegate(OrderSteps steps) {
        return execution -> steps.resolveExtraRequest(execution, (String) execution.getVariableLocal("resolution"));
    }

    @Bean
    JavaDelegate recordDeliveryDelegate(OrderSteps steps) {
        return steps::recordDelivery;
    }

    @Bean
    JavaDelegate requestRevisionDelegate(OrderSteps steps) {
        return steps::requestRevision;
    }

    @Bean
    JavaDelegate releaseEscrowDelegate(OrderSteps steps) {
        return steps::releaseEscrow;
    }

    /** Used by every notification step; the input parameter notice names the event. */
    @Bean
    JavaDelegate notifyOrderPartiesDelegate(OrderSteps steps) {
        return execution -> steps.notifyParties(execution, (String) execution.getVariableLocal("notice"));
    }

    @Bean
    ExecutionListener checkStartWorkListener(OrderSteps steps) {
        return steps::checkStartWork;
    }

    @Bean
    ExecutionListener checkRequestDecisionListener(OrderSteps steps) {
        return steps::checkRequestDecision;
    }

    @Bean
    ExecutionListener checkDeliveryDecisionListener(OrderSteps steps) {
        return steps::checkDeliveryDecision;
    }
}
