package io.gigflow.cluster;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.PostgresDatabase;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two application nodes (separate JVMs, separate ports) on one PostgreSQL database, both with
 * job executors. Clients drive a few thousand lifecycles through both nodes' APIs: task payouts
 * (accepted, declined, cancelled) and service orders (most left to miss their start deadline,
 * some started, delivered and confirmed). Half-way through, node A gets SIGKILL while requests
 * and jobs are in flight; its clients carry on against node B the way a platform would (read
 * the state first, do only what has not happened). Node B finishes everything, including the
 * jobs node A had locked, once their locks expire. Then, read from the shared database and the
 * SMTP server: every lifecycle ended once in its expected state, every payout, release and
 * refund was posted once, each currency's postings sum to zero and no owner balance is
 * negative, every email arrived exactly once, and nothing is left running or in an incident.
 *
 * <p>{@code -Dgigflow.cluster.lifecycles=2000} sets the number of lifecycles (default 2000).
 * Needs PostgreSQL at 127.0.0.1:5432; skipped without it unless -Dgigflow.requirePostgres=true.
 */
class ClusterTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    static final String ADMIN = "clusteradmin";
    /**
     * Node B takes over node A's locked jobs only once their locks expire: 30 seconds instead of
     * the production 2 minutes keeps the wait short, and is still far longer than any step runs
     * here (a step that outlives its lock may run a second time on another node).
     */
    static final int LOCK_TIME_MILLIS = 30_000;
    static final int CLIENTS = 6;
    static final Duration FINISH_TIMEOUT = Duration.ofMinutes(10);

    static GreenMail smtp;
    static ClusterNode nodeA;
    static ClusterNode nodeB;

    enum Kind { PAYOUT_ACCEPT, PAYOUT_DECLINE, PAYOUT_CANCEL, ORDER_EXPIRE, ORDER_CONFIRM }

    record Lifecycle(int index, Kind kind, String ref) {
    }

    private final Map<String, String> expectedStatus = new ConcurrentHashMap<>();
    private final Map<String, Lifecycle> lifecycles = new ConcurrentHashMap<>();
    private final AtomicInteger failovers = new AtomicInteger();
    private final AtomicInteger answeredByA = new AtomicInteger();
    private final AtomicInteger answeredByB = new AtomicInteger();
    private final ClientErrors errors = new ClientErrors();
    private final Set<String> emailsBeforeKill = ConcurrentHashMap.newKeySet();

    private Http httpA;
    private Http httpB;
    private volatile boolean aDead;
    private JdbcClient db;

    // parties
    private final List<String[]> companies = new ArrayList<>(); // {companyId, member}
    private final List<String> contractors = new ArrayList<>();
    private final List<String[]> services = new ArrayList<>(); // {serviceRef, provider}
    private final List<String> customers = new ArrayList<>();

    @AfterAll
    static void stopEverything() throws InterruptedException {
        if (nodeA != null) {
            nodeA.stop();
        }
        if (nodeB != null) {
            nodeB.stop();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void everyLifecycleEndsOnceWhenOneOfTwoNodesIsKilledMidway() throws Exception {
        int total = Integer.getInteger("gigflow.cluster.lifecycles", 2000);
        long started = System.nanoTime();
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(POSTGRES.jdbcUrl(), POSTGRES.username(), POSTGRES.password());
        db = JdbcClient.create(dataSource);
        nodeA = new ClusterNode("node-a", nodeArguments("node-a"));
        nodeB = new ClusterNode("node-b", nodeArguments("node-b"));
        try {
            // one after the other: node A creates the schemas, deploys the models and runs the start-up tasks
            nodeA.start();
            nodeA.awaitReady(Duration.ofMinutes(4));
            phase(started, "node A up (pid " + nodeA.pid() + ", port " + nodeA.port + ")");
            nodeB.start();
            nodeB.awaitReady(Duration.ofMinutes(4));
            phase(started, "node B up (pid " + nodeB.pid() + ", port " + nodeB.port + ")");
            httpA = new Http(nodeA.port);
            httpB = new Http(nodeB.port);

            createParties();
            phase(started, "parties created");

            List<Lifecycle> plan = plan(total);
            Map<String, Object> takeover = drive(plan, started);
            phase(started, "all " + plan.size() + " lifecycles driven; " + failovers.get() + " client calls redone on node B");
            assertThat(errors.items).as("client errors").isEmpty();

            awaitAllEnded(started);
            phase(started, "everything ended");

            checkLifecycles();
            checkLedger();
            checkEmails();
            checkNothingLeft();
            @SuppressWarnings("unchecked")
            Set<String> takenOver = (Set<String>) takeover.get("jobs");
            checkTakeover(takenOver);
            phase(started, String.format(Locale.ROOT,
                    "checked: %d lifecycles, %d HTTP answers from A and %d from B, %d calls redone on B, %d jobs of A taken over by B, %d emails",
                    plan.size(), answeredByA.get(), answeredByB.get(), failovers.get(), takenOver.size(), smtp.getReceivedMessages().length));
        } catch (Throwable failure) {
            System.err.println("Cluster test failed: " + failure);
            System.err.println(nodeA.tail(60));
            System.err.println(nodeB.tail(60));
            throw failure;
        }
    }

    private List<String> nodeArguments(String name) {
        return List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + POSTGRES.jdbcUrl(),
                "--spring.datasource.username=" + POSTGRES.username(),
                "--spring.datasource.password=" + POSTGRES.password(),
                "--spring.datasource.hikari.maximum-pool-size=12",
                "--camunda.bpm.admin-user.id=" + ADMIN,
                // orders whose start deadline of 15 to 45 seconds the job executors end
                "--gigflow.service-order.min-start-deadline=PT1S",
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + smtp.getSmtp().getPort(),
                // the test serves plain HTTP
                "--server.servlet.session.cookie.secure=false",
                "--camunda.bpm.job-execution.lock-time-in-millis=" + LOCK_TIME_MILLIS,
                // the node's name in the job log (ACT_HI_JOB_LOG.HOSTNAME_): who ran which job
                "--camunda.bpm.generic-properties.properties.hostname=" + name,
                "--logging.level.root=warn",
                "--logging.level.io.gigflow=info",
                "--logging.level.org.springframework.boot.web.embedded.tomcat=info");
    }

    // ---------------------------------------------------------------- parties

    private void createParties() {
        // money enters as it does for real: registered, confirmed by finance, credited by either node's job executor
        String finance = user("clusterfinance", "finance");
        Funding fundingA = new Funding(httpA, finance);
        Funding fundingB = new Funding(httpB, finance);
        for (int i = 0; i < 3; i++) {
            String company = "clustercompany" + i;
            admin("/engine-rest/group/create", Map.of("id", company, "name", "Cluster company " + i, "type", "COMPANY"));
            String member = user("clusterstaff" + i, company);
            companies.add(new String[] {company, member});
            fundingA.company(member, company, "10000000.00", "EUR");
            fundingA.company(member, company, "1000000000", "JPY");
        }
        for (int i = 0; i < 6; i++) {
            contractors.add(user("clustercontractor" + i, "contractors"));
        }
        for (int i = 0; i < 3; i++) {
            String provider = user("clusterprovider" + i, "providers");
            JsonNode service = created(httpB.post(provider, "/api/me/services", json(Map.of("title", "Cluster service " + i,
                    "basePrice", "25.00", "currency", "EUR", "deliveryDays", 3)))).json();
            services.add(new String[] {service.get("ref").asText(), provider});
        }
        for (int i = 0; i < 6; i++) {
            String customer = user("clustercustomer" + i, "customers");
            fundingB.customer(customer, "1000000.00", "EUR");
            customers.add(customer);
        }
    }

    private String user(String id, String group) {
        admin("/engine-rest/user/create", Map.of(
                "profile", Map.of("id", id, "firstName", id.substring(0, 1).toUpperCase(Locale.ROOT) + id.substring(1), "lastName",
                        "Tester", "email", id + "@example.test"),
                "credentials", Map.of("password", Fixtures.PASSWORD)));
        Http.Response membership = httpA.put(ADMIN, "/engine-rest/group/" + group + "/members/" + id, null);
        assertThat(membership.status()).as("membership of %s in %s: %s", id, group, membership.text()).isEqualTo(204);
        return id;
    }

    private void admin(String path, Object body) {
        Http.Response response = httpA.post(ADMIN, path, json(body));
        assertThat(response.status()).as("%s: %s", path, response.text()).isIn(200, 204);
    }

    private static Http.Response created(Http.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response;
    }

    // ---------------------------------------------------------------- the plan and the drive

    private List<Lifecycle> plan(int total) {
        List<Lifecycle> plan = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            // of every ten: four accepted, one declined, one cancelled payout; three expiring orders, one confirmed
            Kind kind = switch (i % 10) {
                case 0, 3, 6, 8 -> Kind.PAYOUT_ACCEPT;
                case 1 -> Kind.PAYOUT_DECLINE;
                case 4 -> Kind.PAYOUT_CANCEL;
                case 2, 5, 9 -> Kind.ORDER_EXPIRE;
                default -> Kind.ORDER_CONFIRM;
            };
            String ref = (kind.name().startsWith("PAYOUT") ? "CT-" : "CO-") + i;
            Lifecycle lifecycle = new Lifecycle(i, kind, ref);
            plan.add(lifecycle);
            lifecycles.put(ref, lifecycle);
        }
        Collections.shuffle(plan, new Random(42));
        return plan;
    }

    /**
     * Runs the plan on {@value #CLIENTS} client threads, each lifecycle on node A or B by its
     * index; when half are done, node A is killed. Returns the jobs node A held locked then.
     */
    private Map<String, Object> drive(List<Lifecycle> plan, long started) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger done = new AtomicInteger();
        Map<String, Object> takeover = new ConcurrentHashMap<>();
        takeover.put("jobs", Set.of());
        int killAt = plan.size() / 2;
        List<Future<?>> runs = new ArrayList<>();
        for (Lifecycle lifecycle : plan) {
            runs.add(clients.submit(() -> {
                try {
                    run(lifecycle);
                } catch (Throwable e) {
                    errors.add(lifecycle.ref() + " (" + lifecycle.kind() + "): " + e);
                }
                if (done.incrementAndGet() == killAt) {
                    try {
                        takeover.put("jobs", killNodeA(started));
                    } catch (Exception e) {
                        errors.add("killing node A: " + e);
                    }
                }
            }));
        }
        for (Future<?> run : runs) {
            run.get(20, TimeUnit.MINUTES);
        }
        clients.shutdown();
        return takeover;
    }

    /**
     * SIGKILL for node A, and the jobs it held then: those locked at the kill whose lock owner
     * made no progress afterwards (node B's own locks turn over within seconds; A's stay until
     * they expire, then B takes the jobs).
     */
    private Set<String> killNodeA(long started) throws InterruptedException {
        aDead = true;
        nodeA.kill();
        Instant killedAt = Instant.now();
        Thread.sleep(1000); // the SMTP server finishes storing what node A's last connections handed over
        for (MimeMessage message : smtp.getReceivedMessages()) {
            emailsBeforeKill.add(dedupKey(message));
        }
        Map<String, String> lockedAtKill = new HashMap<>();
        db.sql("select id_, lock_owner_ from act_ru_job where lock_owner_ is not null and lock_exp_time_ > current_timestamp")
                .query((rs, n) -> lockedAtKill.put(rs.getString(1), rs.getString(2))).list();
        phase(started, "node A killed (SIGKILL) with " + lockedAtKill.size() + " jobs locked in the cluster");
        Thread.sleep(Math.min(10_000, LOCK_TIME_MILLIS / 3));
        // lock owners that locked a job after the kill are alive: node B's
        Set<String> liveOwners = new HashSet<>(db.sql(
                        "select distinct lock_owner_ from act_ru_job where lock_owner_ is not null and lock_exp_time_ > :after")
                .param("after", Timestamp.from(killedAt.plusMillis(LOCK_TIME_MILLIS))).query(String.class).list());
        Map<String, String> stillLocked = new HashMap<>();
        db.sql("select id_, lock_owner_ from act_ru_job where lock_owner_ is not null")
                .query((rs, n) -> stillLocked.put(rs.getString(1), rs.getString(2))).list();
        Set<String> ofA = lockedAtKill.entrySet().stream()
                .filter(e -> e.getValue().equals(stillLocked.get(e.getKey())) && !liveOwners.contains(e.getValue()))
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        phase(started, ofA.size() + " jobs still locked by dead node A, to be taken over by node B after the lock time");
        return ofA;
    }

    private void run(Lifecycle l) {
        boolean onA = l.index() % 2 == 0;
        switch (l.kind()) {
            case PAYOUT_ACCEPT, PAYOUT_DECLINE, PAYOUT_CANCEL -> payout(l, onA);
            case ORDER_EXPIRE -> expiringOrder(l, onA);
            case ORDER_CONFIRM -> confirmedOrder(l, onA);
        }
    }

    private void payout(Lifecycle l, boolean onA) {
        String[] company = companies.get(l.index() % companies.size());
        String member = company[1];
        String contractor = contractors.get(l.index() % contractors.size());
        boolean yen = l.index() % 3 == 0;
        String amount = yen ? String.valueOf(1000 + l.index()) : (10 + l.index() % 90) + "." + String.format(Locale.ROOT, "%02d", l.index() % 100);
        String path = "/api/tasks/" + l.ref();
        Function<Http, Http.Response> read = http -> http.get(member, path);
        step(l, onA, "create", http -> http.post(member, "/api/companies/" + company[0] + "/tasks", json(Map.of(
                        "contractorId", contractor, "title", "Cluster task " + l.index(), "amount", amount,
                        "currency", yen ? "JPY" : "EUR", "reference", l.ref()))),
                read, task -> task != null);
        step(l, onA, "send", http -> http.post(member, path + "/send", null), read,
                task -> task != null && !"DRAFT".equals(task.get("status").asText()));
        switch (l.kind()) {
            case PAYOUT_ACCEPT -> {
                step(l, onA, "accept", http -> http.post(contractor, path + "/accept", null), read, task -> task.hasNonNull("decision"));
                expectedStatus.put(l.ref(), "PAID");
            }
            case PAYOUT_DECLINE -> {
                step(l, onA, "decline", http -> http.post(contractor, path + "/decline", json(Map.of("reason", "busy"))), read,
                        task -> task.hasNonNull("decision"));
                expectedStatus.put(l.ref(), "DECLINED_BY_CONTRACTOR");
            }
            default -> {
                // the status changes only when the refund step has run; the history shows the cancellation at once
                step(l, onA, "cancel", http -> http.post(member, path + "/cancel", null), http -> http.get(member, path + "/history"),
                        history -> history.findValuesAsText("event").contains("CANCELLED"));
                expectedStatus.put(l.ref(), "DECLINED_BY_COMPANY");
            }
        }
    }

    /** Placed through /engine-rest with a start deadline of 15 to 45 seconds: the job executors cancel and refund it. */
    private void expiringOrder(Lifecycle l, boolean onA) {
        String[] service = services.get(l.index() % services.size());
        String customer = customers.get(l.index() % customers.size());
        String deadline = "PT" + (15 + l.index() % 31) + "S";
        step(l, onA, "place", http -> http.post(customer, "/engine-rest/process-definition/key/service-order/start", json(Map.of(
                        "businessKey", l.ref(),
                        "variables", Map.of(
                                "customerId", Map.of("value", customer, "type", "String"),
                                "serviceRef", Map.of("value", service[0], "type", "String"),
                                "startDeadline", Map.of("value", deadline, "type", "String"))))),
                http -> http.get(customer, "/api/orders/" + l.ref()), order -> order != null);
        expectedStatus.put(l.ref(), "CANCELLED");
    }

    /** Placed through the domain API, started, delivered and confirmed: the escrow goes to the provider. */
    private void confirmedOrder(Lifecycle l, boolean onA) {
        String[] service = services.get(l.index() % services.size());
        String provider = service[1];
        String customer = customers.get(l.index() % customers.size());
        String path = "/api/orders/" + l.ref();
        Function<Http, Http.Response> read = http -> http.get(customer, path);
        step(l, onA, "place", http -> http.post(customer, "/api/services/" + service[0] + "/orders", json(Map.of("reference", l.ref()))),
                read, order -> order != null);
        step(l, onA, "start", http -> http.post(provider, path + "/start", null), read, order -> happened(order, "STARTED"));
        step(l, onA, "deliver", http -> http.post(provider, path + "/deliver", json(Map.of("message", "Here it is"))), read,
                order -> happened(order, "DELIVERED"));
        // the status becomes DONE when the release step has run; the history shows the confirmation at once
        step(l, onA, "confirm", http -> http.post(customer, path + "/confirm", null), read, order -> happened(order, "CONFIRMED"));
        expectedStatus.put(l.ref(), "DONE");
    }

    /**
     * One client call, as a platform makes it against a cluster: on the lifecycle's node while
     * it lives; when the call is lost with the node (no answer), the state is read on node B and
     * the call made there only if it had not taken effect. A refusal on the retry (409, or 400
     * for a reference that exists) is fine when the state shows the call took effect after all.
     */
    private void step(Lifecycle l, boolean onA, String what, Function<Http, Http.Response> call, Function<Http, Http.Response> read,
            java.util.function.Predicate<JsonNode> tookEffect) {
        if (!onA) {
            Http.Response response = call.apply(httpB);
            answeredByB.incrementAndGet();
            expectSuccess(l, what, response);
            return;
        }
        if (!aDead) {
            try {
                Http.Response response = call.apply(httpA);
                answeredByA.incrementAndGet();
                expectSuccess(l, what, response);
                return;
            } catch (UncheckedIOException lostWithNode) {
                failovers.incrementAndGet();
            }
        }
        // node A is gone (this call was lost with it, or an earlier one): did the call take effect before it died?
        if (tookEffect.test(state(read.apply(httpB)))) {
            return;
        }
        Http.Response response = call.apply(httpB);
        answeredByB.incrementAndGet();
        if (response.status() / 100 == 2) {
            return;
        }
        JsonNode after = state(read.apply(httpB));
        if (!tookEffect.test(after)) {
            throw new AssertionError(what + " of " + l.ref() + " redone on node B answered " + response.status() + " " + response.text()
                    + " and did not take effect: " + after);
        }
    }

    private static boolean happened(JsonNode order, String event) {
        return order.get("history").findValuesAsText("event").contains(event);
    }

    private static JsonNode state(Http.Response read) {
        if (read.status() == 404) {
            return null;
        }
        assertThat(read.status()).as(read.text()).isEqualTo(200);
        return read.json();
    }

    private static void expectSuccess(Lifecycle l, String what, Http.Response response) {
        if (response.status() / 100 != 2) {
            throw new AssertionError(what + " of " + l.ref() + " answered " + response.status() + " " + response.text());
        }
    }

    // ---------------------------------------------------------------- waiting and checking

    private void awaitAllEnded(long started) throws InterruptedException {
        long deadline = System.nanoTime() + FINISH_TIMEOUT.toNanos();
        long lastReport = 0;
        while (System.nanoTime() < deadline) {
            long running = db.sql("select count(*) from act_ru_execution").query(Long.class).single();
            long jobs = db.sql("select count(*) from act_ru_job").query(Long.class).single();
            if (running == 0 && jobs == 0) {
                return;
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
                lastReport = System.nanoTime();
                phase(started, "waiting: " + running + " executions, " + jobs + " jobs left");
            }
            Thread.sleep(500);
        }
    }

    private void checkLifecycles() {
        Map<String, String> tasks = new HashMap<>();
        db.sql("select ref, status from payout_task").query((rs, n) -> tasks.put(rs.getString(1), rs.getString(2))).list();
        Map<String, String> orders = new HashMap<>();
        db.sql("select ref, status from service_order").query((rs, n) -> orders.put(rs.getString(1), rs.getString(2))).list();
        Map<String, String> actual = new TreeMap<>(tasks);
        actual.putAll(orders);
        assertThat(tasks.size() + orders.size()).as("one row per lifecycle, none extra").isEqualTo(lifecycles.size());
        assertThat(actual).as("every lifecycle in its end state").isEqualTo(new TreeMap<>(expectedStatus));

        // the engine's history: one instance per business key, ended, through exactly one end event
        Map<String, Long> instances = new HashMap<>();
        db.sql("""
                        select business_key_, count(*) from act_hi_procinst
                        where proc_def_key_ in ('task-payout', 'service-order') and state_ = 'COMPLETED' and end_time_ is not null
                        group by business_key_""")
                .query((rs, n) -> instances.put(rs.getString(1), rs.getLong(2))).list();
        assertThat(instances).as("one completed instance per lifecycle").hasSize(lifecycles.size()).allSatisfy((key, count) -> {
            assertThat(lifecycles).containsKey(key);
            assertThat(count).as(key).isEqualTo(1L);
        });
        assertThat(db.sql("select count(*) from act_hi_procinst where proc_def_key_ in ('task-payout', 'service-order')")
                .query(Long.class).single()).as("instances of the lifecycles").isEqualTo((long) lifecycles.size());
        Map<String, String> ends = new HashMap<>();
        List<String> multipleEnds = new ArrayList<>();
        db.sql("""
                        select p.business_key_, a.act_id_ from act_hi_actinst a join act_hi_procinst p on p.id_ = a.proc_inst_id_
                        where p.proc_def_key_ in ('task-payout', 'service-order') and a.act_type_ = 'noneEndEvent'""")
                .query((rs, n) -> {
                    if (ends.put(rs.getString(1), rs.getString(2)) != null) {
                        multipleEnds.add(rs.getString(1));
                    }
                    return null;
                }).list();
        assertThat(multipleEnds).as("lifecycles that passed more than one end event").isEmpty();
        Map<String, String> expectedEnds = new TreeMap<>();
        lifecycles.values().forEach(l -> expectedEnds.put(l.ref(), switch (l.kind()) {
            case PAYOUT_ACCEPT -> "End_TaskPaid";
            case PAYOUT_DECLINE -> "End_TaskDeclined";
            case PAYOUT_CANCEL -> "End_TaskCancelledByCompany";
            case ORDER_EXPIRE -> "End_OrderCancelledNotStarted";
            case ORDER_CONFIRM -> "End_OrderDone";
        }));
        assertThat(new TreeMap<>(ends)).as("the end event of every lifecycle").isEqualTo(expectedEnds);
    }

    private void checkLedger() {
        Set<String> keys = new HashSet<>();
        Map<String, Long> keyCounts = new HashMap<>();
        db.sql("select idempotency_key, count(*) from ledger_transfer group by idempotency_key")
                .query((rs, n) -> keyCounts.put(rs.getString(1), rs.getLong(2))).list();
        assertThat(keyCounts).as("transfers per idempotency key").allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1L));
        keys.addAll(keyCounts.keySet());
        List<String> wrong = new ArrayList<>();
        for (Lifecycle l : lifecycles.values()) {
            String prefix = (l.kind().name().startsWith("PAYOUT") ? "task-payout:" : "service-order:") + l.ref() + ":";
            Map<String, Boolean> expected = new LinkedHashMap<>();
            switch (l.kind()) {
                case PAYOUT_ACCEPT -> {
                    expected.put("reserve", true);
                    expected.put("payout", true);
                    expected.put("refund", false);
                }
                case PAYOUT_DECLINE, PAYOUT_CANCEL -> {
                    expected.put("reserve", true);
                    expected.put("payout", false);
                    expected.put("refund", true);
                }
                case ORDER_EXPIRE -> {
                    expected.put("payment", true);
                    expected.put("release", false);
                    expected.put("refund", true);
                }
                case ORDER_CONFIRM -> {
                    expected.put("payment", true);
                    expected.put("release", true);
                    expected.put("refund", false);
                }
            }
            expected.forEach((suffix, present) -> {
                if (keys.contains(prefix + suffix) != present) {
                    wrong.add(prefix + suffix + (present ? " missing" : " posted although it must not be"));
                }
            });
        }
        assertThat(wrong).as("payouts, releases and refunds").isEmpty();

        assertThat(db.sql("select currency, sum(amount) from ledger_posting join ledger_account a on a.id = account_id group by currency")
                .query((rs, n) -> rs.getString(1) + " " + rs.getBigDecimal(2).stripTrailingZeros().toPlainString()).list())
                .as("postings per currency sum to zero").allMatch(line -> line.endsWith(" 0"));
        assertThat(db.sql("""
                        select a.owner_type || ':' || a.owner_id || ' ' || a.currency || ' ' || sum(p.amount)
                        from ledger_posting p join ledger_account a on a.id = p.account_id
                        where a.owner_type <> 'EXTERNAL' group by a.owner_type, a.owner_id, a.currency having sum(p.amount) < 0""")
                .query(String.class).list()).as("negative owner balances").isEmpty();
        assertThat(db.sql("""
                        select count(*) from ledger_posting p join ledger_account a on a.id = p.account_id
                        where a.owner_type <> 'EXTERNAL' and p.balance_after < 0""").query(Long.class).single())
                .as("postings that took an owner below zero").isZero();
        assertThat(db.sql("""
                        select a.owner_id || ' ' || sum(p.amount) from ledger_posting p join ledger_account a on a.id = p.account_id
                        where a.owner_type = 'ESCROW' group by a.owner_id, a.currency having sum(p.amount) <> 0""")
                .query(String.class).list()).as("escrows not emptied").isEmpty();

        // what each side holds adds up to the lifecycles' outcomes
        Map<String, BigDecimal> paidToContractors = db.sql("""
                        select t.currency, sum(t.amount) from payout_task t where t.status = 'PAID' group by t.currency""")
                .query((rs, n) -> Map.entry(rs.getString(1).trim(), rs.getBigDecimal(2)))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        Map<String, BigDecimal> contractorBalances = db.sql("""
                        select a.currency, sum(p.amount) from ledger_posting p join ledger_account a on a.id = p.account_id
                        where a.owner_type = 'USER' and a.owner_id like 'clustercontractor%' group by a.currency""")
                .query((rs, n) -> Map.entry(rs.getString(1).trim(), rs.getBigDecimal(2)))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(contractorBalances.keySet()).isEqualTo(paidToContractors.keySet());
        contractorBalances.forEach((currency, balance) ->
                assertThat(balance).as("contractors' %s", currency).isEqualByComparingTo(paidToContractors.get(currency)));
        long done = expectedStatus.values().stream().filter("DONE"::equals).count();
        BigDecimal released = db.sql("""
                        select coalesce(sum(p.amount), 0) from ledger_posting p join ledger_account a on a.id = p.account_id
                        where a.owner_type = 'USER' and a.owner_id like 'clusterprovider%'""").query(BigDecimal.class).single();
        assertThat(released).as("providers' balances: 25.00 per confirmed order").isEqualByComparingTo(new BigDecimal("25.00").multiply(BigDecimal.valueOf(done)));
    }

    /**
     * Every notification's email arrived, and exactly once, except where node A died between
     * the SMTP server taking an email and recording that it went out: sending is at-least-once
     * (no protocol closes that gap with SMTP), so node B sent it again. Such a copy must be
     * recognisable (the same Message-ID), its first copy must have arrived before the kill, and
     * there can be no more of them than node A had job threads (6).
     */
    private void checkEmails() throws MessagingException {
        Map<String, List<String>> received = new HashMap<>();
        for (MimeMessage message : smtp.getReceivedMessages()) {
            received.computeIfAbsent(dedupKey(message), key -> new ArrayList<>()).add(message.getMessageID());
        }
        Map<String, List<String>> twice = received.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        System.out.println("[cluster] emails sent again after the kill (same Message-ID): " + twice);
        assertThat(twice).as("emails that arrived more than once").allSatisfy((key, ids) -> {
            assertThat(ids).as("copies of %s", key).hasSize(2);
            assertThat(ids.get(0)).as("Message-ID of both copies of %s", key).isNotNull().isEqualTo(ids.get(1));
            assertThat(emailsBeforeKill).as("first copy of %s arrived before node A was killed", key).contains(key);
        });
        assertThat(twice.size()).as("emails sent twice: at most one per job thread of the killed node").isLessThanOrEqualTo(6);
        Map<String, Long> statuses = new TreeMap<>();
        db.sql("select email_status, count(*) from notification group by email_status")
                .query((rs, n) -> statuses.put(rs.getString(1), rs.getLong(2))).list();
        assertThat(statuses).as("every notification's email sent").containsOnlyKeys("SENT");
        Set<String> sent = Set.copyOf(db.sql("select dedup_key from notification").query(String.class).list());
        assertThat(received.keySet()).as("emails received = notifications").isEqualTo(sent);
        // each lifecycle told its parties: at least the contractor's TASK_RECEIVED or the provider's order notice
        assertThat(sent.size()).as("notifications").isGreaterThanOrEqualTo(2 * lifecycles.size());
    }

    private void checkNothingLeft() {
        assertThat(db.sql("select count(*) from act_ru_execution").query(Long.class).single()).as("running executions").isZero();
        assertThat(db.sql("select incident_type_ || ' ' || coalesce(incident_msg_, '') from act_ru_incident").query(String.class).list())
                .as("incidents").isEmpty();
        assertThat(db.sql("select count(*) from act_ru_job").query(Long.class).single()).as("jobs left").isZero();
        assertThat(db.sql("select count(*) from act_hi_incident").query(Long.class).single()).as("incidents ever raised").isZero();
        assertThat(db.sql("select count(*) from act_hi_procinst where end_time_ is null or state_ <> 'COMPLETED'").query(Long.class).single())
                .as("process instances not completed (notification emails included)").isZero();
    }

    /** Node A's locked jobs were done by node B (the job log names the node that ran a job). */
    private void checkTakeover(Set<String> jobsOfA) {
        if (jobsOfA.isEmpty()) {
            System.out.println("[cluster] node A held no locked jobs when it was killed");
            return;
        }
        List<String> notDoneByB = new ArrayList<>();
        for (String job : jobsOfA) {
            long byB = db.sql("select count(*) from act_hi_job_log where job_id_ = :job and hostname_ = 'node-b' and job_state_ = 2")
                    .param("job", job).query(Long.class).single();
            long deleted = db.sql("select count(*) from act_hi_job_log where job_id_ = :job and job_state_ = 3")
                    .param("job", job).query(Long.class).single();
            if (byB == 0 && deleted == 0) {
                notDoneByB.add(job);
            }
        }
        assertThat(notDoneByB).as("jobs node A had locked that node B did not complete").isEmpty();
    }

    private static String dedupKey(MimeMessage message) {
        try {
            String[] header = message.getHeader("X-Gigflow-Notification");
            assertThat(header).as("dedup header of an email").isNotNull().hasSize(1);
            return header[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void phase(long started, String what) {
        System.out.printf(Locale.ROOT, "[cluster] %6.1f s  %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    /** Errors from client threads, reported together. */
    static final class ClientErrors {
        final ConcurrentLinkedQueue<String> items = new ConcurrentLinkedQueue<>();

        void add(String item) {
            items.add(item);
            System.err.println("[cluster] " + item);
        }
    }

}
