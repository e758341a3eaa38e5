package io.gigflow.withdrawal;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The gateway conditions of bpmn/withdrawal.bpmn ({@code ${withdrawalRoutes.…(execution)}}): the
 * answer the completion listener recorded in the row after checking that finance gave it. The
 * decision variable on the instance is never read for routing.
 */
@Component("withdrawalRoutes")
public class WithdrawalRoutes {

    private final WithdrawalRepository withdrawals;

    WithdrawalRoutes(WithdrawalRepository withdrawals) {
        this.withdrawals = withdrawals;
    }

    /** Gateway_PayOutDecision: finance paid it out. */
    public boolean paid(DelegateExecution execution) {
        return WithdrawalProcess.PAID.equals(decision(execution));
    }

    /** Gateway_PayOutDecision: finance rejected it. */
    public boolean rejected(DelegateExecution execution) {
        return WithdrawalProcess.REJECTED.equals(decision(execution));
    }

    private String decision(DelegateExecution execution) {
        return withdrawals.findByProcessInstance(execution.getProcessInstanceId()).map(Withdrawal::decision)
                .orElseThrow(() -> new IllegalStateException("no withdrawal of process instance " + execution.getProcessInstanceId()));
    }
}
