package io.gigflow.payout;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.document.DocumentService;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import io.gigflow.support.PostgresDatabase;
import java.util.Currency;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The task-payout paths on the production database: row locks, sequences, identity
 * columns and the engine's transaction on PostgreSQL rather than H2.
 */
@SpringBootTest(properties = {
        "camunda.bpm.admin-user.password=Postgres-Payout-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "camunda.bpm.job-execution.enabled=false",
        "logging.level.root=warn"})
@ActiveProfiles("postgres")
@DirtiesContext
class TaskPayoutOnPostgresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    @Autowired IdentityService identityService;
    @Autowired ManagementService managementService;
    @Autowired TaskPayoutService payouts;
    @Autowired Ledger ledger;
    @Autowired DocumentService documents;

    @Test
    void paysRefundsAndRefusesExactlyAsOnH2() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String staff = acme[1];
        String alice = fixtures.contractor("alice");
        ledger.transfer("pg-top-up", AccountRef.external(), AccountRef.company(acme[0]), Money.of("100.00", "EUR"), "Top-up");

        TaskView paid = fixtures.as(staff, () -> payouts.create(acme[0], new TaskPayoutService.CreateTask(alice, "Paid", null, "60.00", "EUR", null, null)));
        TaskView declined = fixtures.as(staff, () -> payouts.create(acme[0], new TaskPayoutService.CreateTask(alice, "Declined", null, "30.00", "EUR", null, null)));
        TaskView refused = fixtures.as(staff, () -> payouts.create(acme[0], new TaskPayoutService.CreateTask(alice, "Refused", null, "30.00", "EUR", null, null)));
        assertThat(fixtures.as(staff, () -> payouts.send(paid.ref())).result()).isEqualTo(SendOutcome.Result.SENT);
        assertThat(fixtures.as(staff, () -> payouts.send(declined.ref())).result()).isEqualTo(SendOutcome.Result.SENT);
        assertThat(fixtures.as(staff, () -> payouts.send(refused.ref())).result()).isEqualTo(SendOutcome.Result.INSUFFICIENT_BALANCE);

        fixtures.as(alice, () -> payouts.accept(paid.ref()));
        fixtures.as(alice, () -> payouts.decline(declined.ref(), "No"));
        Jobs.runAll(managementService);

        Currency eur = Currency.getInstance("EUR");
        assertThat(fixtures.as(staff, () -> payouts.get(paid.ref())).status()).isEqualTo(TaskStatus.PAID);
        assertThat(fixtures.as(staff, () -> payouts.get(declined.ref())).status()).isEqualTo(TaskStatus.DECLINED_BY_CONTRACTOR);
        assertThat(fixtures.as(staff, () -> payouts.get(refused.ref())).status()).isEqualTo(TaskStatus.DRAFT);
        assertThat(ledger.balance(AccountRef.company(acme[0]), eur).toDecimalString()).isEqualTo("40.00");
        assertThat(ledger.balance(AccountRef.user(alice), eur).toDecimalString()).isEqualTo("60.00");
        assertThat(documents.forReference("task-payout:" + paid.ref())).hasSize(2);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

}
