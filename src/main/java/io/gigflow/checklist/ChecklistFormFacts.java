package io.gigflow.checklist;

import io.gigflow.identity.Parties;
import io.gigflow.shared.HtmlSanitizer;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TaskFormFacts;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What "Do checklist task" shows, from the order's rows when the form is opened: the order's reference
 * and title, who asks (the agency on the client's own task, the client the order is for on the team's),
 * the active item's name, description and due date, and what follows it. An order has one active item
 * at a time, and its step is the one open task of the order; none of it is a variable of the engine, so
 * a changed checklist or a new due date shows at once and no completion can change what the form shows.
 */
@Component
class ChecklistFormFacts implements TaskFormFacts {

    /** The active item's due date, as an instant the browser shows in its own time zone. */
    static final String SHOWN_DUE = "itemDue";
    /** What follows the active item, in words. */
    static final String SHOWN_NEXT = "nextText";
    static final String SHOWN_TITLE = "title";
    static final String SHOWN_ITEM_NAME = "itemName";
    static final String SHOWN_ITEM_DESCRIPTION = "itemDescription";

    private final ChecklistRepository repository;
    private final ChecklistSteps steps;
    private final Parties parties;

    ChecklistFormFacts(ChecklistRepository repository, ChecklistSteps steps, Parties parties) {
        this.repository = repository;
        this.steps = steps;
        this.parties = parties;
    }

    @Override
    public Set<String> processDefinitionKeys() {
        return Set.of(OrderChecklistProcess.KEY);
    }

    @Override
    public Map<String, String> facts(Step step) {
        ChecklistRepository.Order order = repository.orderByProcessInstance(step.processInstanceId()).orElse(null);
        if (order == null) {
            return Map.of();
        }
        Map<String, String> facts = new HashMap<>();
        facts.put(StepDisplay.REF, order.ref());
        facts.put(SHOWN_TITLE, order.title());
        steps.activeItem(order).ifPresent(item -> {
            facts.put(StepDisplay.ASKED_BY, item.spec().clientTask() ? parties.companyName(order.agencyId())
                    : parties.personName(order.clientId()));
            facts.put(SHOWN_ITEM_NAME, item.spec().name());
            String description = HtmlSanitizer.text(item.spec().description());
            facts.put(SHOWN_ITEM_DESCRIPTION, description == null ? "" : description);
            facts.put(SHOWN_DUE, StepDisplay.instant(item.dueAt()));
            facts.put(SHOWN_NEXT, steps.nextStep(order, item));
        });
        return facts;
    }
}
