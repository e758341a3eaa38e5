package io.gigflow.payout;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.document.DocumentService;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Date;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The engine's nightly history cleanup (application.yaml: removal-time based, a window of
 * 01:00 to 05:00) removes a paid task's process history once its time to live (P365D after its
 * end) is over, and only that: the task's row, its ledger entries, its documents and its
 * notifications stay.
 */
@SpringBootTest(properties = {
        "camunda.bpm.job-execution.enabled=false",
        // the test profile turns the cleanup off for every other test
        "camunda.bpm.generic-properties.properties.historyCleanupEnabled=true"})
@ActiveProfiles("test")
class HistoryCleanupTest {

    @Autowired ProcessEngine processEngine;
    @Autowired IdentityService identityService;
    @Autowired ManagementService managementService;
    @Autowired HistoryService historyService;
    @Autowired TaskPayoutService payouts;
    @Autowired Ledger ledger;
    @Autowired DocumentService documents;
    @Autowired JdbcClient jdbc;

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void theCleanupRemovesAPaidTasksHistoryAfterItsTimeToLiveAndKeepsItsMoneyDocumentsAndRow() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration();
        assertThat(configuration.getHistoryCleanupStrategy()).isEqualTo("removalTimeBased");
        assertThat(configuration.getHistoryCleanupBatchWindowStartTime()).isEqualTo("01:00");
        assertThat(configuration.getHistoryCleanupBatchWindowEndTime()).isEqualTo("05:00");

        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String staff = acme[1];
        String alice = fixtures.contractor("alice");
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.company(acme[0]), Money.of("100.00", "EUR"), "Top-up");
        TaskView task = fixtures.as(staff, () -> payouts.create(acme[0], new TaskPayoutService.CreateTask(alice, "Logo", null, "60.00", "EUR", null, null)));
        fixtures.as(staff, () -> payouts.send(task.ref()));
        fixtures.as(alice, () -> payouts.accept(task.ref()));
        Jobs.runAll(managementService);
        HistoricProcessInstance ended = historic(task.ref());
        assertThat(ended.getEndTime()).isNotNull();
        assertThat(ended.getRemovalTime()).isEqualTo(Date.from(ended.getEndTime().toInstant().plus(Duration.ofDays(365))));
        long variables = historyService.createHistoricVariableInstanceQuery().processInstanceId(ended.getId()).count();
        assertThat(variables).isPositive();
        int notifications = notificationsOf(alice);
        assertThat(notifications).isPositive();

        // a day before its time to live is over the cleanup leaves it
        cleanUpAt(ended.getEndTime().toInstant().plus(Duration.ofDays(364)));
        assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(ended.getId()).count()).isEqualTo(1);

        // a day after, it is gone with its variables, activities and tasks
        cleanUpAt(ended.getEndTime().toInstant().plus(Duration.ofDays(366)));
        assertThat(historyService.createHistoricProcessInstanceQuery().processInstanceId(ended.getId()).count()).isZero();
        assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(ended.getId()).count()).isZero();
        assertThat(historyService.createHistoricActivityInstanceQuery().processInstanceId(ended.getId()).count()).isZero();
        assertThat(historyService.createHistoricTaskInstanceQuery().processInstanceId(ended.getId()).count()).isZero();

        // gigflow's own records stay: the row, the money, the documents, the notifications
        assertThat(jdbc.sql("select status from payout_task where ref = :ref").param("ref", task.ref()).query(String.class).single())
                .isEqualTo(TaskStatus.PAID.name());
        Currency eur = Currency.getInstance("EUR");
        assertThat(ledger.balance(AccountRef.user(alice), eur).toDecimalString()).isEqualTo("60.00");
        assertThat(ledger.balance(AccountRef.company(acme[0]), eur).toDecimalString()).isEqualTo("40.00");
        assertThat(ledger.entries(AccountRef.user(alice), eur, 10)).hasSize(1);
        assertThat(ledger.invariantViolations()).isEmpty();
        assertThat(documents.forReference("task-payout:" + task.ref())).hasSize(2);
        assertThat(notificationsOf(alice)).isEqualTo(notifications);
    }

    /** Runs the history cleanup job now, as the nightly window would, with the engine's clock at {@code at}. */
    private void cleanUpAt(Instant at) {
        ClockUtil.setCurrentTime(Date.from(at));
        Job cleanup = historyService.cleanUpHistoryAsync(true);
        managementService.executeJob(cleanup.getId());
    }

    private HistoricProcessInstance historic(String ref) {
        return historyService.createHistoricProcessInstanceQuery().processDefinitionKey(TaskPayoutProcess.KEY)
                .processInstanceBusinessKey(ref).singleResult();
    }

    private int notificationsOf(String user) {
        return jdbc.sql("select count(*) from notification where recipient_id = :user").param("user", user).query(Integer.class).single();
    }
}
