package io.gigflow.payout;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A bulk send of a thousand drafts answers at once and is worked off in the background,
 * one task a transaction: the tasks the balance covers are sent, the rest stay drafts, and
 * nothing is rolled back for the others' sake.
 */
@SpringBootTest(properties = {"camunda.bpm.job-execution.enabled=false", "gigflow.task-payout.bulk-send-wait=PT0.1S"})
@ActiveProfiles("test")
class BulkSendTest {

    private static final int TASKS = 1000;

    @Autowired IdentityService identityService;
    @Autowired TaskPayoutService payouts;
    @Autowired BulkSendService bulkSends;
    @Autowired Ledger ledger;

    @Test
    void sendsAThousandTasksInTheBackgroundEachInItsOwnTransaction() throws InterruptedException {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("bulk");
        String staff = acme[1];
        String alice = fixtures.contractor("alice");
        ledger.transfer(Fixtures.unique("bulk-top-up"), AccountRef.external(), AccountRef.company(acme[0]),
                Money.of("990.00", "EUR"), "Top-up");
        List<String> refs = new ArrayList<>();
        fixtures.as(staff, () -> {
            for (int i = 0; i < TASKS; i++) {
                refs.add(payouts.create(acme[0], new TaskPayoutService.CreateTask(alice, "Item " + i, null, "1.00", "EUR", null, null)).ref());
            }
        });

        BulkSendService.BatchView submitted = fixtures.as(staff, () -> bulkSends.submit(acme[0], refs));

        assertThat(submitted.finished()).as("a thousand tasks are not sent within the request").isFalse();
        assertThat(submitted.total()).isEqualTo(TASKS);
        BulkSendService.BatchView batch = submitted;
        long deadline = System.currentTimeMillis() + 300_000;
        while (!batch.finished() && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            batch = fixtures.as(staff, () -> bulkSends.get(acme[0], submitted.id()));
        }
        assertThat(batch.finished()).isTrue();
        Map<SendOutcome.Result, Long> outcomes = batch.items().stream()
                .collect(Collectors.groupingBy(SendOutcome::result, Collectors.counting()));
        assertThat(outcomes).isEqualTo(Map.of(SendOutcome.Result.SENT, 990L, SendOutcome.Result.INSUFFICIENT_BALANCE, 10L));
        assertThat(batch.items().subList(990, TASKS)).allMatch(i -> i.result() == SendOutcome.Result.INSUFFICIENT_BALANCE);
        assertThat(ledger.balance(AccountRef.company(acme[0]), Currency.getInstance("EUR")).toDecimalString()).isEqualTo("0.00");
        assertThat(fixtures.as(staff, () -> payouts.companyTasks(acme[0], TaskStatus.DRAFT, 0, 100))).hasSize(10);
        assertThat(ledger.invariantViolations()).isEmpty();
    }
}
