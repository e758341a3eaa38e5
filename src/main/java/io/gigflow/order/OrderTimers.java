package io.gigflow.order;

import java.time.Duration;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The timers of bpmn/service-order.bpmn ({@code ${orderTimers.…(execution)}}), read from the
 * order's row: the deadline and periods fixed when the order was placed, and the due date the
 * process keeps there. Never from a process variable: a completion or message could have
 * written any of those.
 */
@Component("orderTimers")
public class OrderTimers {

    private final ServiceOrderRepository orders;
    private final OrderSettings settings;

    OrderTimers(ServiceOrderRepository orders, OrderSettings settings) {
        this.orders = orders;
        this.settings = settings;
    }

    /** Timer_StartDeadline: when the provider's time to start runs out. */
    public Date startDeadline(DelegateExecution execution) {
        ServiceOrder order = order(execution);
        return Date.from((order.startDeadlineAt() != null ? order.startDeadlineAt()
                : order.createdAt().plus(Duration.parse(settings.startDeadline()))).toInstant());
    }

    /** Timer_DueDate, and the due date of Task_DeliverOrder. */
    public Date dueDate(DelegateExecution execution) {
        return Date.from(order(execution).dueAt().toInstant());
    }

    /** Timer_RequestAnswerDeadline: how long the provider has to answer a request. */
    public String requestAnswerTimeout(DelegateExecution execution) {
        String fixed = order(execution).requestAnswerTimeout();
        return fixed != null ? fixed : settings.requestAnswerTimeout();
    }

    /** Timer_AutoComplete: how long the customer has to answer a delivery. */
    public String confirmationTimeout(DelegateExecution execution) {
        String fixed = order(execution).confirmationTimeout();
        return fixed != null ? fixed : settings.confirmationTimeout();
    }

    private ServiceOrder order(DelegateExecution execution) {
        return orders.findByProcessInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no order of process instance " + execution.getProcessInstanceId()));
    }
}
