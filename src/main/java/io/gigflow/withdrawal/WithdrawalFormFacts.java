package io.gigflow.withdrawal;

import io.gigflow.identity.Parties;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TaskFormFacts;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What finance's "Pay out withdrawal" shows, from the withdrawal's row when the form is opened: the
 * reference, the requester's name and id, the amount with its currency, when it was requested and the
 * full destination to pay. None of it is a variable of the engine; the destination is on finance's
 * form only.
 */
@Component
class WithdrawalFormFacts implements TaskFormFacts {

    static final String SHOWN_REQUESTED_AT = "requestedAt";

    private final WithdrawalRepository withdrawals;
    private final Parties parties;

    WithdrawalFormFacts(WithdrawalRepository withdrawals, Parties parties) {
        this.withdrawals = withdrawals;
        this.parties = parties;
    }

    @Override
    public Set<String> processDefinitionKeys() {
        return Set.of(WithdrawalProcess.KEY);
    }

    @Override
    public Map<String, String> facts(Step step) {
        Withdrawal withdrawal = withdrawals.findByProcessInstance(step.processInstanceId()).orElse(null);
        if (withdrawal == null) {
            return Map.of();
        }
        Map<String, String> facts = new HashMap<>();
        facts.put(StepDisplay.REF, withdrawal.ref());
        facts.put(WithdrawalProcess.VAR_REQUESTER_ID, withdrawal.requesterId());
        facts.put(WithdrawalProcess.VAR_REQUESTER_NAME, parties.personName(withdrawal.requesterId()));
        facts.put(StepDisplay.AMOUNT, Readable.money(withdrawal.amount()));
        facts.put(SHOWN_REQUESTED_AT, StepDisplay.instant(withdrawal.requestedAt()));
        facts.put(WithdrawalProcess.VAR_DESTINATION, withdrawal.destination());
        return facts;
    }
}
