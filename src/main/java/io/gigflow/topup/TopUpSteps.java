package io.gigflow.topup;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.Notice;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.Readable;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TimeSource;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Service;

/**
 * What each step of the top-up process does, and the one guard of the lifecycle: every door
 * (Tasklist, /engine-rest, the domain API, the payment webhook) reaches these checks. Every step
 * reads the top-up from its row, changes it under a row lock, and mirrors the status into the
 * process variables for the forms.
 */
@Service
class TopUpSteps {

    static final String BANK_REFERENCE_PATTERN = "[A-Za-z0-9][A-Za-z0-9 ./:_-]{0,99}";
    private final TopUpRepository topUps;
    private final Parties parties;
    private final Ledger ledger;
    private final NotificationService notifications;
    private final FaultInjector faults;
    private final CurrentUser currentUser;
    private final TimeSource time;
    private final TopUpSettings settings;

    TopUpSteps(TopUpRepository topUps, Parties parties, Ledger ledger, NotificationService notifications, FaultInjector faults,
            CurrentUser currentUser, TimeSource time, TopUpSettings settings) {
        this.topUps = topUps;
        this.parties = parties;
        this.ledger = ledger;
        this.notifications = notifications;
        this.faults = faults;
        this.currentUser = currentUser;
        this.time = time;
        this.settings = settings;
    }

    /**
     * The start: the instance binds to the row the domain API registered under its business key
     * (the payment reference), once. An instance started any other way finds no row waiting for
     * it and fails: no top-up exists without its row.
     */
    void bindInstance(DelegateExecution execution) {
        String reference = execution.getProcessBusinessKey();
        TopUp topUp = (reference == null ? null : topUps.lockByReference(reference).orElse(null));
        if (topUp == null || topUp.processInstanceId() != null || topUp.status() != TopUpStatus.AWAITING_FUNDS) {
            throw new IllegalStateException("a top-up instance starts only for a top-up registered through the API, not for " + reference);
        }
        topUps.update(topUp.id(), "process_instance_id = :pi", time.now(), "pi", execution.getProcessInstanceId());
        execution.setVariable(TopUpProcess.VAR_STATUS, topUp.status().name());
    }

    /**
     * Task_ConfirmFunds is offered to the group finance and due when the top-up expires (both
     * from the row, never from a variable); its answer starts empty.
     */
    void assignConfirmation(DelegateTask task) {
        TopUp topUp = byInstance(task.getExecution());
        task.addCandidateGroup(Parties.FINANCE_GROUP);
        task.setDueDate(Date.from(topUp.expiresAt().toInstant()));
        TopUpProcess.STEP_INPUTS.forEach(task.getExecution()::removeVariable);
        // "Confirm top-up TU-12 · 250.00 EUR (Acme Ltd)": finance tells the waiting top-ups apart by reference, amount and payer
        String payer = payerName(topUp);
        StepDisplay.name(task, "Confirm top-up", topUp.reference(), Readable.money(topUp.amount()), payer);
    }

