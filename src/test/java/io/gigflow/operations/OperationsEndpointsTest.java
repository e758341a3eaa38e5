package io.gigflow.operations;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.GigflowApplication;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What an operator sees of a node, on the default profile with its demo data (an in-memory
 * database): the readiness probe answers 503 while the server already answers requests and the
 * demo data is still being made, 200 once it is all there; the health probes are open without
 * details; Prometheus and the other endpoints answer operators only; and after a task-payout run
 * the Prometheus text carries the engine's, the ledger's, the outbox's and the sign-ins' figures.
 * The application is started by the test itself (not by Spring's test support), so the test can
 * watch it while it starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsEndpointsTest {

    private record Answer(int status, String body) {
    }

    private record Observation(int readiness, boolean demoDataComplete) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicReference<ConfigurableApplicationContext> context = new AtomicReference<>();
    private final List<Observation> duringStart = new ArrayList<>();
    private int port;
    private CompletableFuture<ConfigurableApplicationContext> started;
    private Http http;
    private Fixtures fixtures;
    private String operator;
    private String contractor;

    @BeforeAll
    void startTheDefaultProfileWithDemoDataAndWatchItsReadiness() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        SpringApplication application = new SpringApplication(GigflowApplication.class);
        application.addInitializers(context::set);
        String[] arguments = {"--spring.profiles.active=test", "--server.port=" + port, "--gigflow.demo.enabled=true",
                "--camunda.bpm.job-execution.enabled=true", "--gigflow.operations.metrics-cache-ttl=PT0.5S",
                "--gigflow.operations.invariants-cache-ttl=PT0.5S"};
        started = CompletableFuture.supplyAsync(() -> application.run(arguments));
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        while (System.nanoTime() < deadline && !started.isCompletedExceptionally()) {
            Answer readiness = tryGet(null, "/actuator/health/readiness");
            if (readiness != null) {
                // asked after the answer: the demo data only grows, so "not complete" now was "not complete" then
                duringStart.add(new Observation(readiness.status(), demoDataComplete()));
                if (readiness.status() == 200) {
                    break;
                }
            }
            Thread.sleep(50);
        }
        started.get();
        http = new Http(port);
        fixtures = new Fixtures(context.get().getBean(IdentityService.class));
        operator = fixtures.person(Fixtures.unique("operator"), Groups.CAMUNDA_ADMIN);
        contractor = fixtures.contractor("olga");
    }

    @AfterAll
    void stop() {
        ConfigurableApplicationContext running = context.get();
        if (running != null) {
            running.close();
        }
    }

    @Test
    @Order(1)
    void readinessIsOutOfServiceWhileTheServerAnswersBeforeTheDemoDataExistsAndUpOnceItDoes() {
        assertThat(duringStart).as("the readiness probe answered while the application started").isNotEmpty();
        assertThat(duringStart.get(duringStart.size() - 1).readiness()).as("ready in the end").isEqualTo(200);
        assertThat(duringStart).as("ready only with every demo item made")
                .allSatisfy(seen -> assertThat(seen.readiness() != 200 || seen.demoDataComplete()).isTrue());
        assertThat(duringStart).as("the server answered, and said not ready, while the demo data was being made")
                .anyMatch(seen -> seen.readiness() == 503 && !seen.demoDataComplete());

        JsonNode readiness = parse(get(operator, "/actuator/health/readiness"));
        assertThat(readiness.get("status").asText()).isEqualTo("UP");
        assertThat(readiness.get("components").fieldNames()).toIterable()
                .containsExactlyInAnyOrder("readinessState", "db", "engine", "demoData");
        assertThat(readiness.at("/components/engine/details/jobExecutor").asText()).isEqualTo("active");
        assertThat(readiness.at("/components/demoData/details/demoData").asText()).isEqualTo("ready");
    }

    @Test
    @Order(2)
    void theHealthProbesAreOpenToEverybodyWithDetailsForOperatorsOnly() {
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness")) {
            Answer anonymous = tryGet(null, path);
            assertThat(anonymous.status()).as(path).isEqualTo(200);
            assertThat(parse(anonymous.body()).get("status").asText()).as(path).isEqualTo("UP");
            assertThat(parse(anonymous.body()).has("components")).as(path + " shows no components").isFalse();
            assertThat(anonymous.body()).as(path).doesNotContain("details");
            Answer party = tryGet(contractor, path);
            assertThat(party.status()).as(path).isEqualTo(200);
            assertThat(party.body()).as(path).doesNotContain("components");
        }
        assertThat(parse(get(operator, "/actuator/health")).get("components").has("db")).isTrue();
    }

    @Test
    @Order(3)
    void prometheusAndTheOtherEndpointsAnswerOperatorsOnly() {
        for (String path : List.of("/actuator/prometheus", "/actuator/metrics", "/actuator/metrics/jvm.memory.used", "/actuator/info",
                "/actuator")) {
            assertThat(tryGet(null, path).status()).as("anonymous " + path).isEqualTo(401);
            assertThat(tryGet(contractor, path).status()).as("a contractor " + path).isEqualTo(403);
            assertThat(tryGet(operator, path).status()).as("an operator " + path).isEqualTo(200);
        }
        // endpoints that could show secrets or change the node are not there at all
        for (String path : List.of("/actuator/env", "/actuator/heapdump", "/actuator/loggers", "/actuator/shutdown")) {
            assertThat(tryGet(operator, path).status()).as("an operator " + path).isEqualTo(404);
        }
        assertThat(tryGet(null, "/actuator/prometheus").body()).doesNotContain("gigflow_");
    }

    @Test
    @Order(4)
    void afterATaskPayoutRunPrometheusShowsTheEngineTheLedgerTheOutboxAndFailedSignIns() throws Exception {
        ConfigurableApplicationContext app = context.get();
        Ledger ledger = app.getBean(Ledger.class);
        String[] company = fixtures.company("opsco");
        ledger.transfer("ops-test:" + company[0], AccountRef.external(), AccountRef.company(company[0]), Money.of("1000.00", "EUR"),
                "Top-up for the operations test");

        // one task paid, one sent and waiting for the contractor (its amount stays in escrow)
        String paid = task(company, "Paid task", "100.00");
        assertThat(http.post(company[1], "/api/tasks/" + paid + "/send", null).status()).isEqualTo(200);
        assertThat(http.post(contractor, "/api/tasks/" + paid + "/accept", null).status()).isEqualTo(202);
        String waiting = task(company, "Waiting task", "30.00");
        assertThat(http.post(company[1], "/api/tasks/" + waiting + "/send", null).status()).isEqualTo(200);
        await(paid + " is paid", () -> "PAID".equals(http.get(company[1], "/api/tasks/" + paid).json().get("status").asText()));
        await(waiting + " waits for the contractor", () -> "AWAITING_CONTRACTOR".equals(
                http.get(company[1], "/api/tasks/" + waiting).json().get("status").asText()));
        // a wrong password
        assertThat(tryGet(contractor + "x", "/api/notifications").status()).isEqualTo(401);

        // the demo data's own steps may still move money meanwhile: wait until a scrape shows the escrow the ledger holds
        JdbcClient jdbc = app.getBean(JdbcClient.class);
        AtomicReference<Map<String, Double>> scraped = new AtomicReference<>();
        AtomicReference<Double> escrowInLedger = new AtomicReference<>();
        await("the metrics show the run", () -> {
            double before = escrowOf(jdbc);
            Map<String, Double> now = prometheus();
            double after = escrowOf(jdbc);
            scraped.set(now);
            escrowInLedger.set(after);
            return before == after && now.getOrDefault("gigflow_ledger_balance{account=\"escrow\",application=\"gigflow\",currency=\"EUR\"}",
                    Double.NaN) == after;
        });
        Map<String, Double> metrics = scraped.get();
        String app0 = "application=\"gigflow\"";
        assertThat(metrics.get("gigflow_jobs_acquired_total{" + app0 + "}")).isPositive();
        assertThat(metrics.get("gigflow_jobs_acquisition_attempts_total{" + app0 + "}")).isPositive();
        assertThat(metrics.get("gigflow_jobs_executed_total{" + app0 + "}")).isPositive();
        assertThat(metrics.get("gigflow_jobs_failed_total{" + app0 + "}")).isNotNegative();
        assertThat(metrics.get("gigflow_jobs_due{" + app0 + "}")).isNotNegative();
        assertThat(metrics.get("gigflow_jobs_oldest_due_age_seconds{" + app0 + "}")).isNotNegative();
        assertThat(metrics.get("gigflow_process_instances{" + app0 + ",process=\"task-payout\"}"))
                .as("the waiting task and the demo's open tasks").isGreaterThanOrEqualTo(1.0);
        assertThat(metrics).containsKeys("gigflow_process_instances{" + app0 + ",process=\"service-order\"}",
                "gigflow_process_instances{" + app0 + ",process=\"field-assignment\"}");
        assertThat(metrics.get("gigflow_incidents{" + app0 + ",process=\"task-payout\"}")).isZero();
        double escrow = escrowInLedger.get();
        assertThat(metrics.get("gigflow_ledger_balance{account=\"escrow\"," + app0 + ",currency=\"EUR\"}"))
                .as("the escrow of every open task, the waiting one's 30.00 included").isEqualTo(escrow).isGreaterThanOrEqualTo(30.0);
        assertThat(metrics.get("gigflow_ledger_balance{account=\"external\"," + app0 + ",currency=\"EUR\"}"))
                .as("money that came in").isLessThanOrEqualTo(-1000.0);
        assertThat(metrics.get("gigflow_ledger_balance{account=\"users\"," + app0 + ",currency=\"EUR\"}")).isGreaterThanOrEqualTo(100.0);
        assertThat(metrics.get("gigflow_ledger_invariant_violations{" + app0 + "}")).isZero();
        // no SMTP server here: the emails stay in the outbox, none waits to be sent
        assertThat(metrics.get("gigflow_outbox_depth{" + app0 + "}")).isZero();
        assertThat(metrics.get("gigflow_outbox_oldest_age_seconds{" + app0 + "}")).isZero();
        assertThat(metrics.get("gigflow_login_failures_total{" + app0 + "}")).isGreaterThanOrEqualTo(1.0);
        assertThat(metrics).containsKey("gigflow_login_refused_total{" + app0 + "}");
        assertThat(metrics.keySet()).as("latency histograms of the domain API")
                .anyMatch(name -> name.startsWith("http_server_requests_seconds_bucket{") && name.contains("uri=\"/api/"));
        // Spring Security observes nothing of its own (SecurityConfiguration): no timers of its filter chains or decisions
        assertThat(metrics.keySet()).noneMatch(name -> name.startsWith("spring_security_"));
    }

    private static double escrowOf(JdbcClient jdbc) {
        return jdbc.sql("""
                select coalesce(sum(p.amount), 0) from ledger_posting p join ledger_account a on a.id = p.account_id
                where a.owner_type = 'ESCROW' and a.currency = 'EUR'""").query(java.math.BigDecimal.class).single().doubleValue();
    }

    private String task(String[] company, String title, String amount) {
        Http.Response created = http.post(company[1], "/api/companies/" + company[0] + "/tasks",
                json(Map.of("contractorId", contractor, "title", title, "amount", amount, "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("ref").asText();
    }

    /** The operator's Prometheus text as {@code name{labels}} to value. */
    private Map<String, Double> prometheus() {
        Map<String, Double> values = new HashMap<>();
        Matcher line = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)").matcher(get(operator, "/actuator/prometheus"));
        while (line.find()) {
            values.put(line.group(1), Double.parseDouble(line.group(2)));
        }
        return values;
    }

    /** The last item of the demo data, made at its end: the cancelled field assignment. */
    private boolean demoDataComplete() {
        ConfigurableApplicationContext running = context.get();
        if (running == null || !running.isActive()) {
            return false;
        }
        return running.getBean(JdbcClient.class).sql("select count(*) from field_assignment where status = 'CANCELLED'")
                .query(Long.class).single() > 0;
    }

    private String get(String user, String path) {
        Answer answer = tryGet(user, path);
        assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(200);
        return answer.body();
    }

    /** GET as the user (the fixtures' password; null: no credentials); null while the server does not answer yet. */
    private Answer tryGet(String user, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + Fixtures.PASSWORD)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (java.net.ConnectException notYet) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
