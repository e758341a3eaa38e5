package io.gigflow.order;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The gateway conditions of bpmn/service-order.bpmn ({@code ${orderRoutes.…(execution)}}): the
 * answers the completion listeners recorded in the row, after checking who gave them. A
 * decision variable on the instance is never read for routing: the other party could have
 * planted it with a completion of their own.
 */
@Component("orderRoutes")
public class OrderRoutes {

    private final ServiceOrderRepository orders;

    OrderRoutes(ServiceOrderRepository orders) {
        this.orders = orders;
    }

    /** Gateway_RequestDecision: the provider accepted the pending request. */
    public boolean requestAccepted(DelegateExecution execution) {
        return ServiceOrderProcess.ACCEPT.equals(requestDecision(execution));
    }

    /** Gateway_RequestDecision: the provider declined the pending request. */
    public boolean requestDeclined(DelegateExecution execution) {
        return ServiceOrderProcess.DECLINE.equals(requestDecision(execution));
    }

    /** Gateway_DeliveryDecision: the customer confirmed the delivery. */
    public boolean deliveryConfirmed(DelegateExecution execution) {
        return ServiceOrderProcess.CONFIRM.equals(order(execution).deliveryDecision());
    }

    /** Gateway_DeliveryDecision: the customer asked for a revision. */
    public boolean revisionRequested(DelegateExecution execution) {
        return ServiceOrderProcess.REVISION.equals(order(execution).deliveryDecision());
    }

    private String requestDecision(DelegateExecution execution) {
        return orders.pendingRequest(order(execution)).map(ServiceOrderRepository.Request::decision).orElse(null);
    }

    private ServiceOrder order(DelegateExecution execution) {
        return orders.findByProcessInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no order of process instance " + execution.getProcessInstanceId()));
    }
}