    /**
     * Completing Task_ConfirmFunds, by any door: only a member of finance (group membership, not
     * a variable), only while the top-up awaits its funds. The answer is checked and goes into the
     * row with who gave it; the gateway and the credit read it there.
     */
    void checkConfirmation(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return; // the payment webhook's message or the expiry ended the step
        }
        TopUp topUp = locked(execution);
        String by = currentUser.id().orElse(null);
        if (by == null || !parties.isFinance(by)) {
            throw new ForbiddenException("Only finance operators (group " + Parties.FINANCE_GROUP + ") confirm or reject top-up "
                    + topUp.reference());
        }
        if (topUp.isCompany() ? parties.isCompanyMember(by, topUp.ownerId()) : by.equals(topUp.ownerId())) {
            throw new ForbiddenException("A finance operator does not confirm or reject a top-up of their own balance ("
                    + topUp.reference() + "); another finance operator decides it");
        }
        awaiting(topUp);
        FieldErrors errors = new FieldErrors();
        Object decision = execution.getVariable(TopUpProcess.VAR_DECISION);
        if (!TopUpProcess.CONFIRM.equals(decision) && !TopUpProcess.REJECT.equals(decision)) {
            errors.add(TopUpProcess.VAR_DECISION, "oneOf", "must be \"CONFIRM\" or \"REJECT\", not "
                    + (decision == null ? "missing" : "\"" + decision + "\""));
        }
        if (TopUpProcess.REJECT.equals(decision)) {
            String reason = errors.requiredText(TopUpProcess.VAR_REJECTION_REASON, execution.getVariable(TopUpProcess.VAR_REJECTION_REASON), 1000);
            errors.throwIfAny("Invalid answer");
            topUps.update(topUp.id(), "status = 'REJECTED', rejection_reason = :reason, decided_by = :by, decided_at = :now",
                    time.now(), "reason", reason, "by", by);
            execution.setVariable(TopUpProcess.VAR_STATUS, TopUpStatus.REJECTED.name());
            return;
        }
        Money received = MoneyInput.positive(execution.getVariable(TopUpProcess.VAR_AMOUNT_RECEIVED), topUp.amount().currencyCode(),
                TopUpProcess.VAR_AMOUNT_RECEIVED, TopUpProcess.VAR_CURRENCY, errors);
        String bankReference = errors.requiredText(TopUpProcess.VAR_BANK_REFERENCE, execution.getVariable(TopUpProcess.VAR_BANK_REFERENCE), 100);
        if (bankReference != null && !bankReference.matches(BANK_REFERENCE_PATTERN)) {
            errors.add(TopUpProcess.VAR_BANK_REFERENCE, "format", "may contain letters, digits, spaces and . / : _ - only");
        }
        errors.throwIfAny("Invalid answer");
        topUps.update(topUp.id(), "status = 'CONFIRMED', received_amount = :received, bank_reference = :bank, confirmed_via = :via, "
                + "decided_by = :by, decided_at = :now", time.now(), "received", received.amount(), "bank", bankReference,
                "via", TopUp.VIA_FINANCE, "by", by);
        execution.setVariable(TopUpProcess.VAR_STATUS, TopUpStatus.CONFIRMED.name());
    }

    /**
     * The payment provider's webhook records the payment on the row and then correlates
     * PaymentReceived as the platform. The message passes only for a row the webhook confirmed:
     * nobody else can turn a waiting top-up into money by sending it.
     */
    void checkPaymentMessage(DelegateExecution execution) {
        TopUp topUp = locked(execution);
        if (currentUser.id().isPresent()) {
            throw new ForbiddenException("Only the payment provider's webhook reports a payment of top-up " + topUp.reference());
        }
        if (topUp.status() != TopUpStatus.CONFIRMED || !TopUp.VIA_PROVIDER.equals(topUp.confirmedVia())) {
            throw new ConflictException("Top-up " + topUp.reference() + " is " + topUp.status() + "; no payment was recorded for it");
        }
        execution.setVariable(TopUpProcess.VAR_STATUS, TopUpStatus.CONFIRMED.name());
    }

    /** Which way the answer goes: read from the row the completion listener wrote. */
    boolean confirmed(DelegateExecution execution) {
        return byInstance(execution).status() == TopUpStatus.CONFIRMED;
    }

    /** Task_CreditFunds: the received amount from EXTERNAL onto the payer's balance, once, only for a confirmed top-up. */
    void credit(DelegateExecution execution) {
        TopUp topUp = locked(execution);
        creditOnce(topUp);
        execution.setVariable(TopUpProcess.VAR_STATUS, TopUpStatus.CREDITED.name());
    }

    /** The credit itself; running it again for a credited top-up moves nothing. */
    void creditOnce(TopUp topUp) {
        if (topUp.status() != TopUpStatus.CONFIRMED && topUp.status() != TopUpStatus.CREDITED || topUp.receivedAmount() == null) {
            throw new IllegalStateException("top-up " + topUp.reference() + " is " + topUp.status() + ": only confirmed funds are credited");
        }
        faults.check(FaultInjector.LEDGER_TRANSFER);
        ledger.transfer(TopUpProcess.creditKey(topUp.id()), AccountRef.external(), topUp.owner(), topUp.receivedAmount(),
                "Top-up " + topUp.reference());
        if (topUp.status() == TopUpStatus.CONFIRMED) {
            topUps.update(topUp.id(), "status = 'CREDITED', credited_at = :now", time.now());
        }
    }

    /** Timer_Expiry: no funds by the row's expiry; nothing was credited, nothing moves. */
    void expire(DelegateExecution execution) {
        TopUp topUp = locked(execution);
        if (topUp.status() == TopUpStatus.EXPIRED) {
            return;
        }
        if (topUp.status() != TopUpStatus.AWAITING_FUNDS || time.now().isBefore(topUp.expiresAt())) {
            throw new IllegalStateException("top-up " + topUp.reference() + " (" + topUp.status() + ") does not expire before "
                    + topUp.expiresAt());
        }
        topUps.update(topUp.id(), "status = 'EXPIRED'", time.now());
        execution.setVariable(TopUpProcess.VAR_STATUS, TopUpStatus.EXPIRED.name());
    }

    void notifyParties(DelegateExecution execution, String notice) {
        TopUp topUp = byInstance(execution);
        switch (notice) {
            case "TOP_UP_REGISTERED" -> notifyPayer(topUp, notice, notice(topUp, "topup/registered")
                    .with("bankTransfer", topUp.method() == TopUpMethod.BANK_TRANSFER).with("payee", settings.payee())
                    .with("iban", settings.iban()).with("bic", settings.bic()));
            case "TOP_UP_CREDITED" -> notifyPayer(topUp, notice, notice(topUp, "topup/credited")
                    .with("received", topUp.receivedAmount()).with("differs", !topUp.receivedAmount().equals(topUp.amount()))
                    .with("balance", topUp.isCompany() ? "your company's balance" : "your balance"));
            case "TOP_UP_REJECTED" -> notifyPayer(topUp, notice, notice(topUp, "topup/rejected").with("reason", topUp.rejectionReason()));
            case "TOP_UP_EXPIRED" -> {
                notifyPayer(topUp, notice, notice(topUp, "topup/expired"));
                notifications.notifyAll(parties.companyMembers(Parties.FINANCE_GROUP).stream().map(Parties.Person::id).toList(), notice,
                        topUp.reference(), notice(topUp, "topup/expired-finance").with("payer", payerName(topUp)));
            }
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    /** A notice about the top-up, every value from its row; the deadline in the recipient's zone. */
    private static Notice notice(TopUp topUp, String name) {
        return Notice.of(name).with("reference", topUp.reference()).with("amount", topUp.amount()).with("expiresAt", topUp.expiresAt())
                .link("/api/top-ups/" + topUp.id());
    }

    /** Where and how to pay, as the API's view and the registration's notification show it. */
    String instructions(TopUp topUp) {
        return switch (topUp.method()) {
            case BANK_TRANSFER -> "Transfer " + Readable.money(topUp.amount()) + " to " + settings.payee() + ", IBAN " + settings.iban() + ", BIC "
                    + settings.bic() + ", quoting the payment reference " + topUp.reference()
                    + " exactly. Your balance is credited once finance confirms the funds arrived; unpaid, the top-up expires "
                    + expiry(topUp) + ".";
            case PAYMENT_PROVIDER -> "Pay " + Readable.money(topUp.amount()) + " through the payment provider with the payment reference "
                    + topUp.reference() + ". Your balance is credited as soon as the provider confirms the payment; unpaid, the top-up"
                    + " expires " + expiry(topUp) + ".";
        };
    }

    /** The API's view has no reader's zone: the expiry in UTC, which the text names. */
    private static String expiry(TopUp topUp) {
        return Readable.dateTime(topUp.expiresAt().toInstant(), java.time.ZoneOffset.UTC);
    }

    private void notifyPayer(TopUp topUp, String event, Notice notice) {
        notifications.notifyAll(payers(topUp), event, topUp.reference(), notice);
    }

    /** Who is told: the customer, or every member of the company. */
    List<String> payers(TopUp topUp) {
        return topUp.isCompany() ? parties.companyMembers(topUp.ownerId()).stream().map(Parties.Person::id).toList()
                : List.of(topUp.ownerId());
    }

    String payerName(TopUp topUp) {
        return topUp.isCompany() ? parties.companyName(topUp.ownerId()) : parties.personName(topUp.ownerId());
    }

    private static void awaiting(TopUp topUp) {
        if (topUp.status() != TopUpStatus.AWAITING_FUNDS) {
            throw new ConflictException("Top-up " + topUp.reference() + " is " + topUp.status() + "; only a top-up AWAITING_FUNDS is confirmed"
                    + " or rejected");
        }
    }

    private TopUp byInstance(DelegateExecution execution) {
        return topUps.findByProcessInstance(execution.getProcessInstanceId())
                .orElseThrow(() -> new IllegalStateException("no top-up of process instance " + execution.getProcessInstanceId()));
    }

    /** The row of this instance, locked; a row belongs to the one instance that bound it. */
    private TopUp locked(DelegateExecution execution) {
        TopUp topUp = byInstance(execution);
        return topUps.lock(topUp.id()).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no top-up of process instance " + execution.getProcessInstanceId()));
    }
}
