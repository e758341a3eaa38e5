package io.gigflow.withdrawal;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.Notice;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TimeSource;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Service;

/**
 * The withdrawal's guard: what each step of the process does, and who may answer it. Every step
 * reads the withdrawal from its row (not from variables a caller could have written), changes it
 * under a row lock, and mirrors the status into the process variables. Finance's answer is
 * accepted only from a member of the finance group, the cancellation only from the requester,
 * both only while the withdrawal waits; the money steps move the hold once (idempotency keys)
 * and only for the answer recorded on the row.
 */
@Service
class WithdrawalSteps {

    static final int MAX_BANK_REFERENCE = 100;
    static final int MAX_REASON = 1000;

    private final WithdrawalRepository withdrawals;
    private final Parties parties;
    private final Grants grants;
    private final Ledger ledger;
    private final NotificationService notifications;
    private final FaultInjector faults;
    private final CurrentUser currentUser;
    private final TimeSource time;

    WithdrawalSteps(WithdrawalRepository withdrawals, Parties parties, Grants grants, Ledger ledger, NotificationService notifications,
            FaultInjector faults, CurrentUser currentUser, TimeSource time) {
        this.withdrawals = withdrawals;
        this.parties = parties;
        this.grants = grants;
        this.ledger = ledger;
        this.notifications = notifications;
        this.faults = faults;
        this.currentUser = currentUser;
        this.time = time;
    }

    /**
     * The first step: binds the instance to the row the request stored (and held the money for)
     * under the instance's business key. An instance started any other way finds no unbound row
     * and fails its start: nothing is left behind.
     */
    void register(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        if (ref == null || !withdrawals.bind(ref, execution.getProcessInstanceId(), time.now())) {
            throw new IllegalStateException("a withdrawal starts only through POST /api/me/withdrawals: no requested withdrawal "
                    + ref + " waits for a process instance");
        }
        Withdrawal withdrawal = locked(execution);
        grants.userMayReadInstance(withdrawal.requesterId(), execution.getProcessInstanceId());
        grants.groupMayReadInstance(Parties.FINANCE_GROUP, execution.getProcessInstanceId());
        execution.setVariable(WithdrawalProcess.VAR_STATUS, withdrawal.status().name());
    }

    /** Finance's step: offered to the finance group; its form shows the row, and its answer starts empty. */
    void assignTask(DelegateTask task) {
        DelegateExecution execution = task.getExecution();
        Withdrawal withdrawal = withdrawals.findByProcessInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no withdrawal of process instance " + execution.getProcessInstanceId()));
        if (!WithdrawalProcess.TASK_PAY_OUT_WITHDRAWAL.equals(task.getTaskDefinitionKey())) {
            throw new IllegalStateException("withdrawal has no human step " + task.getTaskDefinitionKey());
        }
        task.addCandidateGroup(Parties.FINANCE_GROUP);
        WithdrawalProcess.STEP_INPUTS.forEach(execution::removeVariable);
        // "Pay out withdrawal W-12 · 250.00 EUR (Jane Doe)": finance tells the waiting withdrawals apart
        String requester = parties.personName(withdrawal.requesterId());
        StepDisplay.name(task, "Pay out withdrawal", withdrawal.ref(), Readable.money(withdrawal.amount()), requester);
    }

