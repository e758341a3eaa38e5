package io.gigflow;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WorkCounts;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The work one task-payout lifecycle does (create, send, accept, payout, two PDFs, in-app
 * notifications and their emails to a real SMTP server), counted the way PayoutBenchmark counts
 * it: SQL statements by owner, rows written, engine commands, process variables and history
 * events. These counts do not depend on the machine, so they can be held to a ceiling: a change
 * that makes a lifecycle do more work fails here, and the ceilings are lowered as work is removed
 * (docs/benchmarks.md has the figures and what each change removed).
 *
 * <p>Lifecycles run one after another, each to its end, so nothing overlaps; the outbox is not
 * polled (only the commits that write an email wake it), so its sends are all that is counted of it.
 */
@SpringBootTest(classes = {GigflowApplication.class, WorkCounts.Install.class}, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "gigflow.mail.outbox.poll-interval=PT1H")
@ActiveProfiles("test")
class WorkCountsTest {

    private static final int LIFECYCLES = 5;

    /** Per lifecycle, at most (the figures reached, rounded up a little: kicks of the outbox may coalesce). */
    private static final Map<String, Double> CEILINGS = new LinkedHashMap<>();

    static {
        // the contractor's step is offered to the contractor too (HumanSteps.assignAndOffer): +3 engine statements,
        // +4 rows, +1 history event, for "All my tasks" read through an index
        CEILINGS.put("sql", 260.0);
        CEILINGS.put("sql.engine", 175.0);
        CEILINGS.put("sql.domain", 86.0);
        CEILINGS.put("rows", 160.0);
        CEILINGS.put("commands", 28.0);
        CEILINGS.put("variables.written", 5.0);
        CEILINGS.put("history.events", 42.0);
        // the engine's authorization reads: none of the whole table (PersonsGroupsAsTheyAre)
        CEILINGS.put("select.ACT_RU_AUTHORIZATION", 9.0);
    }

    @RegisterExtension
    static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
    }

    @LocalServerPort int port;
    @Autowired IdentityService identityService;
    @Autowired JdbcClient jdbc;
    @Autowired WorkCounts work;

    @Test
    void aTaskPayoutLifecycleDoesNoMoreWorkThanItDidWhenLastMeasured() throws Exception {
        Fixtures fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("counted");
        String contractor = fixtures.contractor("counted");
        Http http = new Http(port);
        new Funding(http, fixtures).company(company[1], company[0], "1000.00", "EUR");
        Http.await("the top-up's emails sent", () -> jdbc.sql("select count(*) from notification where email_status = 'PENDING'")
                .query(Long.class).single() == 0);
        int emailsBefore = smtp.getReceivedMessages().length;
        // the first lifecycle opens the contractor's and the escrow's accounts and warms the caches: not counted
        lifecycle(http, company, contractor);

        WorkCounts.Snapshot before = work.snapshot();
        for (int i = 0; i < LIFECYCLES; i++) {
            lifecycle(http, company, contractor);
        }
        WorkCounts.Snapshot counted = work.snapshot().minus(before);

        StringBuilder figures = new StringBuilder("work a task-payout lifecycle:");
        CEILINGS.keySet().forEach(name -> figures.append(String.format(Locale.ROOT, " %s=%.1f", name, counted.per(name, LIFECYCLES))));
        System.out.println(figures);
        assertThat(counted.per("sql", LIFECYCLES)).as("statements are counted at all").isPositive();
        assertThat(counted.per("history.events", LIFECYCLES)).as("history events are counted at all").isPositive();
        CEILINGS.forEach((name, ceiling) -> assertThat(counted.per(name, LIFECYCLES)).as("%s a lifecycle (%s)", name, figures)
                .isLessThanOrEqualTo(ceiling));
        // every lifecycle sends its three emails (the warm-up one too)
        assertThat(smtp.getReceivedMessages()).hasSize(emailsBefore + 3 * (LIFECYCLES + 1));
    }

    /** create, send, accept; then waits until it is PAID, both PDFs exist and no email is due. */
    private void lifecycle(Http http, String[] company, String contractor) throws Exception {
        String ref = http.post(company[1], "/api/companies/" + company[0] + "/tasks",
                json(Map.of("contractorId", contractor, "title", "Counted task", "amount", "10.00", "currency", "EUR"))).json().get("ref").asText();
        assertThat(http.post(company[1], "/api/tasks/" + ref + "/send", null).status()).isEqualTo(200);
        assertThat(http.post(contractor, "/api/tasks/" + ref + "/accept", null).status()).isEqualTo(202);
        Http.await("task " + ref + " paid, its documents made and its emails sent", () -> {
            try {
                return WorkCounts.uncounted(() -> "PAID".equals(jdbc.sql("select status from payout_task where ref = :r").param("r", ref)
                        .query(String.class).single())
                        && jdbc.sql("select count(*) from document where reference = :r").param("r", "task-payout:" + ref)
                                .query(Long.class).single() == 2
                        && jdbc.sql("select count(*) from notification where email_status = 'PENDING'").query(Long.class).single() == 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
