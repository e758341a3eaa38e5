package io.gigflow.checklist;

import java.util.Date;
import java.util.Optional;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The gateway conditions and timers of bpmn/order-checklist.bpmn
 * ({@code ${checklistRoutes.…(execution)}}), read from the order's rows: which item is active,
 * whether the order is recurring, when its next billing cycle starts. The process variables of
 * the same names are mirrors for forms and filters; a completion could have written them, so
 * nothing routes or waits on them.
 */
@Component("checklistRoutes")
public class ChecklistRoutes {

    private final ChecklistRepository repository;

    ChecklistRoutes(ChecklistRepository repository) {
        this.repository = repository;
    }

    /** Gateway_ItemLeft: the active item is the client's. */
    public boolean clientTaskActive(DelegateExecution execution) {
        return activeItem(execution).map(i -> i.spec().clientTask()).orElse(false);
    }

    /** Gateway_ItemLeft: the active item is the team's. */
    public boolean teamTaskActive(DelegateExecution execution) {
        return activeItem(execution).map(i -> !i.spec().clientTask()).orElse(false);
    }

    /** Gateway_ItemLeft: no item is open. */
    public boolean allItemsDone(DelegateExecution execution) {
        return activeItem(execution).isEmpty();
    }

    /** Gateway_WhichStep, Gateway_NextCycle: the order has a billing cycle. */
    public boolean recurring(DelegateExecution execution) {
        return order(execution).recurring();
    }

    public boolean oneOff(DelegateExecution execution) {
        return !order(execution).recurring();
    }

    /** Timer_BillingCycle, Timer_NextCycle: when the current billing cycle ends. */
    public Date nextCycleAt(DelegateExecution execution) {
        ChecklistRepository.Order order = order(execution);
        if (order.nextCycleAt() == null) {
            throw new IllegalStateException("order " + order.ref() + " has no billing cycle");
        }
        return Date.from(order.nextCycleAt().toInstant());
    }

    private Optional<ChecklistRepository.Item> activeItem(DelegateExecution execution) {
        return repository.items(order(execution).id()).stream().filter(ChecklistRepository.Item::active).findFirst();
    }

    private ChecklistRepository.Order order(DelegateExecution execution) {
        return repository.orderByProcessInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no order of process instance " + execution.getProcessInstanceId()));
    }
}
