package io.gigflow.topup;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
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
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;

/**
 * The top-up use cases behind the domain API. Registering writes the row and starts the
 * instance in one transaction; confirming and rejecting complete the same Tasklist step, as the
 * signed-in finance operator, so the step's listener is the one guard of every door.
 */
@Service
public class TopUpService {

    public record Registration(String amount, String currency, String method) {
    }

    public record Confirmation(String amountReceived, String bankReference) {
    }

    public record Rejection(String reason) {
    }

    private final TopUpRepository topUps;
    private final TopUpSteps steps;
    private final TopUpSettings settings;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final RuntimeService runtimeService;
    private final IdentityService identityService;
    private final HumanSteps humanSteps;
    private final Transactions transactions;
    private final TimeSource time;

    TopUpService(TopUpRepository topUps, TopUpSteps steps, TopUpSettings settings, Parties parties, CurrentUser currentUser,
            RuntimeService runtimeService, IdentityService identityService, HumanSteps humanSteps, Transactions transactions, TimeSource time) {
        this.topUps = topUps;
        this.steps = steps;
        this.settings = settings;
        this.parties = parties;
        this.currentUser = currentUser;
        this.runtimeService = runtimeService;
        this.identityService = identityService;
        this.humanSteps = humanSteps;
        this.transactions = transactions;
        this.time = time;
    }

    /** A company member registers a top-up of the company's balance. */
    public TopUpView registerForCompany(String companyId, Registration request) {
        String user = currentUser.require();
        if (!parties.isCompanyMember(user, companyId)) {
            throw new ForbiddenException("Only members of company " + companyId + " register its top-ups");
        }
        if (parties.isContractor(user) || parties.isFieldWorker(user) || parties.isProvider(user)) {
            throw new ForbiddenException("Contractors, field workers and providers do not top up; they are paid");
        }
        return register(AccountRef.company(companyId), user, request);
    }

    /** A customer registers a top-up of its own balance. */
    public TopUpView registerForMe(Registration request) {
        String user = currentUser.require();
        if (!parties.isCustomer(user) || parties.isContractor(user) || parties.isFieldWorker(user) || parties.isProvider(user)) {
            throw new ForbiddenException("Only customers top up their own balance; a company's members top up the company's");
        }
        return register(AccountRef.user(user), user, request);
    }

    private TopUpView register(AccountRef owner, String user, Registration request) {
        FieldErrors errors = new FieldErrors();
        Registration given = request == null ? new Registration(null, null, null) : request;
        Money amount = MoneyInput.positive(given.amount(), given.currency(), "amount", "currency", errors);
        TopUpMethod method = null;
        if (given.method() == null || given.method().isBlank()) {
            errors.add("method", "required", "is required: BANK_TRANSFER or PAYMENT_PROVIDER");
        } else {
            try {
                method = TopUpMethod.valueOf(given.method());
            } catch (IllegalArgumentException e) {
                errors.add("method", "oneOf", "must be BANK_TRANSFER or PAYMENT_PROVIDER");
            }
        }
        errors.throwIfAny("Invalid top-up");
        TopUpMethod chosen = method;
        return transactions.retryingOnConcurrentChange(() -> {
            OffsetDateTime now = time.now();
            String reference = PaymentReferences.generate();
            while (topUps.referenceExists(reference)) {
                reference = PaymentReferences.generate();
            }
            long id = topUps.insert(reference, owner, user, chosen, amount, now.plus(settings.expiresAfter()), now);
            String key = reference;
            // the payer may not start top-up through the engine; the platform starts it for the row it just wrote
            asPlatform(() -> runtimeService.createProcessInstanceByKey(TopUpProcess.KEY).businessKey(key).execute());
            return view(topUps.find(id).orElseThrow());
        });
    }

    public TopUpView get(long id) {
        return view(visible(id));
    }

    public List<TopUpView> ofCompany(String companyId, TopUpStatus status, int offset, int limit) {
        parties.requireMembership(currentUser.require(), companyId);
        return topUps.ofOwner(AccountRef.company(companyId), status, offset, limit).stream().map(this::view).toList();
    }

