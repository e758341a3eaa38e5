package io.gigflow.cluster;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.PaymentProvider;
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
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Two application nodes (separate JVMs, separate ports) on one PostgreSQL database, both with
 * job executors. Clients drive a few thousand lifecycles through both nodes' APIs: task payouts
 * (accepted, declined, cancelled), service orders (most left to miss their start deadline, some
 * started, delivered and confirmed), top-ups paid through the payment provider (confirmed by its
 * signed webhook event, which the provider delivers again now and then) and contractors'
 * withdrawals (most paid out by finance, some rejected, some cancelled). Half-way through, node A gets SIGKILL while requests
 * and jobs are in flight; its clients carry on against node B the way a platform would (read
 * the state first, do only what has not happened). Node B finishes everything, including the
 * jobs node A had locked, once their locks expire. Then, read from the shared database and the
 * SMTP server: every lifecycle ended once in its expected state, every payout, release, refund,
 * credit, hold, pay-out and return was posted once, each currency's postings sum to zero, no
 * owner balance is negative, the money that came in from outside minus the money paid out equals
 * what all balances, escrows and holds keep, every email arrived exactly once, and nothing is
 * left running or in an incident.
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
    /** The nightly history cleanup's job lives on, due in its next window: every other job is work left over. */
    static final String NOT_HISTORY_CLEANUP = "handler_type_ <> 'history-cleanup'";
    /** The secret both nodes and the payment provider share (the postgres profile has none of its own). */
    static final String WEBHOOK_SECRET = "cluster-webhook-secret";
    /** Where the contractors' withdrawals go. */
    static final String IBAN = "DE89370400440532013000";

    static GreenMail smtp;
    static ClusterNode nodeA;
    static ClusterNode nodeB;

    enum Kind {
        PAYOUT_ACCEPT, PAYOUT_DECLINE, PAYOUT_CANCEL, ORDER_EXPIRE, ORDER_CONFIRM, TOP_UP_WEBHOOK, WITHDRAWAL_PAID, WITHDRAWAL_REJECTED,
        WITHDRAWAL_CANCEL;

        boolean payout() {
            return name().startsWith("PAYOUT");
        }

        boolean order() {
            return name().startsWith("ORDER");
        }

        boolean withdrawal() {
            return name().startsWith("WITHDRAWAL");
        }

        String refPrefix() {
            return payout() ? "CT-" : order() ? "CO-" : withdrawal() ? "CW-" : "CU-";
        }
    }

    record Lifecycle(int index, Kind kind, String ref) {
    }

    private final Map<String, String> expectedStatus = new ConcurrentHashMap<>();
    private final Map<String, Lifecycle> lifecycles = new ConcurrentHashMap<>();
    private final AtomicInteger failovers = new AtomicInteger();
    private final AtomicInteger answeredByA = new AtomicInteger();
    private final AtomicInteger answeredByB = new AtomicInteger();
    private final ClientErrors errors = new ClientErrors();
    private final Set<String> emailsBeforeKill = ConcurrentHashMap.newKeySet();
    /** A lifecycle's withdrawal (W-...) and top-up (its payment reference), as the clients learnt them. */
    private final Map<String, String> withdrawalRefs = new ConcurrentHashMap<>();
    private final Map<String, String> topUpRefs = new ConcurrentHashMap<>();
    /** Webhook deliveries the platform answered as replays of an event it had taken already. */
    private final AtomicInteger replays = new AtomicInteger();

    private Http httpA;
    private Http httpB;
    private PaymentProvider providerA;
    private PaymentProvider providerB;
    private volatile boolean aDead;
    private JdbcClient db;

    // parties
    private final List<String[]> companies = new ArrayList<>(); // {companyId, member}
    private final List<String> contractors = new ArrayList<>();
    private final List<String[]> services = new ArrayList<>(); // {serviceRef, provider}
    private final List<String> customers = new ArrayList<>();
    private final Map<String, Long> destinations = new HashMap<>(); // contractor -> its payout destination
    private String finance;

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
            providerA = new PaymentProvider(nodeA.port, WEBHOOK_SECRET);
            providerB = new PaymentProvider(nodeB.port, WEBHOOK_SECRET);

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
                    "checked: %d lifecycles, %d HTTP answers from A and %d from B, %d calls redone on B, %d webhook deliveries answered as"
                            + " replays, %d jobs of A taken over by B, %d emails",
                    plan.size(), answeredByA.get(), answeredByB.get(), failovers.get(), replays.get(), takenOver.size(),
                    smtp.getReceivedMessages().length));
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
                // the payment provider signs its webhook events with this; both nodes check them
                "--gigflow.payments.webhook-secret=" + WEBHOOK_SECRET,
                // the contractors withdraw often, far more than a person's daily maximum of the defaults
                "--gigflow.withdrawal.daily-maximum.default=100000000",
                "--gigflow.withdrawal.daily-maximum.JPY=10000000000",
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + smtp.getSmtp().getPort(),
                // the test serves plain HTTP
                "--server.servlet.session.cookie.secure=false",
                "--camunda.bpm.job-execution.lock-time-in-millis=" + LOCK_TIME_MILLIS,
                // an email node A had claimed when it died is sent by B once the claim's lease is over
                "--gigflow.mail.outbox.lease=PT" + LOCK_TIME_MILLIS / 1000 + "S",
                // the node's name in the job log (ACT_HI_JOB_LOG.HOSTNAME_): who ran which job
                "--camunda.bpm.generic-properties.properties.hostname=" + name,
                "--logging.level.root=warn",
                "--logging.level.io.gigflow=info",
                "--logging.level.org.springframework.boot.web.embedded.tomcat=info");
    }

    // ---------------------------------------------------------------- parties

    private void createParties() {
        // money enters as it does for real: registered, confirmed by finance, credited by either node's job executor
        finance = user("clusterfinance", "finance");
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
        // what the contractors withdraw from later: earnings in each currency, paid as the plan's payouts are, and an IBAN to withdraw to
        for (int i = 0; i < contractors.size(); i++) {
            String contractor = contractors.get(i);
            destinations.put(contractor, created(httpA.post(contractor, "/api/me/payout-destinations", json(Map.of("kind", "IBAN",
                    "iban", IBAN, "holderName", "Cluster Contractor " + i)))).json().get("id").asLong());
            earnings(i, "EUR", "20000.00");
            earnings(i, "JPY", "2000000");
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

    /** A payout the contractor accepts before the drive (a lifecycle of its own, checked like the plan's). */
    private void earnings(int k, String currency, String amount) {
        String ref = "CT-E" + k + currency;
        Lifecycle l = new Lifecycle(-1 - lifecycles.size(), Kind.PAYOUT_ACCEPT, ref);
        lifecycles.put(ref, l);
        String[] company = companies.get(k % companies.size());
        String contractor = contractors.get(k);
        created(httpA.post(company[1], "/api/companies/" + company[0] + "/tasks", json(Map.of("contractorId", contractor,
                "title", "Cluster earnings " + ref, "amount", amount, "currency", currency, "reference", ref))));
        expectSuccess(l, "send", httpB.post(company[1], "/api/tasks/" + ref + "/send", null));
        expectSuccess(l, "accept", httpA.post(contractor, "/api/tasks/" + ref + "/accept", null));
        expectedStatus.put(ref, "PAID");
        Http.await("the earnings " + ref + " are paid", () -> "PAID".equals(httpB.get(contractor, "/api/tasks/" + ref).json()
                .get("status").asText()));
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
            // of every twenty: seven accepted, two declined, two cancelled payouts; five expiring orders, two confirmed; one
            // top-up paid through the payment provider and one withdrawal (of five: three paid out, one rejected, one cancelled),
            // on node A (even index) and on node B (odd) by turns
            int block = i / 20;
            Kind withdrawal = switch (block % 5) {
                case 1 -> Kind.WITHDRAWAL_REJECTED;
                case 3 -> Kind.WITHDRAWAL_CANCEL;
                default -> Kind.WITHDRAWAL_PAID;
            };
            Kind kind = switch (i % 20) {
                case 0, 3, 6, 8, 10, 13, 16 -> Kind.PAYOUT_ACCEPT;
                case 1, 11 -> Kind.PAYOUT_DECLINE;
                case 4, 14 -> Kind.PAYOUT_CANCEL;
                case 2, 5, 9, 12, 19 -> Kind.ORDER_EXPIRE;
                case 15 -> block % 2 == 0 ? Kind.TOP_UP_WEBHOOK : withdrawal;
                case 18 -> block % 2 == 0 ? withdrawal : Kind.TOP_UP_WEBHOOK;
                default -> Kind.ORDER_CONFIRM;
            };
            String ref = kind.refPrefix() + i;
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
            case TOP_UP_WEBHOOK -> topUpByWebhook(l, onA);
            case WITHDRAWAL_PAID, WITHDRAWAL_REJECTED, WITHDRAWAL_CANCEL -> withdrawal(l, onA);
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
     * A company member (for the company) or a customer (for itself) registers a top-up paid through
     * the payment provider; the provider reports the payment with a signed event. It delivers to the
     * lifecycle's node while that lives, else (and again when a delivery got no answer) to node B,
     * and it delivers every third event a second time, as providers deliver at least once: the
     * repeat is answered as a replay, and the top-up is credited once.
     */
    private void topUpByWebhook(Lifecycle l, boolean onA) {
        int block = l.index() / 20;
        boolean yen = block % 3 == 0;
        String currency = yen ? "JPY" : "EUR";
        String amount = yen ? String.valueOf(10_000 + l.index()) : BigDecimal.valueOf(10_000 + l.index(), 2).toPlainString();
        String payer;
        String path;
        if (block / 2 % 2 == 0) {
            String[] company = companies.get(block % companies.size());
            payer = company[1];
            path = "/api/companies/" + company[0] + "/top-ups";
        } else {
            payer = customers.get(block % customers.size());
            path = "/api/me/top-ups";
        }
        // the amount tells this lifecycle's top-up from the payer's others
        Predicate<JsonNode> thisOne = t -> "PAYMENT_PROVIDER".equals(t.get("method").asText()) && sameAmount(t, amount, currency);
        Function<Http, Http.Response> read = http -> http.get(payer, path + "?limit=500");
        step(l, onA, "register", http -> http.post(payer, path, json(Map.of("amount", amount, "currency", currency,
                "method", "PAYMENT_PROVIDER"))), read, list -> find(list, thisOne) != null);
        JsonNode topUp = find(state(readOn(onA, read)), thisOne);
        String reference = topUp.get("reference").asText();
        topUpRefs.put(l.ref(), reference);

        String event = PaymentProvider.paymentSucceeded("evt_" + l.ref(), reference, amount, currency, "pi_" + l.ref());
        JsonNode answer = deliver(l, onA, event);
        if (answer.get("topUp").asLong() != topUp.get("id").asLong()) {
            throw new AssertionError("the payment event of " + l.ref() + " was taken for top-up " + answer.get("topUp") + ", not " + topUp);
        }
        if (block % 3 == 1) {
            JsonNode again = deliver(l, false, event);
            if (!again.path("replayed").asBoolean() || again.get("topUp").asLong() != topUp.get("id").asLong()) {
                throw new AssertionError("the payment event of " + l.ref() + " delivered again was not answered as a replay: " + again);
            }
        }
        expectedStatus.put(l.ref(), "CREDITED");
    }

    /**
     * The payment provider delivers an event until it gets an answer: on node A while it lives,
     * else on node B. The answer must accept it (as a replay, when the lost delivery took effect).
     */
    private JsonNode deliver(Lifecycle l, boolean onA, String event) {
        Http.Response response = null;
        if (onA && !aDead) {
            try {
                response = providerA.deliver(event);
                answeredByA.incrementAndGet();
            } catch (UncheckedIOException lostWithNode) {
                failovers.incrementAndGet();
            }
        }
        if (response == null) {
            response = providerB.deliver(event);
            answeredByB.incrementAndGet();
        }
        expectSuccess(l, "payment event", response);
        JsonNode answer = response.json();
        if (!"accepted".equals(answer.path("outcome").asText())) {
            throw new AssertionError("the payment event of " + l.ref() + " was not accepted: " + response.text());
        }
        if (answer.path("replayed").asBoolean()) {
            replays.incrementAndGet();
        }
        return answer;
    }

    /**
     * A contractor withdraws part of its earnings to its IBAN (the amount moves to the hold at
     * once); finance pays it out or rejects it, or the contractor cancels it while it waits.
     */
    private void withdrawal(Lifecycle l, boolean onA) {
        int block = l.index() / 20;
        String contractor = contractors.get(block / 5 % contractors.size());
        boolean yen = block % 3 == 0;
        String currency = yen ? "JPY" : "EUR";
        String amount = yen ? String.valueOf(1000 + l.index()) : BigDecimal.valueOf(1000 + l.index(), 2).toPlainString();
        // the amount tells this lifecycle's withdrawal from the contractor's others
        Predicate<JsonNode> thisOne = w -> sameAmount(w, amount, currency);
        Function<Http, Http.Response> mine = http -> http.get(contractor, "/api/me/withdrawals?limit=500");
        step(l, onA, "request", http -> http.post(contractor, "/api/me/withdrawals", json(Map.of("amount", amount, "currency", currency,
                "destinationId", destinations.get(contractor)))), mine, list -> find(list, thisOne) != null);
        String ref = find(state(readOn(onA, mine)), thisOne).get("ref").asText();
        withdrawalRefs.put(l.ref(), ref);
        Function<Http, Http.Response> read = http -> http.get(finance, "/api/withdrawals/" + ref);
        switch (l.kind()) {
            case WITHDRAWAL_PAID -> {
                step(l, onA, "pay out", http -> http.post(finance, "/api/withdrawals/" + ref + "/payout",
                        json(Map.of("bankReference", "BANK-" + l.ref()))), read, w -> decided(w, "PAID"));
                expectedStatus.put(l.ref(), "PAID_OUT");
            }
            case WITHDRAWAL_REJECTED -> {
                step(l, onA, "reject", http -> http.post(finance, "/api/withdrawals/" + ref + "/rejection",
                        json(Map.of("reason", "The bank returned it"))), read, w -> decided(w, "REJECTED"));
                expectedStatus.put(l.ref(), "REJECTED");
            }
            default -> {
                step(l, onA, "cancel", http -> http.post(contractor, "/api/me/withdrawals/" + ref + "/cancellation", null), read,
                        w -> decided(w, "CANCELLED"));
                expectedStatus.put(l.ref(), "CANCELLED");
            }
        }
    }

    private static boolean sameAmount(JsonNode row, String amount, String currency) {
        return row.get("currency").asText().equals(currency) && new BigDecimal(row.get("amount").asText()).compareTo(new BigDecimal(amount)) == 0;
    }

    private static boolean decided(JsonNode withdrawal, String decision) {
        return withdrawal != null && decision.equals(withdrawal.path("decision").asText());
    }

    private static JsonNode find(JsonNode list, Predicate<JsonNode> which) {
        if (list == null) {
            return null;
        }
        for (JsonNode item : list) {
            if (which.test(item)) {
                return item;
            }
        }
        return null;
    }

    /** A read on the lifecycle's node while it lives, else on node B. */
    private Http.Response readOn(boolean onA, Function<Http, Http.Response> read) {
        if (onA && !aDead) {
            try {
                return read.apply(httpA);
            } catch (UncheckedIOException lostWithNode) {
                // node A died meanwhile
            }
        }
        return read.apply(httpB);
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
            long jobs = db.sql("select count(*) from act_ru_job where " + NOT_HISTORY_CLEANUP).query(Long.class).single();
            long emails = db.sql("select count(*) from notification where email_status = 'PENDING'").query(Long.class).single();
            if (running == 0 && jobs == 0 && emails == 0) {
                return;
            }
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
                lastReport = System.nanoTime();
                phase(started, "waiting: " + running + " executions, " + jobs + " jobs, " + emails + " emails left");
            }
            Thread.sleep(500);
        }
    }

    private void checkLifecycles() {
        Map<String, String> actual = new TreeMap<>();
        List<String> extra = new ArrayList<>();
        db.sql("select ref, status from payout_task").query((rs, n) -> actual.put(rs.getString(1), rs.getString(2))).list();
        db.sql("select ref, status from service_order").query((rs, n) -> actual.put(rs.getString(1), rs.getString(2))).list();
        // the top-ups paid through the provider are the lifecycles'; those paid by bank transfer funded the payers before the drive
        Map<String, String> topUpLifecycles = inverse(topUpRefs);
        List<String> funding = new ArrayList<>();
        db.sql("select reference, method, status, confirmed_via, amount, received_amount, provider_payment from top_up").query((rs, n) -> {
            String reference = rs.getString(1);
            String lifecycle = topUpLifecycles.get(reference);
            String outcome = rs.getString(3) + " via " + rs.getString(4)
                    + (rs.getBigDecimal(6) != null && rs.getBigDecimal(6).compareTo(rs.getBigDecimal(5)) == 0 ? "" : ", received " + rs.getBigDecimal(6));
            if ("BANK_TRANSFER".equals(rs.getString(2))) {
                funding.add(reference);
                assertThat(outcome).as("funding top-up %s", reference).isEqualTo("CREDITED via FINANCE");
            } else if (lifecycle == null) {
                extra.add("top-up " + reference);
            } else {
                assertThat(rs.getString(7)).as("the provider's payment of %s", lifecycle).isEqualTo("pi_" + lifecycle);
                actual.put(lifecycle, outcome.equals("CREDITED via PROVIDER") ? "CREDITED" : outcome);
            }
            return null;
        }).list();
        assertThat(funding).as("funding top-ups: two per company, one per customer").hasSize(2 * companies.size() + customers.size());
        Map<String, String> withdrawalLifecycles = inverse(withdrawalRefs);
        db.sql("select ref, status from withdrawal").query((rs, n) -> {
            String lifecycle = withdrawalLifecycles.get(rs.getString(1));
            if (lifecycle == null) {
                extra.add("withdrawal " + rs.getString(1) + " (" + rs.getString(2) + ")");
            } else {
                actual.put(lifecycle, rs.getString(2));
            }
            return null;
        }).list();
        assertThat(extra).as("rows of no lifecycle").isEmpty();
        assertThat(actual).as("every lifecycle in its end state, one row each").isEqualTo(new TreeMap<>(expectedStatus));
        assertThat(actual).hasSize(lifecycles.size());

        // the engine's history: one instance per lifecycle (and per funding top-up), ended, through exactly one end event
        Set<String> fundingKeys = funding.stream().map(reference -> "funding " + reference).collect(Collectors.toSet());
        Function<String[], String> lifecycleOf = keyAndBusinessKey -> switch (keyAndBusinessKey[0]) {
            case "top-up" -> topUpLifecycles.getOrDefault(keyAndBusinessKey[1], "funding " + keyAndBusinessKey[1]);
            case "withdrawal" -> withdrawalLifecycles.getOrDefault(keyAndBusinessKey[1], "withdrawal " + keyAndBusinessKey[1]);
            default -> keyAndBusinessKey[1];
        };
        Set<String> expectedKeys = new HashSet<>(lifecycles.keySet());
        expectedKeys.addAll(fundingKeys);
        Map<String, Long> instances = new HashMap<>();
        db.sql("""
                        select proc_def_key_, business_key_ from act_hi_procinst
                        where proc_def_key_ in ('task-payout', 'service-order', 'top-up', 'withdrawal') and state_ = 'COMPLETED'
                        and end_time_ is not null""")
                .query((rs, n) -> instances.merge(lifecycleOf.apply(new String[] {rs.getString(1), rs.getString(2)}), 1L, Long::sum)).list();
        assertThat(instances).as("one completed instance per lifecycle").hasSize(expectedKeys.size()).allSatisfy((key, count) -> {
            assertThat(expectedKeys).contains(key);
            assertThat(count).as(key).isEqualTo(1L);
        });
        assertThat(db.sql("select count(*) from act_hi_procinst where proc_def_key_ in ('task-payout', 'service-order', 'top-up', 'withdrawal')")
                .query(Long.class).single()).as("instances of the lifecycles").isEqualTo((long) expectedKeys.size());
        Map<String, String> ends = new HashMap<>();
        List<String> multipleEnds = new ArrayList<>();
        db.sql("""
                        select p.proc_def_key_, p.business_key_, a.act_id_ from act_hi_actinst a join act_hi_procinst p on p.id_ = a.proc_inst_id_
                        where p.proc_def_key_ in ('task-payout', 'service-order', 'top-up', 'withdrawal') and a.act_type_ = 'noneEndEvent'""")
                .query((rs, n) -> {
                    String lifecycle = lifecycleOf.apply(new String[] {rs.getString(1), rs.getString(2)});
                    if (ends.put(lifecycle, rs.getString(3)) != null) {
                        multipleEnds.add(lifecycle);
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
            case TOP_UP_WEBHOOK -> "End_TopUpCredited";
            case WITHDRAWAL_PAID -> "End_WithdrawalPaidOut";
            case WITHDRAWAL_REJECTED -> "End_WithdrawalRejected";
            case WITHDRAWAL_CANCEL -> "End_WithdrawalCancelled";
        }));
        fundingKeys.forEach(key -> expectedEnds.put(key, "End_TopUpCredited"));
        assertThat(new TreeMap<>(ends)).as("the end event of every lifecycle").isEqualTo(expectedEnds);

        // the payment events: one per top-up of the provider, each taken once
        Map<String, Long> events = new HashMap<>();
        db.sql("select event_id, count(*) from payment_event group by event_id").query((rs, n) -> events.put(rs.getString(1), rs.getLong(2))).list();
        assertThat(events).as("payment events taken").isEqualTo(topUpRefs.keySet().stream()
                .collect(Collectors.toMap(lifecycle -> "evt_" + lifecycle, lifecycle -> 1L)));
    }

    private static Map<String, String> inverse(Map<String, String> map) {
        Map<String, String> inverse = new HashMap<>();
        map.forEach((key, value) -> assertThat(inverse.put(value, key)).as("%s of two lifecycles", value).isNull());
        return inverse;
    }

    private void checkLedger() {
        Set<String> keys = new HashSet<>();
        Map<String, Long> keyCounts = new HashMap<>();
        db.sql("select idempotency_key, count(*) from ledger_transfer group by idempotency_key")
                .query((rs, n) -> keyCounts.put(rs.getString(1), rs.getLong(2))).list();
        assertThat(keyCounts).as("transfers per idempotency key").allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1L));
        keys.addAll(keyCounts.keySet());
        List<String> wrong = new ArrayList<>();
        Map<String, Long> topUpIds = new HashMap<>();
        db.sql("select reference, id from top_up").query((rs, n) -> topUpIds.put(rs.getString(1), rs.getLong(2))).list();
        for (Lifecycle l : lifecycles.values()) {
            String prefix = switch (l.kind()) {
                case PAYOUT_ACCEPT, PAYOUT_DECLINE, PAYOUT_CANCEL -> "task-payout:" + l.ref() + ":";
                case ORDER_EXPIRE, ORDER_CONFIRM -> "service-order:" + l.ref() + ":";
                case TOP_UP_WEBHOOK -> "top-up:" + topUpIds.get(topUpRefs.get(l.ref())) + ":";
                case WITHDRAWAL_PAID, WITHDRAWAL_REJECTED, WITHDRAWAL_CANCEL -> "withdrawal:" + withdrawalRefs.get(l.ref()) + ":";
            };
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
                case TOP_UP_WEBHOOK -> expected.put("credit", true);
                case WITHDRAWAL_PAID -> {
                    expected.put("hold", true);
                    expected.put("paid", true);
                    expected.put("returned", false);
                }
                case WITHDRAWAL_REJECTED, WITHDRAWAL_CANCEL -> {
                    expected.put("hold", true);
                    expected.put("paid", false);
                    expected.put("returned", true);
                }
            }
            expected.forEach((suffix, present) -> {
                if (keys.contains(prefix + suffix) != present) {
                    wrong.add(prefix + suffix + (present ? " missing" : " posted although it must not be"));
                }
            });
        }
        topUpIds.forEach((reference, id) -> {
            if (!keys.contains("top-up:" + id + ":credit")) {
                wrong.add("the credit of top-up " + reference + " missing");
            }
        });
        assertThat(wrong).as("payouts, releases, refunds, credits, holds, pay-outs and returns").isEmpty();

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
                        select t.idempotency_key || ' ' || count(p.id) from ledger_transfer t left join ledger_posting p on p.transfer_id = t.id
                        group by t.idempotency_key having count(p.id) <> 2""").query(String.class).list())
                .as("transfers without exactly two postings").isEmpty();
        assertThat(db.sql("""
                        select a.owner_type || ':' || a.owner_id || ' ' || sum(p.amount) from ledger_posting p
                        join ledger_account a on a.id = p.account_id
                        where a.owner_type in ('ESCROW', 'WITHDRAWAL') group by a.owner_type, a.owner_id, a.currency having sum(p.amount) <> 0""")
                .query(String.class).list()).as("escrows and withdrawal holds not emptied").isEmpty();

        // per currency: what came in from outside minus what was paid out is what the platform keeps, in every balance,
        // escrow and hold; in = the credited top-ups, out = the paid-out withdrawals
        Map<String, BigDecimal> in = sums("""
                select a.currency, sum(t.amount) from ledger_transfer t join ledger_account a on a.id = t.from_account_id
                where a.owner_type = 'EXTERNAL' group by a.currency""");
        Map<String, BigDecimal> out = sums("""
                select a.currency, sum(t.amount) from ledger_transfer t join ledger_account a on a.id = t.to_account_id
                where a.owner_type = 'EXTERNAL' group by a.currency""");
        Map<String, BigDecimal> kept = sums("""
                select a.currency, sum(p.amount) from ledger_posting p join ledger_account a on a.id = p.account_id
                where a.owner_type <> 'EXTERNAL' group by a.currency""");
        assertThat(in.keySet()).as("currencies that came in").isEqualTo(Set.of("EUR", "JPY"));
        assertThat(kept.keySet()).as("currencies kept").isEqualTo(in.keySet());
        in.forEach((currency, total) -> assertThat(total.subtract(out.getOrDefault(currency, BigDecimal.ZERO)))
                .as("%s in from outside minus out to outside = all balances, escrows and holds", currency)
                .isEqualByComparingTo(kept.get(currency)));
        assertThat(in).as("in from outside = the credited top-ups").isEqualTo(sums(
                "select currency, sum(received_amount) from top_up where status = 'CREDITED' group by currency"));
        assertThat(out).as("out to outside = the paid-out withdrawals").isEqualTo(sums(
                "select currency, sum(amount) from withdrawal where status = 'PAID_OUT' group by currency"));
        assertThat(out).as("withdrawals paid out in both currencies").containsOnlyKeys("EUR", "JPY");

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
        contractorBalances.forEach((currency, balance) -> assertThat(balance).as("contractors' %s: paid to them minus paid out to them",
                currency).isEqualByComparingTo(paidToContractors.get(currency).subtract(out.getOrDefault(currency, BigDecimal.ZERO))));
        long done = expectedStatus.values().stream().filter("DONE"::equals).count();
        BigDecimal released = db.sql("""
                        select coalesce(sum(p.amount), 0) from ledger_posting p join ledger_account a on a.id = p.account_id
                        where a.owner_type = 'USER' and a.owner_id like 'clusterprovider%'""").query(BigDecimal.class).single();
        assertThat(released).as("providers' balances: 25.00 per confirmed order").isEqualByComparingTo(new BigDecimal("25.00").multiply(BigDecimal.valueOf(done)));
    }

    /** Per currency (trimmed: char(3) pads), the sum the query selects as its second column, to the scale of 4 the ledger keeps. */
    private Map<String, BigDecimal> sums(String sql) {
        return db.sql(sql).query((rs, n) -> Map.entry(rs.getString(1).trim(), rs.getBigDecimal(2).setScale(4)))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Every notification's email arrived, and exactly once, except where node A died between
     * the SMTP server taking an email and recording that it went out: sending is at-least-once
     * (no protocol closes that gap with SMTP), so node B sent it again. Such a copy must be
     * recognisable (the same Message-ID), its first copy must have arrived before the kill, and
     * there can be no more of them than node A had email senders (4, each holding one claim).
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
        assertThat(twice.size()).as("emails sent twice: at most one per email sender of the killed node").isLessThanOrEqualTo(4);
        Map<String, Long> statuses = new TreeMap<>();
        db.sql("select email_status, count(*) from notification group by email_status")
                .query((rs, n) -> statuses.put(rs.getString(1), rs.getLong(2))).list();
        assertThat(statuses).as("every notification's email sent").containsOnlyKeys("SENT");
        Set<String> sent = Set.copyOf(db.sql("select dedup_key from notification").query(String.class).list());
        assertThat(received.keySet()).as("emails received = notifications").isEqualTo(sent);
        // each lifecycle told its parties: at least the contractor's TASK_RECEIVED or the provider's order notice
        assertThat(sent.size()).as("notifications").isGreaterThanOrEqualTo(2 * lifecycles.size());
        // top-ups and withdrawals told exactly these (every company here has one member, finance is one operator)
        Map<String, List<String>> notices = new HashMap<>();
        db.sql("select reference, recipient_id, event from notification")
                .query((rs, n) -> notices.computeIfAbsent(rs.getString(1), r -> new ArrayList<>()).add(rs.getString(3) + " to " + rs.getString(2)))
                .list();
        notices.values().forEach(Collections::sort);
        Map<String, List<String>> expected = new TreeMap<>();
        Map<String, List<String>> told = new TreeMap<>();
        lifecycles.values().stream().filter(l -> l.kind() == Kind.TOP_UP_WEBHOOK || l.kind().withdrawal()).forEach(l -> {
            String reference = l.kind() == Kind.TOP_UP_WEBHOOK ? topUpRefs.get(l.ref()) : "withdrawal:" + withdrawalRefs.get(l.ref());
            told.put(l.ref(), notices.getOrDefault(reference, List.of()));
            String requester = l.kind().withdrawal() ? db.sql("select requester_id from withdrawal where ref = :ref")
                    .param("ref", withdrawalRefs.get(l.ref())).query(String.class).single() : null;
            expected.put(l.ref(), switch (l.kind()) {
                case TOP_UP_WEBHOOK -> {
                    String payer = db.sql("select owner_type, owner_id from top_up where reference = :r").param("r", reference)
                            .query((rs, n) -> rs.getString(1).equals("COMPANY") ? companyMember(rs.getString(2)) : rs.getString(2)).single();
                    yield List.of("TOP_UP_CREDITED to " + payer, "TOP_UP_REGISTERED to " + payer);
                }
                case WITHDRAWAL_PAID -> List.of("WITHDRAWAL_PAID_OUT to " + requester, "WITHDRAWAL_REQUESTED to " + requester,
                        "WITHDRAWAL_TO_PAY_OUT to " + finance);
                case WITHDRAWAL_REJECTED -> List.of("WITHDRAWAL_REJECTED to " + requester, "WITHDRAWAL_REQUESTED to " + requester,
                        "WITHDRAWAL_TO_PAY_OUT to " + finance);
                default -> List.of("WITHDRAWAL_CANCELLED to " + requester, "WITHDRAWAL_REQUESTED to " + requester,
                        "WITHDRAWAL_TO_PAY_OUT to " + finance);
            });
        });
        assertThat(told).as("the notices of the top-ups and withdrawals").isEqualTo(expected);
    }

    private String companyMember(String companyId) {
        return companies.stream().filter(c -> c[0].equals(companyId)).map(c -> c[1]).findFirst().orElseThrow();
    }

    private void checkNothingLeft() {
        assertThat(db.sql("select count(*) from act_ru_execution").query(Long.class).single()).as("running executions").isZero();
        assertThat(db.sql("select incident_type_ || ' ' || coalesce(incident_msg_, '') from act_ru_incident").query(String.class).list())
                .as("incidents").isEmpty();
        assertThat(db.sql("select handler_type_ || ' ' || coalesce(process_def_key_, '') from act_ru_job where " + NOT_HISTORY_CLEANUP)
                .query(String.class).list()).as("jobs left").isEmpty();
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
