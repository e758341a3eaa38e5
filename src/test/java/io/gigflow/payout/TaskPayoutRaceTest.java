package io.gigflow.payout;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/** Two people acting on one task at the same moment end in exactly one outcome, and the loser is told (409). */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class TaskPayoutRaceTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired IdentityService identityService;
    @Autowired ManagementService managementService;
    @Autowired TaskPayoutService payouts;
    @Autowired BulkSendService bulkSends;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

    @Test
    void theContractorAcceptingWhileTheCompanyCancelsEndsOneWayOnly() throws Exception {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        ledger.transfer(Fixtures.unique("race"), AccountRef.external(), AccountRef.company(acme[0]), Money.of("100.00", "EUR"), "Top-up");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int paid = 0;
        int cancelled = 0;
        try {
            for (int round = 0; round < 8; round++) {
                String title = "Raced " + round;
                String ref = fixtures.as(acme[1], () -> payouts.create(acme[0],
                        new TaskPayoutService.CreateTask(alice, title, null, "5.00", "EUR", null, null))).ref();
                fixtures.as(acme[1], () -> payouts.send(ref));
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> accept = pool.submit(() -> attempt(go, () -> fixtures.as(alice, () -> payouts.accept(ref))));
                Future<Boolean> cancel = pool.submit(() -> attempt(go, () -> fixtures.as(acme[1], () -> payouts.cancel(ref))));
                go.countDown();
                boolean accepted = accept.get();
                boolean wasCancelled = cancel.get();
                runJobs();

                assertThat(accepted ^ wasCancelled).as("exactly one of accept and cancel wins").isTrue();
                TaskStatus status = TaskStatus.valueOf(jdbc.sql("select status from payout_task where ref = :ref").param("ref", ref)
                        .query(String.class).single());
                assertThat(status).isEqualTo(accepted ? TaskStatus.PAID : TaskStatus.DECLINED_BY_COMPANY);
                assertThat(transfers(ref)).isEqualTo(2);
                paid += accepted ? 1 : 0;
                cancelled += wasCancelled ? 1 : 0;
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ledger.balance(AccountRef.user(alice), EUR).toDecimalString()).isEqualTo(Money.of(String.valueOf(paid * 5), "EUR").toDecimalString());
        assertThat(ledger.balance(AccountRef.company(acme[0]), EUR).toDecimalString())
                .isEqualTo(Money.of(String.valueOf(100 - paid * 5), "EUR").toDecimalString());
        assertThat(paid + cancelled).isEqualTo(8);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void twoBulkSendsOfTheSameTasksSendEachTaskOnce() throws Exception {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        ledger.transfer(Fixtures.unique("race"), AccountRef.external(), AccountRef.company(acme[0]), Money.of("1000.00", "EUR"), "Top-up");
        List<String> refs = new ArrayList<>();
        fixtures.as(acme[1], () -> {
            for (int i = 0; i < 20; i++) {
                String title = "Twice " + i;
                refs.add(payouts.create(acme[0], new TaskPayoutService.CreateTask(alice, title, null, "10.00", "EUR", null, null)).ref());
            }
        });
        String colleague = fixtures.member(acme[0]);

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<BulkSendService.BatchView> batches = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<BulkSendService.BatchView> first = pool.submit(() -> { go.await(); return fixtures.as(acme[1], () -> bulkSends.submit(acme[0], refs)); });
            Future<BulkSendService.BatchView> second = pool.submit(() -> { go.await(); return fixtures.as(colleague, () -> bulkSends.submit(acme[0], refs)); });
            go.countDown();
            batches.add(first.get());
            batches.add(second.get());
        } finally {
            pool.shutdownNow();
        }
        List<BulkSendService.BatchView> done = new ArrayList<>();
        for (BulkSendService.BatchView batch : batches) {
            BulkSendService.BatchView view = batch;
            long deadline = System.currentTimeMillis() + 60_000;
            while (!view.finished() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                view = fixtures.as(acme[1], () -> bulkSends.get(acme[0], batch.id()));
            }
            done.add(view);
        }

        for (String ref : refs) {
            long sent = done.stream().flatMap(b -> b.items().stream())
                    .filter(i -> i.ref().equals(ref) && i.result() == SendOutcome.Result.SENT).count();
            assertThat(sent).as(ref + " sent by exactly one batch").isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from ledger_transfer where idempotency_key = :k")
                    .param("k", "task-payout:" + ref + ":reserve").query(Long.class).single()).isEqualTo(1);
        }
        assertThat(done.stream().flatMap(b -> b.items().stream()).filter(i -> i.result() != SendOutcome.Result.SENT))
                .allMatch(i -> i.result() == SendOutcome.Result.NOT_A_DRAFT || i.result() == SendOutcome.Result.CONFLICT);
        assertThat(ledger.balance(AccountRef.company(acme[0]), EUR).toDecimalString()).isEqualTo("800.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    private static boolean attempt(CountDownLatch go, Runnable action) throws InterruptedException {
        go.await();
        try {
            action.run();
            return true;
        } catch (ConflictException | OptimisticLockingException lost) {
            return false;
        }
    }

    private long transfers(String ref) {
        return jdbc.sql("select count(*) from ledger_transfer where idempotency_key like :k")
                .param("k", "task-payout:" + ref + ":%").query(Long.class).single();
    }

    private void runJobs() {
        for (int round = 0; round < 20; round++) {
            List<Job> jobs = managementService.createJobQuery().executable().messages().list();
            if (jobs.isEmpty()) {
                return;
            }
            jobs.forEach(job -> {
                try {
                    managementService.executeJob(job.getId());
                } catch (RuntimeException e) {
                    // jobs of other tests' instances (e.g. email steps) are not this test's business
                }
            });
        }
    }
}
