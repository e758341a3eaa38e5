package io.gigflow.withdrawal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.UnprocessableException;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import io.gigflow.support.OpenSteps;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
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
 * Every path of withdrawal, driven as the requester and finance drive it, with the job executor
 * off so that the test runs the asynchronous money steps itself. Everything it looks at is its
 * own (unique people, its instances, its refs): on CI's PostgreSQL stage it shares one database
 * with the other process tests.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class WithdrawalProcessTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired WithdrawalService withdrawals;
    @Autowired PayoutDestinations destinations;
    @Autowired Ledger ledger;
    @Autowired FaultInjector faults;
    @Autowired JdbcClient jdbc;

    Fixtures fixtures;
    String carla;
    String fiona;
    long iban;

    @BeforeEach
    void givenAContractorWithMoneyAndAnIbanAndAFinanceOperator() {
        BpmnAwareTests.init(engine);
        fixtures = new Fixtures(identityService);
        carla = fixtures.contractor("carla");
        fiona = fixtures.finance("fiona");
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.user(carla), Money.of("500.00", "EUR"), "Fixture");
        iban = fixtures.as(carla, () -> destinations.add(new PayoutDestinations.NewDestination("IBAN", "DE89 3704 0044 0532 0130 00",
                "Carla Tester", null, null))).id();
    }

    @AfterEach
    void noFaultsLeft() {
        faults.reset();
    }

    @Test
    void paysTheHoldOutToTheWorldWhenFinanceConfirmsWithTheBanksReference() {
        WithdrawalView requested = request("120.50");
        ProcessInstance instance = instance(requested.ref());
        assertThat(requested.status()).isEqualTo(WithdrawalStatus.REQUESTED);
        assertThat(requested.destination()).isEqualTo("IBAN ******************3000 (Carla Tester)");
        assertThat(balance(AccountRef.user(carla))).isEqualTo("379.50");
        assertThat(balance(hold(requested))).isEqualTo("120.50");
        assertThat(instance).isWaitingAt(WithdrawalProcess.TASK_PAY_OUT_WITHDRAWAL);
        Task step = step(instance);
        assertThat(taskService.getIdentityLinksForTask(step.getId())).anyMatch(l -> Parties.FINANCE_GROUP.equals(l.getGroupId()));
        assertThat(step.getAssignee()).isNull();
        // finance's form shows the full destination and the requester, from the row when opened; the engine keeps no copy
        Map<String, Object> form = fixtures.as(fiona, () -> OpenSteps.form(engine.getFormService(), step.getId()));
        assertThat(form).containsEntry(WithdrawalProcess.VAR_DESTINATION, "IBAN DE89 3704 0044 0532 0130 00 (Carla Tester)")
                .containsEntry(WithdrawalProcess.VAR_REQUESTER_ID, carla).containsEntry("amountText", "120.50 EUR")
                .containsEntry("ref", requested.ref());
        assertThat(runtimeService.getVariables(instance.getId())).containsOnlyKeys(WithdrawalProcess.VAR_STATUS);
        assertThat(taskService.getVariablesLocal(step.getId())).isEmpty();
        assertThatThrownBy(() -> fixtures.as(carla, () -> OpenSteps.form(engine.getFormService(), step.getId())))
                .isInstanceOf(org.camunda.bpm.engine.AuthorizationException.class);
        assertThat(notices(requested, carla)).containsExactly("WITHDRAWAL_REQUESTED");
        assertThat(notices(requested, fiona)).containsExactly("WITHDRAWAL_TO_PAY_OUT");

        fixtures.as(fiona, () -> taskService.complete(step.getId(), Map.of(WithdrawalProcess.VAR_PAYOUT_DECISION, WithdrawalProcess.PAID,
                WithdrawalProcess.VAR_BANK_REFERENCE, "SEPA-2026-0042")));
        assertThat(fixtures.as(carla, () -> withdrawals.get(requested.ref())).decision()).isEqualTo(WithdrawalProcess.PAID);
        executeJobs(instance);

        assertThat(instance).hasPassed(WithdrawalProcess.TASK_PAY_OUT, WithdrawalProcess.END_PAID_OUT).isEnded();
        WithdrawalView paid = fixtures.as(carla, () -> withdrawals.get(requested.ref()));
        assertThat(paid.status()).isEqualTo(WithdrawalStatus.PAID_OUT);
        assertThat(paid.bankReference()).isEqualTo("SEPA-2026-0042");
        assertThat(paid.decidedBy()).isEqualTo(fiona);
        assertThat(balance(AccountRef.user(carla))).isEqualTo("379.50");
        assertThat(balance(hold(requested))).isEqualTo("0.00");
        assertThat(transfers(requested)).containsExactlyInAnyOrder(":hold", ":paid");
        assertThat(notices(requested, carla)).containsExactly("WITHDRAWAL_REQUESTED", "WITHDRAWAL_PAID_OUT");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void returnsTheHoldToTheRequesterWhenFinanceRejectsWithAReason() {
        WithdrawalView requested = request("80.00");
        ProcessInstance instance = instance(requested.ref());

        fixtures.as(fiona, () -> withdrawals.reject(requested.ref(), "The holder's name does not match the account"));
        executeJobs(instance);

        assertThat(instance).hasPassed(WithdrawalProcess.TASK_RETURN_REJECTED, WithdrawalProcess.END_REJECTED).isEnded();
        WithdrawalView rejected = fixtures.as(carla, () -> withdrawals.get(requested.ref()));
        assertThat(rejected.status()).isEqualTo(WithdrawalStatus.REJECTED);
        assertThat(rejected.reason()).isEqualTo("The holder's name does not match the account");
        assertThat(balance(AccountRef.user(carla))).isEqualTo("500.00");
        assertThat(balance(hold(requested))).isEqualTo("0.00");
        assertThat(transfers(requested)).containsExactlyInAnyOrder(":hold", ":returned");
        assertThat(notices(requested, carla)).containsExactly("WITHDRAWAL_REQUESTED", "WITHDRAWAL_REJECTED");
        assertThatThrownBy(() -> fixtures.as(carla, () -> withdrawals.cancel(requested.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(fiona, () -> withdrawals.payOut(requested.ref(), "LATE-1"))).isInstanceOf(ConflictException.class);
    }

    @Test
    void returnsTheHoldWhenTheRequesterCancelsAndTakesNoAnswerAfterwards() {
        WithdrawalView requested = request("60.00");
        ProcessInstance instance = instance(requested.ref());
        String mallory = fixtures.contractor("mallory");

        assertThatThrownBy(() -> fixtures.as(mallory, () -> withdrawals.cancel(requested.ref()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixtures.as(mallory, () -> runtimeService.createMessageCorrelation(
                WithdrawalProcess.MESSAGE_WITHDRAWAL_CANCELLED).processInstanceId(instance.getId()).correlateWithResult()))
                .isInstanceOf(ForbiddenException.class);
        fixtures.as(carla, () -> withdrawals.cancel(requested.ref()));
        assertThatThrownBy(() -> fixtures.as(carla, () -> withdrawals.cancel(requested.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(fiona, () -> withdrawals.payOut(requested.ref(), "TOO-LATE")))
                .isInstanceOf(ConflictException.class);
        executeJobs(instance);

        assertThat(instance).hasPassed(WithdrawalProcess.TASK_RETURN_CANCELLED, WithdrawalProcess.END_CANCELLED).isEnded();
        assertThat(fixtures.as(carla, () -> withdrawals.get(requested.ref())).status()).isEqualTo(WithdrawalStatus.CANCELLED);
        assertThat(balance(AccountRef.user(carla))).isEqualTo("500.00");
        assertThat(transfers(requested)).containsExactlyInAnyOrder(":hold", ":returned");
        assertThat(notices(requested, carla)).containsExactly("WITHDRAWAL_REQUESTED", "WITHDRAWAL_CANCELLED");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void refusesAnAnswerFromAnybodyOutsideFinanceWhicheverDoorItTakes() {
        WithdrawalView requested = request("50.00");
        ProcessInstance instance = instance(requested.ref());
        Task step = step(instance);
        Map<String, Object> paid = Map.of(WithdrawalProcess.VAR_PAYOUT_DECISION, WithdrawalProcess.PAID,
                WithdrawalProcess.VAR_BANK_REFERENCE, "FAKE-1");

        // the engine's authorizations: the step is finance's, the requester may not even see it
        assertThatThrownBy(() -> fixtures.as(carla, () -> taskService.complete(step.getId(), paid))).isInstanceOf(AuthorizationException.class);
        // the listener: even a person an operator let work on the step is refused when not in finance
        taskService.addCandidateUser(step.getId(), carla);
        assertThatThrownBy(() -> fixtures.as(carla, () -> taskService.complete(step.getId(), paid)))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(carla, () -> withdrawals.payOut(requested.ref(), "FAKE-2"))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(carla, () -> withdrawals.all(WithdrawalStatus.REQUESTED, 0, 10)))
                .isInstanceOf(ForbiddenException.class);

        assertThat(instance).isWaitingAt(WithdrawalProcess.TASK_PAY_OUT_WITHDRAWAL);
        WithdrawalView unchanged = fixtures.as(carla, () -> withdrawals.get(requested.ref()));
        assertThat(unchanged.status()).isEqualTo(WithdrawalStatus.REQUESTED);
        assertThat(unchanged.decision()).isNull();
        assertThat(balance(hold(requested))).isEqualTo("50.00");
    }

    @Test
    void aFinanceOperatorDoesNotDecideTheirOwnWithdrawal() {
        identityService.createMembership(fiona, Parties.CONTRACTORS_GROUP);
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.user(fiona), Money.of("90.00", "EUR"), "Fixture");
        long fionasIban = fixtures.as(fiona, () -> destinations.add(new PayoutDestinations.NewDestination("IBAN",
                "DE89 3704 0044 0532 0130 00", "Fiona Tester", null, null))).id();
        WithdrawalView own = fixtures.as(fiona, () -> withdrawals.request(new WithdrawalService.WithdrawalRequest("60.00", "EUR", fionasIban)));
        Task step = step(instance(own.ref()));

        assertThatThrownBy(() -> fixtures.as(fiona, () -> withdrawals.payOut(own.ref(), "SELF-1"))).isInstanceOf(ForbiddenException.class)
                .hasMessageContaining("their own withdrawal");
        assertThatThrownBy(() -> fixtures.as(fiona, () -> taskService.complete(step.getId(), Map.of(
                WithdrawalProcess.VAR_PAYOUT_DECISION, WithdrawalProcess.PAID, WithdrawalProcess.VAR_BANK_REFERENCE, "SELF-1"))))
                .isInstanceOf(ForbiddenException.class);
        assertThat(instance(own.ref())).isWaitingAt(WithdrawalProcess.TASK_PAY_OUT_WITHDRAWAL);

        String colleague = fixtures.finance("fred");
        fixtures.as(colleague, () -> withdrawals.payOut(own.ref(), "SEPA-7"));
        executeJobs(instance(own.ref()));
        assertThat(fixtures.as(fiona, () -> withdrawals.get(own.ref())).status()).isEqualTo(WithdrawalStatus.PAID_OUT);
        assertThat(balance(AccountRef.user(fiona))).isEqualTo("30.00");
    }

    @Test
    void refusesVariablesTheFinanceStepDoesNotTakeAndAnAnswerWithoutItsReference() {
        WithdrawalView requested = request("40.00");
        ProcessInstance instance = instance(requested.ref());
        Task step = step(instance);

        assertThatThrownBy(() -> fixtures.as(fiona, () -> taskService.complete(step.getId(), Map.of(
                WithdrawalProcess.VAR_PAYOUT_DECISION, WithdrawalProcess.PAID, WithdrawalProcess.VAR_BANK_REFERENCE, "B-1",
                WithdrawalProcess.VAR_AMOUNT, "1.00")))).isInstanceOf(InvalidInputException.class).hasMessageContaining("amount");
        assertThatThrownBy(() -> fixtures.as(fiona, () -> taskService.complete(step.getId(), Map.of(
                WithdrawalProcess.VAR_PAYOUT_DECISION, WithdrawalProcess.PAID))))
                .isInstanceOf(InvalidInputException.class).hasMessage(
                        "Invalid answer: bankReference: is required");
        assertThatThrownBy(() -> fixtures.as(fiona, () -> withdrawals.reject(requested.ref(), " ")))
                .isInstanceOf(InvalidInputException.class).hasMessage("Invalid answer: reason: is required");
        assertThatThrownBy(() -> fixtures.as(fiona, () -> taskService.complete(step.getId(), Map.of(
                WithdrawalProcess.VAR_PAYOUT_DECISION, "MAYBE")))).isInstanceOf(InvalidInputException.class);

        assertThat(instance).isWaitingAt(WithdrawalProcess.TASK_PAY_OUT_WITHDRAWAL);
        assertThat(fixtures.as(carla, () -> withdrawals.get(requested.ref())).decision()).isNull();
    }

    @Test
    void movesTheMoneyOnceWhenThePayOutStepFailsIsRetriedAndIsRunAgainByAnOperator() {
        WithdrawalView requested = request("75.25");
        ProcessInstance instance = instance(requested.ref());
        fixtures.as(fiona, () -> withdrawals.payOut(requested.ref(), "BANK-77"));
        Job payOut = managementService.createJobQuery().processInstanceId(instance.getId()).activityId(WithdrawalProcess.TASK_PAY_OUT)
                .singleResult();
        faults.failNext(FaultInjector.LEDGER_TRANSFER, 1);

        assertThatThrownBy(() -> managementService.executeJob(payOut.getId())).hasMessageContaining("injected fault");
        assertThat(balance(hold(requested))).isEqualTo("75.25");
        managementService.executeJob(payOut.getId());
        assertThat(instance).isWaitingAt(WithdrawalProcess.TASK_NOTIFY_PAID_OUT);
        // an operator runs the money step once more (Cockpit's modification): the transfer is found by its key
        runtimeService.createProcessInstanceModification(instance.getId()).startBeforeActivity(WithdrawalProcess.TASK_PAY_OUT).execute();
        executeJobs(instance);

        assertThat(instance).isEnded();
        assertThat(transfers(requested)).containsExactlyInAnyOrder(":hold", ":paid");
        assertThat(balance(hold(requested))).isEqualTo("0.00");
        assertThat(balance(AccountRef.user(carla))).isEqualTo("424.75");
        assertThat(notices(requested, carla)).containsExactly("WITHDRAWAL_REQUESTED", "WITHDRAWAL_PAID_OUT");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void endsInExactlyOneOutcomeWhenThePayOutRacesTheCancellation() throws Exception {
        for (int round = 0; round < 3; round++) {
            WithdrawalView requested = request("20.00");
            ProcessInstance instance = instance(requested.ref());
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?> pay = pool.submit(() -> {
                    go.await();
                    return fixtures.as(fiona, () -> withdrawals.payOut(requested.ref(), "RACE-" + requested.ref()));
                });
                Future<?> cancel = pool.submit(() -> {
                    go.await();
                    return fixtures.as(carla, () -> withdrawals.cancel(requested.ref()));
                });
                go.countDown();
                List<Throwable> refused = new ArrayList<>();
                for (Future<?> attempt : List.of(pay, cancel)) {
                    try {
                        attempt.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        refused.add(e.getCause());
                    }
                }
                assertThat(refused).hasSize(1);
                assertThat(refused.get(0)).isInstanceOf(ConflictException.class);
            } finally {
                pool.shutdownNow();
            }
            executeJobs(instance);

            assertThat(instance).isEnded();
            WithdrawalView done = fixtures.as(carla, () -> withdrawals.get(requested.ref()));
            assertThat(done.status()).isIn(WithdrawalStatus.PAID_OUT, WithdrawalStatus.CANCELLED);
            assertThat(transfers(requested)).hasSize(2).contains(":hold")
                    .contains(done.status() == WithdrawalStatus.PAID_OUT ? ":paid" : ":returned");
            assertThat(balance(hold(requested))).isEqualTo("0.00");
        }
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void refusesAnInsufficientBalanceAndAStartThroughTheEngineLeavingNothingBehind() {
        long instancesBefore = runtimeService.createProcessInstanceQuery().processDefinitionKey(WithdrawalProcess.KEY).count();

        assertThatThrownBy(() -> request("500.01")).isInstanceOf(UnprocessableException.class).hasMessageStartingWith("amount:");
        assertThatThrownBy(() -> runtimeService.startProcessInstanceByKey(WithdrawalProcess.KEY, Fixtures.unique("W-X")))
                .hasMessageContaining("no requested withdrawal");

        assertThat(fixtures.as(carla, () -> withdrawals.mine(null, 0, 10))).isEmpty();
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(WithdrawalProcess.KEY).count()).isEqualTo(instancesBefore);
        assertThat(balance(AccountRef.user(carla))).isEqualTo("500.00");
        assertThat(jdbc.sql("select count(*) from ledger_posting p join ledger_account a on a.id = p.account_id "
                + "where a.owner_type = 'USER' and a.owner_id = :u").param("u", carla).query(Long.class).single()).isOne();
    }

    private WithdrawalView request(String amount) {
        return fixtures.as(carla, () -> withdrawals.request(new WithdrawalService.WithdrawalRequest(amount, "EUR", iban)));
    }

    private ProcessInstance instance(String ref) {
        String id = jdbc.sql("select process_instance_id from withdrawal where ref = :ref").param("ref", ref).query(String.class).single();
        ProcessInstance running = runtimeService.createProcessInstanceQuery().processInstanceId(id).singleResult();
        return running != null ? running : Jobs.ended(id, WithdrawalProcess.KEY, ref);
    }

    private Task step(ProcessInstance instance) {
        return taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private static AccountRef hold(WithdrawalView withdrawal) {
        return AccountRef.withdrawal(withdrawal.ref());
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, EUR).toDecimalString();
    }

    private List<String> transfers(WithdrawalView withdrawal) {
        String prefix = "withdrawal:" + withdrawal.ref();
        return jdbc.sql("select idempotency_key from ledger_transfer where idempotency_key like :k").param("k", prefix + ":%")
                .query(String.class).list().stream().map(k -> k.substring(prefix.length())).toList();
    }

    private List<String> notices(WithdrawalView withdrawal, String user) {
        return jdbc.sql("select event from notification where recipient_id = :user and reference = :ref order by id")
                .param("user", user).param("ref", "withdrawal:" + withdrawal.ref()).query(String.class).list();
    }

    private void executeJobs(ProcessInstance instance) {
        Jobs.run(managementService, instance.getId());
    }
}
