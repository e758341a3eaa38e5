package io.gigflow.payout;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.Transactions;
import io.gigflow.support.Fixtures;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A bulk send of a thousand drafts answers at once and is worked off in the background,
 * one task a transaction: the tasks the balance covers are sent, the rest stay drafts, and
 * nothing is rolled back for the others' sake.
 */
@SpringBootTest(properties = {"camunda.bpm.job-execution.enabled=false", "gigflow.task-payout.bulk-send-wait=PT0.1S",
        "gigflow.task-payout.bulk-send-sweep=PT1S"})
@ActiveProfiles("test")
class BulkSendTest {

    private static final int TASKS = 1000;

    @Autowired IdentityService identityService;
    @Autowired TaskPayoutService payouts;
    @Autowired BulkSendService bulkSends;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;
    @Autowired JdbcTemplate jdbcTemplate;
    @Autowired Parties parties;
    @Autowired CurrentUser currentUser;
    @Autowired PayoutSettings settings;
    @Autowired TimeSource time;
    @Autowired PlatformTransactionManager transactionManager;
    @Autowired Transactions transactions;

    @Test
    void sendsAThousandTasksInTheBackgroundEachInItsOwnTransaction() throws InterruptedException {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("bulk");
        String staff = acme[1];
        List<String> refs = draftTasks(fixtures, acme, "990.00", TASKS, "Item");

        BulkSendService.BatchView submitted = fixtures.as(staff, () -> bulkSends.submit(acme[0], refs));

        assertThat(submitted.finished()).as("a thousand tasks are not sent within the request").isFalse();
        assertThat(submitted.total()).isEqualTo(TASKS);
        BulkSendService.BatchView batch = awaitFinished(fixtures, acme, submitted.id(), 300_000);
        assertThat(batch.finished()).isTrue();
        Map<SendOutcome.Result, Long> outcomes = batch.items().stream()
                .collect(Collectors.groupingBy(SendOutcome::result, Collectors.counting()));
        assertThat(outcomes).isEqualTo(Map.of(SendOutcome.Result.SENT, 990L, SendOutcome.Result.INSUFFICIENT_BALANCE, 10L));
        assertThat(batch.items().subList(990, TASKS)).allMatch(i -> i.result() == SendOutcome.Result.INSUFFICIENT_BALANCE);
        assertThat(ledger.balance(AccountRef.company(acme[0]), Currency.getInstance("EUR")).toDecimalString()).isEqualTo("0.00");
        assertThat(fixtures.as(staff, () -> payouts.companyTasks(acme[0], TaskStatus.DRAFT, 0, 100))).hasSize(10);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    /**
     * In a cluster every node's sweep resumes the unfinished batches it does not work off, also
     * one that another node is working off: here two workers (the application's and a second one, as another
     * node has) resume the same batch at the same moment.
     */
    @Test
    void twoNodesWorkingOffTheSameBatchSendEachTaskOnceAndReportItSent() throws InterruptedException {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("bulkcluster");
        String staff = acme[1];
        List<String> refs = draftTasks(fixtures, acme, "200.00", 200, "Item");
        long batchId = leftBehind(acme[0], staff, refs);
        BulkSendService otherNode = new BulkSendService(jdbc, payouts, parties, currentUser, identityService, settings, time, jdbcTemplate,
                transactionManager, transactions);
        try {
            Thread first = new Thread(bulkSends::resumeUnfinished);
            Thread second = new Thread(otherNode::resumeUnfinished);
            first.start();
            second.start();
            first.join();
            second.join();
            BulkSendService.BatchView batch = awaitFinished(fixtures, acme, batchId, 120_000);
            assertThat(batch.finished()).isTrue();
            assertThat(batch.items()).extracting(SendOutcome::result).containsOnly(SendOutcome.Result.SENT).hasSize(200);
            assertThat(fixtures.as(staff, () -> payouts.companyTasks(acme[0], TaskStatus.AWAITING_CONTRACTOR, 0, 500))).hasSize(200);
            assertThat(ledger.balance(AccountRef.company(acme[0]), Currency.getInstance("EUR")).toDecimalString()).isEqualTo("0.00");
            assertThat(ledger.invariantViolations()).isEmpty();
        } finally {
            otherNode.stop();
        }
    }

    /**
     * A batch whose node crashed while working it off (or before it began) is finished by the
     * other nodes' sweep, without any node restarting.
     */
    @Test
    void aBatchLeftBehindByACrashedNodeIsFinishedByTheSweep() throws InterruptedException {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("bulksweep");
        String staff = acme[1];
        List<String> refs = draftTasks(fixtures, acme, "5.00", 5, "Swept");
        long batchId = leftBehind(acme[0], staff, refs);

        BulkSendService.BatchView batch = awaitFinished(fixtures, acme, batchId, 60_000);
        assertThat(batch.finished()).as("the sweep finished the batch").isTrue();
        assertThat(batch.items()).extracting(SendOutcome::result).containsOnly(SendOutcome.Result.SENT).hasSize(5);
        assertThat(ledger.balance(AccountRef.company(acme[0]), Currency.getInstance("EUR")).toDecimalString()).isEqualTo("0.00");
    }

    /** Tops the company ({@code [id, staff]}) up with {@code balance} EUR and drafts {@code count} tasks of 1.00 EUR for alice. */
    private List<String> draftTasks(Fixtures fixtures, String[] company, String balance, int count, String title) {
        String alice = fixtures.contractor("alice");
        ledger.transfer(Fixtures.unique("bulk-top-up"), AccountRef.external(), AccountRef.company(company[0]),
                Money.of(balance, "EUR"), "Top-up");
        List<String> refs = new ArrayList<>();
        fixtures.as(company[1], () -> {
            for (int i = 0; i < count; i++) {
                refs.add(payouts.create(company[0], new TaskPayoutService.CreateTask(alice, title + " " + i, null, "1.00", "EUR", null, null)).ref());
            }
        });
        return refs;
    }

    /** The batch once it is finished, or as it stands after {@code timeoutMillis}. */
    private BulkSendService.BatchView awaitFinished(Fixtures fixtures, String[] company, long batchId, long timeoutMillis)
            throws InterruptedException {
        BulkSendService.BatchView batch = fixtures.as(company[1], () -> bulkSends.get(company[0], batchId));
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!batch.finished() && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            batch = fixtures.as(company[1], () -> bulkSends.get(company[0], batchId));
        }
        return batch;
    }

    /**
     * A batch stored by a node that stopped before working it off: stored in one transaction, as
     * the application stores it, since a sweep that saw the batch before its items would work off
     * (and finish) only the items it saw.
     */
    private long leftBehind(String companyId, String staff, List<String> refs) {
        return new TransactionTemplate(transactionManager).execute(status -> storeLeftBehind(companyId, staff, refs));
    }

    private long storeLeftBehind(String companyId, String staff, List<String> refs) {
        GeneratedKeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into payout_send_batch (company_id, requested_by, created_at) values (:c, :u, :now)")
                .param("c", companyId).param("u", staff).param("now", OffsetDateTime.now()).update(keys, "id");
        long batchId = keys.getKeyAs(Number.class).longValue();
        for (int i = 0; i < refs.size(); i++) {
            jdbc.sql("insert into payout_send_item (batch_id, position, task_ref, outcome) values (:b, :p, :r, 'PENDING')")
                    .param("b", batchId).param("p", i).param("r", refs.get(i)).update();
        }
        return batchId;
    }
}
