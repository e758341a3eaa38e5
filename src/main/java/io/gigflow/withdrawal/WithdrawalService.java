package io.gigflow.withdrawal;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.InsufficientBalanceException;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.Transactions;
import io.gigflow.shared.UnprocessableException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;

/**
 * The withdrawal use cases behind the domain API. A request is checked, stored, held and started
 * in one transaction; finance's answer and the requester's cancellation go through the engine as
 * the signed-in user, exactly as Tasklist and /engine-rest would, and meet the same guard.
 */
@Service
public class WithdrawalService {

    /** What a person sends to withdraw: amount and currency as strings, and one of its payout destinations. */
    public record WithdrawalRequest(@Schema(type = "string", example = "250.25", description = "A decimal string") Object amount,
            @Schema(type = "string", example = "EUR", description = "An ISO 4217 code") Object currency, Long destinationId) {
    }

    private final WithdrawalRepository withdrawals;
    private final PayoutDestinations destinations;
    private final WithdrawalSettings settings;
    private final Parties parties;
    private final Ledger ledger;
    private final CurrentUser currentUser;
    private final RuntimeService runtimeService;
    private final IdentityService identityService;
    private final HumanSteps steps;
    private final Transactions transactions;
    private final TimeSource time;

    WithdrawalService(WithdrawalRepository withdrawals, PayoutDestinations destinations, WithdrawalSettings settings, Parties parties,
            Ledger ledger, CurrentUser currentUser, RuntimeService runtimeService, IdentityService identityService, HumanSteps steps,
            Transactions transactions, TimeSource time) {
        this.withdrawals = withdrawals;
        this.destinations = destinations;
        this.settings = settings;
        this.parties = parties;
        this.ledger = ledger;
        this.currentUser = currentUser;
        this.runtimeService = runtimeService;
        this.identityService = identityService;
        this.steps = steps;
        this.transactions = transactions;
        this.time = time;
    }

    /**
     * Withdraws from the signed-in person's own balance: checked, then in one transaction the
     * row (REQUESTED), the hold (USER:&lt;me&gt; to WITHDRAWAL:&lt;ref&gt;, key withdrawal:&lt;ref&gt;:hold) and the
     * process instance; any refusal leaves none of them. A person's requests take turns (a lock
     * on its requester row), so two at once cannot pass the daily maximum or the balance together.
     */
    public WithdrawalView request(WithdrawalRequest request) {
        return transactions.retryingOnConcurrentChange(() -> {
            String me = currentUser.require();
            requireOwnBalance(me);
            FieldErrors errors = new FieldErrors();
            Money amount = MoneyInput.positive(request.amount(), request.currency(), "amount", "currency", errors);
            if (request.destinationId() == null) {
                errors.add("destinationId", "required", "is required, the id of one of your payout destinations");
            }
            PayoutDestinations.Destination destination = request.destinationId() == null ? null
                    : destinations.of(me, request.destinationId()).orElse(null);
            if (request.destinationId() != null && destination == null) {
                errors.add("destinationId", "exists", "you have no payout destination " + request.destinationId());
            }
            errors.throwIfAny("Invalid withdrawal");
            BigDecimal minimum = settings.minimumOf(amount.currency());
            if (amount.amount().compareTo(minimum) < 0) {
                throw new UnprocessableException("amount: a withdrawal takes at least " + minimum.toPlainString() + " "
                        + amount.currencyCode() + ", not " + amount);
            }
            OffsetDateTime now = time.now();
            withdrawals.lockRequester(me, now);
            OffsetDateTime day = now.truncatedTo(ChronoUnit.DAYS);
            BigDecimal today = withdrawals.requestedSince(me, amount.currency(), day, day.plusDays(1));
            BigDecimal maximum = settings.dailyMaximumOf(amount.currency());
            if (today.add(amount.amount()).compareTo(maximum) > 0) {
                throw new UnprocessableException("amount: at most " + maximum.toPlainString() + " " + amount.currencyCode()
                        + " may be withdrawn in one day (UTC); " + today.stripTrailingZeros().toPlainString() + " "
                        + amount.currencyCode() + " is requested today already");
            }
            Money balance = ledger.balance(AccountRef.user(me), amount.currency());
            if (balance.compareTo(amount) < 0) {
                throw insufficient(balance, amount);
            }
            String ref = withdrawals.nextRef();
            withdrawals.insert(ref, me, amount, destination, now);
            try {
                ledger.transfer(WithdrawalProcess.reference(ref) + ":hold", AccountRef.user(me),
                        AccountRef.withdrawal(ref), amount, "Withdrawal " + ref + " to " + destination.masked());
            } catch (InsufficientBalanceException e) {
                throw insufficient(e.available(), amount);
            }
            startAsPlatform(ref);
            return WithdrawalView.of(withdrawals.find(ref).orElseThrow(), false);
        });
    }

