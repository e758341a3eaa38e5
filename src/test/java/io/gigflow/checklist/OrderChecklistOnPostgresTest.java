package io.gigflow.checklist;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.PostgresDatabase;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The order-checklist paths on the production database: a reordered checklist, a new cycle, Todo and activities. */
@SpringBootTest(properties = {
        "camunda.bpm.admin-user.password=Postgres-Checklist-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "camunda.bpm.job-execution.enabled=false",
        "logging.level.root=warn"})
@ActiveProfiles("postgres")
@DirtiesContext
class OrderChecklistOnPostgresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    @Autowired IdentityService identityService;
    @Autowired ManagementService managementService;
    @Autowired AgencyServices services;
    @Autowired ChecklistOrderService orders;
    @Autowired ClientActivities activities;

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void runsAReorderedRecurringChecklistIntoItsNextCycleAndKeepsActivities() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("agency");
        String agency = company[0];
        String ann = company[1];
        String bob = fixtures.member(agency);
        String client = fixtures.client("cli");
        AgencyServices.ServiceView service = fixtures.as(ann, () -> services.create(agency, new AgencyServices.ServiceInput("Care", List.of(
                OrderChecklistProcessTest.task("Audit", List.of(ann), true, false, 1, "ORDER"),
                OrderChecklistProcessTest.task("Approve", List.of(), true, true, null, null),
                OrderChecklistProcessTest.task("Report", List.of(bob), true, false, null, null)), null)));
        OrderView order = fixtures.as(ann, () -> orders.place(service.ref(),
                new ChecklistOrderService.PlaceOrder(client, List.of(bob), "P1W", null, null)));
        long audit = order.items().get(0).id();
        long approve = order.items().get(1).id();
        long report = order.items().get(2).id();

        OrderView reordered = fixtures.as(bob, () -> orders.reorder(order.ref(), new ChecklistOrderService.Reorder(List.of(report, audit, approve))));
        assertThat(reordered.items().get(0).active()).isTrue();
        fixtures.as(bob, () -> orders.markDone(order.ref(), report));
        fixtures.as(ann, () -> orders.markDone(order.ref(), audit));
        fixtures.as(client, () -> orders.markDone(order.ref(), approve));
        assertThat(fixtures.as(ann, () -> orders.get(order.ref())).status()).isEqualTo(OrderStatus.COMPLETED);

        ClockUtil.setCurrentTime(java.util.Date.from(order.nextCycleAt().plusMinutes(1).toInstant()));
        managementService.executeJob(managementService.createJobQuery().timers().activityId(OrderChecklistProcess.TIMER_NEXT_CYCLE)
                .singleResult().getId());
        OrderView next = fixtures.as(ann, () -> orders.get(order.ref()));
        assertThat(next.status()).isEqualTo(OrderStatus.OPEN);
        assertThat(next.cycle()).isEqualTo(2);
        assertThat(next.items()).extracting(OrderView.ItemView::name).containsExactly("Report", "Audit", "Approve");
        assertThat(fixtures.as(ann, () -> orders.todo(null, null)).counts().open()).isEqualTo(3);

        fixtures.as(ann, () -> activities.add(client, new ClientActivities.NewActivity(null, "Call", null, bob)));
        assertThat(fixtures.as(bob, () -> activities.timeline(client)).upcoming()).hasSize(1);
        assertThat(fixtures.as(ann, () -> activities.timeline(client)).upcoming()).isEmpty();
    }
}
