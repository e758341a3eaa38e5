package io.gigflow.payout;

import io.gigflow.identity.Parties;
import io.gigflow.shared.HtmlSanitizer;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TaskFormFacts;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What the two human steps of task-payout show, from the task's row when the form is opened: the
 * reference, the title, the amount with its currency, the description, the other party's name
 * and why the last send was refused. Nothing of it is a process variable, so an edit of the draft
 * shows at once and no completion can change it.
 */
@Component
class TaskPayoutFormFacts implements TaskFormFacts {

    private final PayoutTaskRepository tasks;
    private final Parties parties;

    TaskPayoutFormFacts(PayoutTaskRepository tasks, Parties parties) {
        this.tasks = tasks;
        this.parties = parties;
    }

    @Override
    public Set<String> processDefinitionKeys() {
        return Set.of(TaskPayoutProcess.KEY);
    }

    @Override
    public Map<String, String> facts(Step step) {
        PayoutTask task = tasks.findByProcessInstance(step.processInstanceId()).orElse(null);
        if (task == null) {
            return Map.of();
        }
        Map<String, String> facts = new HashMap<>();
        facts.put(StepDisplay.REF, task.ref());
        facts.put(TaskPayoutProcess.VAR_TITLE, task.title());
        facts.put(StepDisplay.AMOUNT, Readable.money(task.amount()));
        facts.put(TaskPayoutProcess.VAR_DESCRIPTION_TEXT, HtmlSanitizer.text(task.description()));
        switch (step.taskDefinitionKey()) {
            case TaskPayoutProcess.TASK_REVIEW_DRAFT -> {
                facts.put(StepDisplay.PARTY, parties.personName(task.contractorId()));
                facts.put(TaskPayoutProcess.VAR_SEND_REFUSAL, task.sendRefusal());
            }
            case TaskPayoutProcess.TASK_ACCEPT_TASK ->
                facts.put(StepDisplay.ASKED_BY, parties.companyName(task.companyId()));
            default -> {
            }
        }
        return facts;
    }
}
