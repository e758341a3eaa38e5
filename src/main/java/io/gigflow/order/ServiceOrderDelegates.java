package io.gigflow.order;

import io.gigflow.shared.ProcessInputs;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that bpmn/service-order.bpmn names in its delegate expressions: thin doors into
 * {@link OrderSteps}.
 */
@Configuration
class ServiceOrderDelegates {

    /** What a start, message and step of service-order may write; everything else is refused (400). */
    @Bean
    ProcessInputs serviceOrderInputs() {
        return ProcessInputs.of(ServiceOrderProcess.KEY)
                .startReadOnce(ServiceOrderProcess.START_VARIABLES.toArray(String[]::new))
                .message(ServiceOrderProcess.MESSAGE_EXTRA_REQUESTED, ServiceOrderProcess.VAR_EXTRA_DESCRIPTION,
                        ServiceOrderProcess.VAR_EXTRA_DAYS, ServiceOrderProcess.VAR_EXTRA_PRICE)
                .message(ServiceOrderProcess.MESSAGE_LATE_CANCELLATION_REQUESTED)
                // the delivery's file is uploaded through /api, which names the stored file
                .step(ServiceOrderProcess.TASK_DELIVER_ORDER, ServiceOrderProcess.VAR_DELIVERY_FILE_ID)
                .build();
    }


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

    /** Every human step: its assignee (and the delivery's due date) from the order's row. */
    @Bean
    TaskListener assignOrderTaskListener(OrderSteps steps) {
        return steps::assignTask;
    }

    /** On the message ExtraRequested: the customer sent it, the order is in progress; the request goes into its row. */
    @Bean
    ExecutionListener receiveExtraRequestListener(OrderSteps steps) {
        return steps::receiveExtraRequest;
    }

    /** On the message LateCancellationRequested: the customer sent it, the order is late. */
    @Bean
    ExecutionListener checkLateCancellationListener(OrderSteps steps) {
        return steps::checkLateCancellationMessage;
    }

    @Bean
    ExecutionListener checkDeliveryListener(OrderSteps steps) {
        return steps::checkDelivery;
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
