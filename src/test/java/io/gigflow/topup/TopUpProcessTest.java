package io.gigflow.topup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import io.gigflow.support.OpenSteps;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Every path of top-up, driven as payers, finance and the payment provider drive it, with the
 * job executor off so that the test fires the expiry and runs the credit itself. Ids are unique
 * per test, so it runs beside other test classes on one database.
 */
@SpringBootTest(properties = {"camunda.bpm.job-execution.enabled=false", "gigflow.payments.webhook-secret=" + TopUpProcessTest.SECRET})
@ActiveProfiles("test")
class TopUpProcessTest {

    static final String SECRET = "process-test-secret";
    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired TopUpService topUps;
    @Autowired TopUpSteps steps;
    @Autowired TopUpRepository repository;
    @Autowired PaymentWebhook webhook;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

    Fixtures fixtures;
    String customer;
    String[] company;
    String finance;
    OffsetDateTime now;

    @BeforeEach
    void givenACustomerACompanyAndAFinanceOperator() {
        BpmnAwareTests.init(engine);
        now = OffsetDateTime.parse("2026-03-02T09:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now.toInstant()));
        fixtures = new Fixtures(identityService);
        customer = fixtures.customer("carl");
        company = fixtures.company("acme");
        finance = fixtures.finance("fiona");
    }

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void financeConfirmsADifferentAmountThanRegisteredAndExactlyThatIsCreditedOnce() {
        TopUpView registered = fixtures.as(customer, () -> topUps.registerForMe(registration("100.00")));
        ProcessInstance instance = instance(registered);

        assertThat(registered.status()).isEqualTo(TopUpStatus.AWAITING_FUNDS);
        assertThat(registered.reference()).matches("GF-[0-9A-HJKMNP-TV-Z]{10}-[0-9A-HJKMNP-TV-Z]");
        assertThat(registered.expiresAt()).isEqualTo(now.plusDays(14));
        assertThat(instance).isWaitingAt(TopUpProcess.TASK_CONFIRM_FUNDS);
        Task step = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
        assertThat(taskService.getIdentityLinksForTask(step.getId())).extracting(l -> l.getGroupId()).containsExactly("finance");
        assertThat(step.getDueDate()).isEqualTo(Date.from(now.plusDays(14).toInstant()));
        assertThat(balance(AccountRef.user(customer))).isEqualTo("0.00");
        // finance's form shows the row, read when it is opened; the engine keeps no copy, and the customer reads no such form
        Map<String, Object> form = fixtures.as(finance, () -> OpenSteps.form(engine.getFormService(), step.getId()));
        assertThat(form).containsEntry("ref", registered.reference()).containsEntry("amountText", "100.00 EUR")
                .containsEntry("askedBy", customer.substring(0, 1).toUpperCase() + customer.substring(1) + " Tester").containsEntry("expiresAt", "2026-03-16T09:00:00Z");
        assertThat(runtimeService.getVariables(instance.getId())).containsOnlyKeys(TopUpProcess.VAR_STATUS);
        assertThat(taskService.getVariablesLocal(step.getId())).isEmpty();
        assertThatThrownBy(() -> fixtures.as(customer, () -> OpenSteps.form(engine.getFormService(), step.getId())))
                .isInstanceOf(org.camunda.bpm.engine.AuthorizationException.class);

        fixtures.as(finance, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("98.50", "BANK-TX-1")));
        assertThat(get(registered).status()).isEqualTo(TopUpStatus.CONFIRMED);
        assertThat(balance(AccountRef.user(customer))).as("credited only by the credit step").isEqualTo("0.00");
        Jobs.run(managementService, instance.getId());

        assertThat(instance).hasPassed(TopUpProcess.TASK_CREDIT_FUNDS, TopUpProcess.END_CREDITED).isEnded();
        TopUpView credited = get(registered);
        assertThat(credited.status()).isEqualTo(TopUpStatus.CREDITED);
        assertThat(credited.receivedAmount()).isEqualTo("98.50");
        assertThat(credited.bankReference()).isEqualTo("BANK-TX-1");
        assertThat(credited.decidedBy()).isEqualTo(finance);
        assertThat(credited.confirmedVia()).isEqualTo("FINANCE");
        assertThat(balance(AccountRef.user(customer))).isEqualTo("98.50");
        assertThat(notices(registered, customer)).containsExactly("TOP_UP_REGISTERED", "TOP_UP_CREDITED");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void theCreditMovesMoneyOnceEvenWhenItsStepRunsAgain() {
        TopUpView registered = fixtures.as(company[1], () -> topUps.registerForCompany(company[0], registration("250.00")));
        fixtures.as(finance, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("250.00", "BANK-TX-2")));
        Jobs.run(managementService, instance(registered).getId());

        // the job ran; a second run (a retry after a lost commit acknowledgement) finds the row CREDITED
        steps.creditOnce(repository.find(registered.id()).orElseThrow());
        steps.creditOnce(repository.find(registered.id()).orElseThrow());

        assertThat(balance(AccountRef.company(company[0]))).isEqualTo("250.00");
        assertThat(jdbc.sql("select count(*) from ledger_transfer where idempotency_key = :key")
                .param("key", TopUpProcess.creditKey(registered.id())).query(Integer.class).single()).isOne();
        assertThat(notices(registered, company[1])).containsExactly("TOP_UP_REGISTERED", "TOP_UP_CREDITED");
    }

