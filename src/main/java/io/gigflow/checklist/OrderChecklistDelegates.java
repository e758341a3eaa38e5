package io.gigflow.checklist;

import io.gigflow.shared.ProcessInputs;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that bpmn/order-checklist.bpmn names in its delegate expressions: thin doors
 * into {@link ChecklistSteps}.
 */
@Configuration
class OrderChecklistDelegates {

    /** What a start, message and step of order-checklist may write; everything else is refused (400). */
    @Bean
    ProcessInputs orderChecklistInputs() {
        return ProcessInputs.of(OrderChecklistProcess.KEY)
                .startReadOnce(OrderChecklistProcess.START_VARIABLES.toArray(String[]::new))
                .message(OrderChecklistProcess.MESSAGE_CHECKLIST_CHANGED)
                .message(OrderChecklistProcess.MESSAGE_CHECKLIST_CANCELLED)
                .build();
    }


    @Bean
    JavaDelegate openChecklistOrderDelegate(ChecklistSteps steps) {
        return steps::openOrder;
    }

    @Bean
    JavaDelegate activateNextItemDelegate(ChecklistSteps steps) {
        return steps::activateNextItem;
    }

    @Bean
    JavaDelegate recordItemDoneDelegate(ChecklistSteps steps) {
        return steps::recordItemDone;
    }

    @Bean
    JavaDelegate completeChecklistOrderDelegate(ChecklistSteps steps) {
        return steps::completeOrder;
    }

    @Bean
    JavaDelegate startNewCycleDelegate(ChecklistSteps steps) {
        return steps::startNewCycle;
    }

    @Bean
    JavaDelegate cancelChecklistOrderDelegate(ChecklistSteps steps) {
        return steps::cancelOrder;
    }

    /** Used by every notification step; the input parameter notice names the event. */
    @Bean
    JavaDelegate notifyChecklistPartiesDelegate(ChecklistSteps steps) {
        return execution -> steps.notifyParties(execution, (String) execution.getVariableLocal("notice"));
    }

    @Bean
    TaskListener assignChecklistTaskListener(ChecklistSteps steps) {
        return steps::assignChecklistTask;
    }

    /** On both ChecklistChanged boundary events: the agency's staff sent it, the order is OPEN. */
    @Bean
    ExecutionListener checkChecklistChangedListener(ChecklistSteps steps) {
        return steps::checkChecklistChanged;
    }

    /** On the ChecklistCancelled start event: the agency's staff sent it, the order may be cancelled. */
    @Bean
    ExecutionListener checkChecklistCancelledListener(ChecklistSteps steps) {
        return steps::checkChecklistCancelled;
    }

    @Bean
    ExecutionListener checkItemDoneListener(ChecklistSteps steps) {
        return steps::checkItemDone;
    }
}
