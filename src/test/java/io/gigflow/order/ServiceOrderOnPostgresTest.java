package io.gigflow.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import io.gigflow.support.PostgresDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The service-order paths on the production database. */
@SpringBootTest(properties = {
        "camunda.bpm.admin-user.password=Postgres-Order-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "camunda.bpm.job-execution.enabled=false",
        "logging.level.root=warn"})
@ActiveProfiles("postgres")
@DirtiesContext
class ServiceOrderOnPostgresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    @Autowired IdentityService identityService;
    @Autowired ManagementService managementService;
    @Autowired ServiceCatalog catalog;
    @Autowired ServiceOrderService orders;
    @Autowired Ledger ledger;

    @Test
    void completesOneOrderAndCancelsAnotherThatWasNeverStarted() {
        Fixtures fixtures = new Fixtures(identityService);
        String provider = fixtures.provider("pia");
        String customer = fixtures.customer("carl");
        ServiceCatalog.Offering service = fixtures.as(provider, () -> catalog.publish(new ServiceCatalog.NewOffering("Audit", null,
                "80.00", "EUR", 2, List.of(new ServiceCatalog.NewOption("Report", "15.50", 1)))));
        ledger.transfer("pg-fund", AccountRef.external(), AccountRef.user(customer), Money.of("200.00", "EUR"), "Top-up");

        OrderView done = fixtures.as(customer, () -> orders.place(service.ref(),
                new ServiceOrderService.PlaceOrder(List.of(service.options().get(0).id()), null)));
        fixtures.as(provider, () -> orders.startWork(done.ref()));
        OrderView paused = fixtures.as(customer, () -> orders.requestExtra(done.ref(), new ServiceOrderService.ExtraRequest("More", 1, "4.50")));
        fixtures.as(provider, () -> orders.answerRequest(done.ref(), paused.requests().get(0).id(), true, null));
        fixtures.as(provider, () -> orders.deliver(done.ref(), new ServiceOrderService.Delivery("Report attached", null)));
        fixtures.as(customer, () -> orders.confirm(done.ref()));
        OrderView unstarted = fixtures.as(customer, () -> orders.place(service.ref(), new ServiceOrderService.PlaceOrder(null, null)));
        ClockUtil.setCurrentTime(Date.from(Instant.now().plus(Duration.ofHours(25))));
        try {
            managementService.executeJob(managementService.createJobQuery().timers().activityId(ServiceOrderProcess.TIMER_START_DEADLINE)
                    .singleResult().getId());
            Jobs.runAll(managementService);
        } finally {
            ClockUtil.reset();
        }

        Currency eur = Currency.getInstance("EUR");
        assertThat(fixtures.as(customer, () -> orders.get(done.ref())).status()).isEqualTo(OrderStatus.DONE);
        assertThat(fixtures.as(customer, () -> orders.get(unstarted.ref())).status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(ledger.balance(AccountRef.user(provider), eur).toDecimalString()).isEqualTo("100.00");
        assertThat(ledger.balance(AccountRef.user(customer), eur).toDecimalString()).isEqualTo("100.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

}