    @Test
    void aRejectedTopUpCreditsNothingAndNeedsAReason() {
        TopUpView registered = fixtures.as(customer, () -> topUps.registerForMe(registration("70.00")));
        ProcessInstance instance = instance(registered);

        assertThatThrownBy(() -> fixtures.as(finance, () -> topUps.reject(registered.id(), new TopUpService.Rejection(" "))))
                .isInstanceOf(InvalidInputException.class).hasMessage("Invalid answer: reason: is required");
        assertThat(instance).isWaitingAt(TopUpProcess.TASK_CONFIRM_FUNDS);

        fixtures.as(finance, () -> topUps.reject(registered.id(), new TopUpService.Rejection("No transfer with this reference arrived")));

        assertThat(instance).hasPassed(TopUpProcess.END_REJECTED).isEnded();
        TopUpView rejected = get(registered);
        assertThat(rejected.status()).isEqualTo(TopUpStatus.REJECTED);
        assertThat(rejected.rejectionReason()).isEqualTo("No transfer with this reference arrived");
        assertThat(rejected.receivedAmount()).isNull();
        assertThat(balance(AccountRef.user(customer))).isEqualTo("0.00");
        assertThat(notices(registered, customer)).containsExactly("TOP_UP_REGISTERED", "TOP_UP_REJECTED");
    }

