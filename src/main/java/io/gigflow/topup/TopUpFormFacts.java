package io.gigflow.topup;

import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TaskFormFacts;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What finance's "Confirm top-up" shows, from the top-up's row when the form is opened: the payment
 * reference, the payer's name, the requested amount with its currency, the method and when the
 * top-up expires. None of it is a variable of the engine.
 */
@Component
class TopUpFormFacts implements TaskFormFacts {

    static final String SHOWN_METHOD = "methodText";
    static final String SHOWN_EXPIRES = "expiresAt";

    private final TopUpRepository topUps;
    private final TopUpSteps steps;

    TopUpFormFacts(TopUpRepository topUps, TopUpSteps steps) {
        this.topUps = topUps;
        this.steps = steps;
    }

    @Override
    public Set<String> processDefinitionKeys() {
        return Set.of(TopUpProcess.KEY);
    }

    @Override
    public Map<String, String> facts(Step step) {
        TopUp topUp = topUps.findByProcessInstance(step.processInstanceId()).orElse(null);
        if (topUp == null) {
            return Map.of();
        }
        Map<String, String> facts = new HashMap<>();
        facts.put(StepDisplay.REF, topUp.reference());
        facts.put(StepDisplay.ASKED_BY, steps.payerName(topUp));
        facts.put(StepDisplay.AMOUNT, Readable.money(topUp.amount()));
        facts.put(SHOWN_METHOD, Readable.code(topUp.method().name()));
        facts.put(SHOWN_EXPIRES, StepDisplay.instant(topUp.expiresAt()));
        return facts;
    }
}
