package io.gigflow.topup;

import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The timer of bpmn/top-up.bpmn ({@code ${topUpTimers.expiry(execution)}}), read from the
 * top-up's row: the expiry fixed when it was registered. Never from a process variable.
 */
@Component("topUpTimers")
public class TopUpTimers {

    private final TopUpRepository topUps;

    TopUpTimers(TopUpRepository topUps) {
        this.topUps = topUps;
    }

    /** Timer_Expiry: when an unpaid top-up expires. */
    public Date expiry(DelegateExecution execution) {
        TopUp topUp = topUps.findByProcessInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no top-up of process instance " + execution.getProcessInstanceId()));
        return Date.from(topUp.expiresAt().toInstant());
    }
}