    @Test
    void anUnpaidTopUpExpiresAtTheDateOnItsRowAndBothSidesAreTold() {
        TopUpView registered = fixtures.as(customer, () -> topUps.registerForMe(registration("40.00")));
        ProcessInstance instance = instance(registered);
        Job expiry = managementService.createJobQuery().processInstanceId(instance.getId()).timers()
                .activityId(TopUpProcess.TIMER_EXPIRY).singleResult();
        assertThat(expiry.getDuedate()).isEqualTo(Date.from(now.plusDays(14).toInstant()));

        ClockUtil.setCurrentTime(Date.from(now.plusDays(14).plusSeconds(1).toInstant()));
        managementService.executeJob(expiry.getId());
        Jobs.run(managementService, instance.getId());

        assertThat(instance).hasPassed(TopUpProcess.TASK_EXPIRE_TOP_UP, TopUpProcess.END_EXPIRED).isEnded();
        assertThat(get(registered).status()).isEqualTo(TopUpStatus.EXPIRED);
        assertThat(balance(AccountRef.user(customer))).isEqualTo("0.00");
        assertThat(notices(registered, customer)).containsExactly("TOP_UP_REGISTERED", "TOP_UP_EXPIRED");
        assertThat(notices(registered, finance)).containsExactly("TOP_UP_EXPIRED");
        assertThatThrownBy(() -> fixtures.as(finance, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("40.00", "LATE"))))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void thePaymentProvidersSignedEventConfirmsTheFundsAndEndsTheFinanceStep() {
        TopUpView registered = fixtures.as(customer, () -> topUps.registerForMe(new TopUpService.Registration("60.00", "EUR", "PAYMENT_PROVIDER")));
        ProcessInstance instance = instance(registered);
        String eventId = Fixtures.unique("evt_");

        PaymentWebhook.Outcome outcome = deliver(eventId, registered.reference(), "60.00", "EUR");

        assertThat(outcome.status()).isEqualTo(200);
        assertThat(outcome.body()).containsEntry("outcome", "accepted");
        assertThat(taskService.createTaskQuery().processInstanceId(instance.getId()).count()).as("the finance step is over").isZero();
        Jobs.run(managementService, instance.getId());
        assertThat(instance).hasPassed(TopUpProcess.BOUNDARY_PAYMENT_RECEIVED, TopUpProcess.TASK_CREDIT_FUNDS, TopUpProcess.END_CREDITED)
                .isEnded();
        TopUpView credited = get(registered);
        assertThat(credited.status()).isEqualTo(TopUpStatus.CREDITED);
        assertThat(credited.confirmedVia()).isEqualTo("PROVIDER");
        assertThat(credited.providerPayment()).isEqualTo("pi_" + eventId);
        assertThat(balance(AccountRef.user(customer))).isEqualTo("60.00");

        PaymentWebhook.Outcome replayed = deliver(eventId, registered.reference(), "60.00", "EUR");
        assertThat(replayed.status()).isEqualTo(200);
        assertThat(replayed.body()).containsEntry("outcome", "accepted").containsEntry("replayed", true);
        assertThat(balance(AccountRef.user(customer))).isEqualTo("60.00");
        assertThatThrownBy(() -> deliver(Fixtures.unique("evt_"), registered.reference(), "60.00", "EUR"))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void aSecondConfirmationIsRefusedWhicheverPathCameFirst() {
        TopUpView registered = fixtures.as(customer, () -> topUps.registerForMe(registration("30.00")));
        Task step = taskService.createTaskQuery().processInstanceId(instance(registered).getId()).singleResult();
        fixtures.as(finance, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("30.00", "BANK-TX-3")));

        assertThatThrownBy(() -> fixtures.as(finance, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("30.00", "BANK-TX-3"))))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(finance, () -> taskService.complete(step.getId(), Map.of("decision", "CONFIRM",
                "amountReceived", "30.00", "bankReference", "AGAIN")))).as("the step is gone")
                .isInstanceOf(org.camunda.bpm.engine.ProcessEngineException.class);
        assertThatThrownBy(() -> deliver(Fixtures.unique("evt_"), registered.reference(), "30.00", "EUR"))
                .isInstanceOf(ConflictException.class);
        Jobs.run(managementService, instance(registered).getId());
        assertThat(balance(AccountRef.user(customer))).isEqualTo("30.00");
    }

    @Test
    void onlyFinanceCompletesTheStepWhateverDoorItComesBy() {
        TopUpView registered = fixtures.as(customer, () -> topUps.registerForMe(registration("500.00")));
        Task step = taskService.createTaskQuery().processInstanceId(instance(registered).getId()).singleResult();
        Map<String, Object> answer = Map.of("decision", "CONFIRM", "amountReceived", "500.00", "bankReference", "SELF");
        String operator = fixtures.person(Fixtures.unique("op"), Groups.CAMUNDA_ADMIN);

        assertThatThrownBy(() -> fixtures.as(customer, () -> taskService.complete(step.getId(), answer)))
                .isInstanceOfAny(AuthorizationException.class, ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(operator, () -> taskService.complete(step.getId(), answer)))
                .as("an operator outside finance, who passes every engine permission").isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(customer, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("500.00", "SELF"))))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(customer, () -> runtimeService.createMessageCorrelation(TopUpProcess.MESSAGE_PAYMENT_RECEIVED)
                .processInstanceId(step.getProcessInstanceId()).correlateWithResult())).isInstanceOfAny(AuthorizationException.class,
                ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(customer, () -> runtimeService.startProcessInstanceByKey(TopUpProcess.KEY, registered.reference())))
                .isInstanceOf(AuthorizationException.class);

        assertThat(get(registered).status()).isEqualTo(TopUpStatus.AWAITING_FUNDS);
        assertThat(balance(AccountRef.user(customer))).isEqualTo("0.00");
    }

    @Test
    void aFinanceOperatorDoesNotConfirmATopUpOfTheirOwnBalanceOrTheirCompanys() {
        identityService.createMembership(finance, Parties.CUSTOMERS_GROUP);
        identityService.createMembership(finance, company[0]);
        TopUpView own = fixtures.as(finance, () -> topUps.registerForMe(registration("500.00")));
        TopUpView companys = fixtures.as(company[1], () -> topUps.registerForCompany(company[0], registration("700.00")));
        TopUpService.Confirmation answer = new TopUpService.Confirmation("500.00", "SELF");

        assertThatThrownBy(() -> fixtures.as(finance, () -> topUps.confirm(own.id(), answer))).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("their own balance");
        assertThatThrownBy(() -> fixtures.as(finance, () -> topUps.confirm(companys.id(), answer))).isInstanceOf(ForbiddenException.class);
        assertThat(get(own).status()).isEqualTo(TopUpStatus.AWAITING_FUNDS);
        assertThat(get(companys).status()).isEqualTo(TopUpStatus.AWAITING_FUNDS);

        String colleague = fixtures.finance("fred");
        fixtures.as(colleague, () -> topUps.confirm(own.id(), answer));
        Jobs.run(managementService, instance(own).getId());
        assertThat(balance(AccountRef.user(finance))).isEqualTo("500.00");
    }

    @Test
    void aCompletionWithVariablesBeyondItsFormIsRefusedAndBadAnswersNameTheirField() {
        TopUpView registered = fixtures.as(customer, () -> topUps.registerForMe(registration("20.00")));
        Task step = taskService.createTaskQuery().processInstanceId(instance(registered).getId()).singleResult();

        assertThatThrownBy(() -> fixtures.as(finance, () -> taskService.complete(step.getId(), Map.of("decision", "CONFIRM",
                "amountReceived", "20.00", "bankReference", "TX", "status", "CREDITED"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("status");
        assertThatThrownBy(() -> fixtures.as(finance, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("20.001", "TX"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("amountReceived");
        assertThatThrownBy(() -> fixtures.as(finance, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("0", "TX"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("amountReceived");
        assertThatThrownBy(() -> fixtures.as(finance, () -> topUps.confirm(registered.id(), new TopUpService.Confirmation("20.00", null))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("bankReference");
        assertThatThrownBy(() -> fixtures.as(finance, () -> taskService.complete(step.getId(), Map.of("decision", "MAYBE"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("decision");

        assertThat(get(registered).status()).isEqualTo(TopUpStatus.AWAITING_FUNDS);
        assertThat(taskService.createTaskQuery().taskId(step.getId()).count()).isOne();
    }

    @Test
    void paymentReferencesCarryACheckSymbolThatCatchesATypo() {
        String reference = PaymentReferences.generate();
        assertThat(PaymentReferences.canonical(reference)).contains(reference);
        assertThat(PaymentReferences.canonical(reference.toLowerCase().replace("-", " "))).contains(reference);
        char first = reference.charAt(3);
        char typo = PaymentReferences.ALPHABET.charAt((PaymentReferences.ALPHABET.indexOf(first) + 1) % 32);
        assertThat(PaymentReferences.canonical(reference.substring(0, 3) + typo + reference.substring(4))).isEmpty();
        assertThat(PaymentReferences.canonical("GF-123")).isEmpty();
    }

    // ---- helpers

    private static TopUpService.Registration registration(String amount) {
        return new TopUpService.Registration(amount, "EUR", "BANK_TRANSFER");
    }

    private PaymentWebhook.Outcome deliver(String eventId, String reference, String amount, String currency) {
        String body = "{\"id\":\"" + eventId + "\",\"type\":\"payment.succeeded\",\"data\":{\"reference\":\"" + reference
                + "\",\"amount\":\"" + amount + "\",\"currency\":\"" + currency + "\",\"providerPayment\":\"pi_" + eventId + "\"}}";
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        String t = String.valueOf(ClockUtil.getCurrentTime().toInstant().getEpochSecond());
        return webhook.receive("t=" + t + ",v1=" + HexFormat.of().formatHex(PaymentWebhook.sign(SECRET, t, raw)), raw);
    }

    private ProcessInstance instance(TopUpView topUp) {
        String id = repository.find(topUp.id()).orElseThrow().processInstanceId();
        ProcessInstance running = runtimeService.createProcessInstanceQuery().processInstanceId(id).singleResult();
        return running != null ? running : Jobs.ended(id, TopUpProcess.KEY, topUp.reference());
    }

    private TopUpView get(TopUpView topUp) {
        return fixtures.as(finance, () -> topUps.get(topUp.id()));
    }

    private String balance(AccountRef owner) {
        return ledger.balance(owner, EUR).toDecimalString();
    }

    private List<String> notices(TopUpView topUp, String user) {
        return jdbc.sql("select event from notification where recipient_id = :user and reference = :ref order by id")
                .param("user", user).param("ref", topUp.reference()).query(String.class).list();
    }
}