    /**
     * Completing the finance step: only a finance operator, only while the withdrawal waits. The
     * answer (PAID with the bank's reference, or REJECTED with a reason) goes into the row with who
     * gave it; the gateway routes on it and the money steps check it.
     */
    void checkPayOutDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        Withdrawal withdrawal = locked(execution);
        String by = currentUser.id().orElse(null);
        withdrawal.checkFinanceDecision(by, by != null && parties.isFinance(by));
        FieldErrors errors = new FieldErrors();
        Object decision = execution.getVariable(WithdrawalProcess.VAR_PAYOUT_DECISION);
        if (!WithdrawalProcess.PAID.equals(decision) && !WithdrawalProcess.REJECTED.equals(decision)) {
            errors.add(WithdrawalProcess.VAR_PAYOUT_DECISION, "oneOf", "must be \"PAID\" or \"REJECTED\", not "
                    + (decision == null ? "missing" : "\"" + decision + "\""));
        }
        String bankReference = null;
        String reason = null;
        if (WithdrawalProcess.PAID.equals(decision)) {
            bankReference = plain(errors, WithdrawalProcess.VAR_BANK_REFERENCE,
                    errors.requiredText(WithdrawalProcess.VAR_BANK_REFERENCE, execution.getVariable(WithdrawalProcess.VAR_BANK_REFERENCE),
                            MAX_BANK_REFERENCE));
        } else if (WithdrawalProcess.REJECTED.equals(decision)) {
            reason = plain(errors, WithdrawalProcess.VAR_REJECTION_REASON,
                    errors.requiredText(WithdrawalProcess.VAR_REJECTION_REASON, execution.getVariable(WithdrawalProcess.VAR_REJECTION_REASON),
                            MAX_REASON));
        }
        errors.throwIfAny("Invalid answer");
        withdrawals.decide(withdrawal.ref(), (String) decision, currentUser.actor(), bankReference, reason, time.now());
    }

    /** The message WithdrawalCancelled arrives: only from the requester, only while the withdrawal waits. */
    void checkCancellation(DelegateExecution execution) {
        Withdrawal withdrawal = locked(execution);
        withdrawal.checkCancel(currentUser.id().orElse(null));
        withdrawals.decide(withdrawal.ref(), WithdrawalProcess.CANCELLED, currentUser.actor(), null, null, time.now());
    }

    /** Finance paid it out of band: the hold goes to the outside world, once. */
    void payOut(DelegateExecution execution) {
        Withdrawal withdrawal = locked(execution);
        if (!withdrawal.payOutJustified(withdrawal.decidedBy() != null && parties.isFinance(withdrawal.decidedBy()))
                || ledger.findTransfer(withdrawal.reference() + ":returned").isPresent()) {
            throw new IllegalStateException("withdrawal " + withdrawal.ref() + " (" + withdrawal.status() + ", " + withdrawal.decision()
                    + ") was not paid out by finance");
        }
        faults.check(FaultInjector.LEDGER_TRANSFER);
        ledger.transfer(withdrawal.reference() + ":paid", AccountRef.withdrawal(withdrawal.ref()), AccountRef.external(),
                withdrawal.amount(), "Withdrawal " + withdrawal.ref() + " paid out (bank reference " + withdrawal.bankReference() + ")");
        finish(execution, withdrawal, WithdrawalStatus.PAID_OUT);
    }

    /** Rejected by finance or cancelled by the requester ({@code why}): the hold goes back to the requester, once. */
    void returnToOwner(DelegateExecution execution, String why) {
        Withdrawal withdrawal = locked(execution);
        boolean byFinance = WithdrawalProcess.REJECTED.equals(why) && withdrawal.decidedBy() != null && parties.isFinance(withdrawal.decidedBy());
        boolean byRequester = WithdrawalProcess.CANCELLED.equals(why)
                && (withdrawal.requesterId().equals(withdrawal.decidedBy()) || CurrentUser.SYSTEM.equals(withdrawal.decidedBy()));
        if (!withdrawal.returnJustified(why, byFinance || byRequester)
                || ledger.findTransfer(withdrawal.reference() + ":paid").isPresent()) {
            throw new IllegalStateException("withdrawal " + withdrawal.ref() + " (" + withdrawal.status() + ", " + withdrawal.decision()
                    + ") cannot be returned as " + why);
        }
        faults.check(FaultInjector.LEDGER_TRANSFER);
        ledger.transfer(withdrawal.reference() + ":returned", AccountRef.withdrawal(withdrawal.ref()),
                AccountRef.user(withdrawal.requesterId()), withdrawal.amount(),
                "Withdrawal " + withdrawal.ref() + (WithdrawalProcess.REJECTED.equals(why) ? " rejected" : " cancelled") + ": returned");
        finish(execution, withdrawal, WithdrawalProcess.REJECTED.equals(why) ? WithdrawalStatus.REJECTED : WithdrawalStatus.CANCELLED);
    }

    void notifyParties(DelegateExecution execution, String notice) {
        Withdrawal withdrawal = withdrawals.findByProcessInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no withdrawal of process instance " + execution.getProcessInstanceId()));
        String requester = withdrawal.requesterId();
        switch (notice) {
            case "WITHDRAWAL_REQUESTED" -> {
                notifications.notify(requester, notice, withdrawal.reference(), notice(withdrawal, "withdrawal/requested"));
                List<String> finance = parties.companyMembers(Parties.FINANCE_GROUP).stream().map(Parties.Person::id)
                        .filter(id -> !id.equals(requester)).toList();
                notifications.notifyAll(finance, "WITHDRAWAL_TO_PAY_OUT", withdrawal.reference(), notice(withdrawal, "withdrawal/to-pay-out")
                        .with("requester", parties.personName(requester))
                        .link("/api/withdrawals/" + withdrawal.ref()));
            }
            case "WITHDRAWAL_PAID_OUT" -> notifications.notify(requester, notice, withdrawal.reference(),
                    notice(withdrawal, "withdrawal/paid-out").with("bankReference", withdrawal.bankReference()));
            case "WITHDRAWAL_REJECTED" -> notifications.notify(requester, notice, withdrawal.reference(),
                    notice(withdrawal, "withdrawal/rejected").with("reason", withdrawal.reason()));
            case "WITHDRAWAL_CANCELLED" -> notifications.notify(requester, notice, withdrawal.reference(),
                    notice(withdrawal, "withdrawal/cancelled"));
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    /** A notice about the withdrawal, every value from its row (the destination masked), linked as its requester sees it. */
    private static Notice notice(Withdrawal withdrawal, String name) {
        return Notice.of(name).with("ref", withdrawal.ref()).with("amount", withdrawal.amount())
                .with("destination", withdrawal.destinationMasked()).link("/api/me/withdrawals/" + withdrawal.ref());
    }

    private void finish(DelegateExecution execution, Withdrawal withdrawal, WithdrawalStatus status) {
        if (withdrawal.status() != status) {
            withdrawals.status(withdrawal.ref(), status, time.now());
        }
        execution.setVariable(WithdrawalProcess.VAR_STATUS, status.name());
    }

    private Withdrawal locked(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        // a row belongs to the one instance it was bound to: another instance under the same business key never acts on it
        return withdrawals.lock(ref).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no withdrawal " + ref + " of process instance " + execution.getProcessInstanceId()));
    }

    private static String plain(FieldErrors errors, String field, String text) {
        if (text != null && text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            errors.add(field, "format", "must be plain text without control characters");
            return null;
        }
        return text;
    }
}