    public WithdrawalView get(String ref) {
        return WithdrawalView.of(own(ref), false);
    }

    public List<WithdrawalView> mine(WithdrawalStatus status, int offset, int limit) {
        return withdrawals.ofRequester(currentUser.require(), status, offset, limit).stream().map(w -> WithdrawalView.of(w, false)).toList();
    }

    /** The requester cancels while finance has not answered: the hold goes back (asynchronously). */
    public WithdrawalView cancel(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            Withdrawal withdrawal = own(ref);
            withdrawal.checkCancel(currentUser.require());
            try {
                runtimeService.createMessageCorrelation(WithdrawalProcess.MESSAGE_WITHDRAWAL_CANCELLED)
                        .processInstanceId(withdrawal.processInstanceId()).correlateWithResult();
            } catch (MismatchingMessageCorrelationException e) {
                throw new ConflictException("Withdrawal " + ref + " is " + withdrawal.status() + "; it cannot be cancelled now");
            }
            return get(ref);
        });
    }

    // ---- finance

    public List<WithdrawalView> all(WithdrawalStatus status, int offset, int limit) {
        requireFinance();
        return withdrawals.all(status, offset, limit).stream().map(w -> WithdrawalView.of(w, true)).toList();
    }

    public WithdrawalView forFinance(String ref) {
        requireFinance();
        return WithdrawalView.of(withdrawals.find(ref).orElseThrow(() -> new NotFoundException("No withdrawal " + ref)), true);
    }

    /** Finance paid it out of band: completes the finance step as Tasklist would (same listener, same guard). */
    public WithdrawalView payOut(String ref, String bankReference) {
        Map<String, Object> answer = new HashMap<>();
        answer.put(WithdrawalProcess.VAR_PAYOUT_DECISION, WithdrawalProcess.PAID);
        answer.put(WithdrawalProcess.VAR_BANK_REFERENCE, bankReference);
        return decide(ref, answer);
    }

    public WithdrawalView reject(String ref, String reason) {
        Map<String, Object> answer = new HashMap<>();
        answer.put(WithdrawalProcess.VAR_PAYOUT_DECISION, WithdrawalProcess.REJECTED);
        answer.put(WithdrawalProcess.VAR_REJECTION_REASON, reason);
        return InvalidInputException.namingFields(Map.of(WithdrawalProcess.VAR_REJECTION_REASON, "reason"), () -> decide(ref, answer));
    }

    private WithdrawalView decide(String ref, Map<String, Object> answer) {
        return transactions.retryingOnConcurrentChange(() -> {
            requireFinance();
            Withdrawal withdrawal = withdrawals.find(ref).orElseThrow(() -> new NotFoundException("No withdrawal " + ref));
            withdrawal.checkFinanceDecision(currentUser.require(), true);
            Task step = steps.open(withdrawal.processInstanceId(), WithdrawalProcess.TASK_PAY_OUT_WITHDRAWAL).orElseThrow(
                    () -> new ConflictException("Withdrawal " + ref + " is " + withdrawal.status() + "; it does not wait for finance"));
            steps.complete(step, answer, "The withdrawal changed at the same moment (cancelled, or answered by somebody else); reload it");
            return forFinance(ref);
        });
    }

    private void requireFinance() {
        if (!parties.isFinance(currentUser.require())) {
            throw new ForbiddenException("Only finance operators see and answer everybody's withdrawals");
        }
    }

    /** Contractors, field workers, providers and customers hold balances of their own; companies' balances are not withdrawn here. */
    private void requireOwnBalance(String me) {
        if (!(parties.isContractor(me) || parties.isFieldWorker(me) || parties.isProvider(me) || parties.isCustomer(me))) {
            throw new ForbiddenException("Withdrawals are for contractors, field workers, providers and customers, from their own balance");
        }
    }

    private Withdrawal own(String ref) {
        String me = currentUser.require();
        return withdrawals.find(ref).filter(w -> w.requesterId().equals(me)).orElseThrow(() -> new NotFoundException("No withdrawal " + ref));
    }

    /**
     * The requester may not start the process through the engine (nobody but operators may): the
     * platform starts it here, after the row and the hold, in the same transaction.
     */
    private void startAsPlatform(String ref) {
        Authentication caller = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            runtimeService.createProcessInstanceByKey(WithdrawalProcess.KEY).businessKey(ref).execute();
        } finally {
            if (caller != null) {
                identityService.setAuthentication(caller);
            }
        }
    }

    private static UnprocessableException insufficient(Money available, Money amount) {
        return new UnprocessableException("amount: your balance holds " + available + ", the withdrawal needs " + amount);
    }
}