    public List<TopUpView> mine(TopUpStatus status, int offset, int limit) {
        return topUps.ofOwner(AccountRef.user(currentUser.require()), status, offset, limit).stream().map(this::view).toList();
    }

    /** Finance's work list: every top-up awaiting its funds, oldest first. */
    public List<TopUpView> awaitingFunds(int offset, int limit) {
        requireFinance();
        return topUps.withStatus(TopUpStatus.AWAITING_FUNDS, offset, limit).stream().map(this::view).toList();
    }

    /** Finance confirms the funds arrived: completes Task_ConfirmFunds as the operator (the same step as Tasklist). */
    public TopUpView confirm(long id, Confirmation confirmation) {
        Map<String, Object> answer = new HashMap<>();
        answer.put(TopUpProcess.VAR_DECISION, TopUpProcess.CONFIRM);
        answer.put(TopUpProcess.VAR_AMOUNT_RECEIVED, confirmation == null ? null : confirmation.amountReceived());
        answer.put(TopUpProcess.VAR_BANK_REFERENCE, confirmation == null ? null : confirmation.bankReference());
        return decide(id, answer);
    }

    /** Finance rejects the top-up with a reason: completes Task_ConfirmFunds as the operator. */
    public TopUpView reject(long id, Rejection rejection) {
        Map<String, Object> answer = new HashMap<>();
        answer.put(TopUpProcess.VAR_DECISION, TopUpProcess.REJECT);
        answer.put(TopUpProcess.VAR_REJECTION_REASON, rejection == null ? null : rejection.reason());
        return InvalidInputException.namingFields(Map.of(TopUpProcess.VAR_REJECTION_REASON, "reason"), () -> decide(id, answer));
    }

    private TopUpView decide(long id, Map<String, Object> answer) {
        requireFinance();
        return transactions.retryingOnConcurrentChange(() -> {
            TopUp topUp = visible(id);
            if (topUp.status() != TopUpStatus.AWAITING_FUNDS) {
                throw new ConflictException("Top-up " + topUp.reference() + " is " + topUp.status() + "; only a top-up AWAITING_FUNDS is"
                        + " confirmed or rejected");
            }
            Task step = humanSteps.open(topUp.processInstanceId(), TopUpProcess.TASK_CONFIRM_FUNDS).orElseThrow(
                    () -> new ConflictException("Top-up " + topUp.reference() + " does not await a confirmation now"));
            humanSteps.complete(step, answer, "The top-up changed at the same moment (its payment arrived, or it expired); reload it");
            return get(id);
        });
    }

    private void requireFinance() {
        if (!parties.isFinance(currentUser.require())) {
            throw new ForbiddenException("Only finance operators (group " + Parties.FINANCE_GROUP + ") do this");
        }
    }

    /** The top-up, for its payer (the customer, or a member of the company) and for finance; nobody else learns it exists. */
    private TopUp visible(long id) {
        String user = currentUser.require();
        return topUps.find(id).filter(t -> parties.isFinance(user)
                        || (t.isCompany() ? parties.isCompanyMember(user, t.ownerId()) : t.ownerId().equals(user)))
                .orElseThrow(() -> new NotFoundException("No top-up " + id));
    }

    TopUpView view(TopUp t) {
        return new TopUpView(t.id(), t.reference(), t.status(), t.method(), t.amount().toDecimalString(), t.amount().currencyCode(),
                t.receivedAmount() == null ? null : t.receivedAmount().toDecimalString(), new TopUpView.Payer(t.ownerType().name(), t.ownerId()),
                t.registeredBy(), t.createdAt(), t.expiresAt(),
                new TopUpView.PaymentInstructions(settings.payee(), settings.iban(), settings.bic(), t.reference(), steps.instructions(t)),
                t.bankReference(), t.providerPayment(), t.confirmedVia(), t.decidedBy(), t.decidedAt(), t.rejectionReason(), t.creditedAt());
    }

    private <T> T asPlatform(Supplier<T> action) {
        Authentication caller = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            return action.get();
        } finally {
            if (caller != null) {
                identityService.setAuthentication(caller);
            }
        }
    }
}
