package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.OFFER_KEY;

import io.gigflow.identity.Parties;
import io.gigflow.shared.HtmlSanitizer;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TaskFormFacts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What Apply for assignment shows, from the assignment's row when the form is opened: the published
 * scope (reference, title, company, location, schedule, description, requirements, budget and
 * payment terms), never the contact details. The step runs in its own small process
 * ({@link FieldAssignmentProcess#OFFER_KEY}), which holds no variable of the assignment; the facts
 * are looked up by the assignment's instance, which called it.
 */
@Component
class FieldOfferFormFacts implements TaskFormFacts {

    private final FieldAssignmentRepository assignments;
    private final Parties parties;

    FieldOfferFormFacts(FieldAssignmentRepository assignments, Parties parties) {
        this.assignments = assignments;
        this.parties = parties;
    }

    @Override
    public Set<String> processDefinitionKeys() {
        return Set.of(OFFER_KEY);
    }

    @Override
    public Map<String, Object> facts(Step step) {
        FieldAssignment assignment = assignments.findByProcessInstance(step.processInstanceId()).orElse(null);
        if (assignment == null) {
            return Map.of();
        }
        List<FieldAssignmentRepository.Requirement> requirements = assignments.requirements(assignment.id());
        Map<String, Object> facts = new HashMap<>();
        facts.put(StepDisplay.REF, assignment.ref());
        facts.put(FieldFormFacts.SHOWN_TITLE, assignment.title());
        facts.put(FieldFormFacts.SHOWN_PARTY, parties.companyName(assignment.companyId()));
        facts.put(FieldAssignmentProcess.VAR_LOCATION, assignment.location());
        facts.put(FieldFormFacts.SHOWN_START, StepDisplay.instant(assignment.scheduledStart()));
        facts.put(FieldFormFacts.SHOWN_END, StepDisplay.instant(assignment.scheduledEnd()));
        facts.put(FieldAssignmentProcess.VAR_DESCRIPTION_TEXT, assignment.description() == null ? "" : HtmlSanitizer.text(assignment.description()));
        facts.put(FieldAssignmentProcess.VAR_REQUIREMENTS_TEXT, FieldPublishingSteps.requirementsText(
                FieldFormFacts.names(requirements, FieldPublishingSteps.DELIVERABLE),
                FieldFormFacts.names(requirements, FieldPublishingSteps.CUSTOM_FIELD)));
        facts.put(StepDisplay.AMOUNT, Readable.money(assignment.budget()));
        facts.put(FieldAssignmentProcess.VAR_PAYMENT_TERMS_DAYS, assignment.paymentTermsDays());
        return facts;
    }
}
