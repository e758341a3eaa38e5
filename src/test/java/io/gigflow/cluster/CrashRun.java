package io.gigflow.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One crash run against an application node in a JVM of its own: clients drive task payouts of the
 * demo company acme (create as carol, send to payment, accept as alice, then carol registers a top-up;
 * every other lifecycle with an Idempotency-Key on each call), the node gets SIGKILL at a random moment, and starts again on the
 * same database. Then: every call answered 2xx is in effect exactly once; every call with a key,
 * answered or cut off, is sent again with the same key and answers its first answer (or, cut off
 * before its commit, does its work now, once); every accepted task is paid once; every top-up answered
 * 201 is registered once and no call registered two; the ledger is sound.
 * The money comes from the demo data's top-up of acme (5,000 EUR; each task is 1.00).
 */
final class CrashRun {

    static final int CLIENTS = 4;
    /** Answers before the kill's random moment begins. */
    static final int MIN_ANSWERS = 24;
    private static final String PASSWORD = "demo";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<String> arguments;
    private final Path directory;
    private final Supplier<JdbcClient> database;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final ConcurrentLinkedQueue<Lifecycle> lifecycles = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final long started = System.nanoTime();
    private final AtomicInteger answers = new AtomicInteger();

    /**
     * @param arguments the node's arguments (profile, database)
     * @param directory the node's working directory (the H2 file under ./data), or null
     * @param database the database, opened once the last node has stopped
     */
    CrashRun(String name, List<String> arguments, Path directory, Supplier<JdbcClient> database) {
        this.name = name;
        this.arguments = new ArrayList<>(arguments);
        // jobs a killed node had locked are taken over after 10 seconds instead of 2 minutes
        this.arguments.add("--camunda.bpm.job-execution.lock-time-in-millis=10000");
        this.arguments.add("--logging.level.root=warn");
        this.directory = directory;
        this.database = database;
    }

    void stopNodes() throws InterruptedException {
        for (ClusterNode node : nodes) {
            node.stop();
        }
    }

    /** One call of a lifecycle: its key (or null), and its answer (status null: none, the node died first). */
    static final class Call {
        final String key;
        Integer status;
        String body;

        Call(String key) {
            this.key = key;
        }

        boolean answered2xx() {
            return status != null && status >= 200 && status < 300;
        }
    }

    /** One task: created, sent, accepted, each call with a key or each without. */
    final class Lifecycle {
        final String title;
        final boolean keyed;
        final Call create;
        final Call send;
        final Call accept;
        /** After the accept, the company pays in: a top-up registered (money arrives only once finance confirms it). */
        final Call topUp;
        volatile String ref;
        /** The top-up a keyed retry after the restart answered (the first one's, or the one it registered). */
        volatile Long topUpAfterRestart;

        Lifecycle(int client, int index, boolean keyed) {
            this.title = name + " " + client + "-" + index + " " + Long.toHexString(System.nanoTime());
            this.keyed = keyed;
            this.create = new Call(keyed ? "create-" + title.replace(' ', '-') : null);
            this.send = new Call(keyed ? "send-" + title.replace(' ', '-') : null);
            this.accept = new Call(keyed ? "accept-" + title.replace(' ', '-') : null);
            this.topUp = new Call(keyed ? "top-up-" + title.replace(' ', '-') : null);
        }

        String createBody() {
            return "{\"contractorId\":\"alice\",\"title\":\"" + title + "\",\"amount\":\"1.00\",\"currency\":\"EUR\"}";
        }

        /** Drives the task as far as the node lets it; false once the node stopped answering. */
        boolean drive(ClusterNode node) {
            if (!call(node, create, "carol", "POST", "/api/companies/acme/tasks", createBody(), 201)) {
                return false;
            }
            ref = json(create.body).get("ref").asText();
            if (!call(node, send, "carol", "POST", "/api/tasks/" + ref + "/send", null, 200)) {
                return false;
            }
            if (!call(node, accept, "alice", "POST", "/api/tasks/" + ref + "/accept", null, 202)) {
                return false;
            }
            return call(node, topUp, "carol", "POST", TOP_UPS, TOP_UP_BODY, 201);
        }

        private boolean call(ClusterNode node, Call call, String user, String method, String path, String body, int expected) {
            try {
                HttpResponse<String> response = send(node, user, method, path, body, call.key);
                call.status = response.statusCode();
                call.body = response.body();
                answers.incrementAndGet();
                if (call.status != expected) {
                    errors.add(method + " " + path + " answered " + call.status + " before the kill: " + call.body);
                    return false;
                }
                return true;
            } catch (IOException noAnswer) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    static final String TOP_UPS = "/api/companies/acme/top-ups";
    static final String TOP_UP_BODY = "{\"amount\":\"1.00\",\"currency\":\"EUR\",\"method\":\"BANK_TRANSFER\"}";

    void run() throws Exception {
        long seed = Long.getLong("gigflow.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        phase("seed " + seed + " (-Dgigflow.crash.seed=" + seed + " repeats the kill moment)");
        ClusterNode first = start(name + "-1");
        phase("node up");

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger keyedCount = new AtomicInteger();
        for (int c = 0; c < CLIENTS; c++) {
            int clientNumber = c;
            pool.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    Lifecycle lifecycle = new Lifecycle(clientNumber, i, (i + clientNumber) % 2 == 0);
                    if (lifecycle.keyed) {
                        keyedCount.incrementAndGet();
                    }
                    lifecycles.add(lifecycle);
                    if (!lifecycle.drive(first)) {
                        return;
                    }
                }
            });
        }
        // the kill at a random moment once the node is warm (the first calls of a fresh JVM are slow)
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (answers.get() < MIN_ANSWERS && errors.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long warm = System.nanoTime();
        Thread.sleep(random.nextInt(3_000));
        long load = (System.nanoTime() - warm) / 1_000_000;
        first.kill();
        stop.set(true);
        pool.shutdown();
        assertThat(pool.awaitTermination(90, TimeUnit.SECONDS)).as("clients ended").isTrue();
        assertThat(errors).as("answers before the kill").isEmpty();
        long answered = lifecycles.stream().flatMap(l -> List.of(l.create, l.send, l.accept, l.topUp).stream()).filter(Call::answered2xx).count();
        long cutOff = lifecycles.stream().filter(l -> l.create.status == null || (l.ref != null && (l.send.status == null || l.accept.status == null)))
                .count();
        phase(String.format(Locale.ROOT, "killed %.1f s after the %dth answer: %d lifecycles (%d with keys), %d calls answered 2xx, %d lifecycles cut off",
                load / 1000.0, MIN_ANSWERS, lifecycles.size(), keyedCount.get(), answered, cutOff));
        assertThat(answered).as("calls answered before the kill").isGreaterThan(10);

        ClusterNode second = start(name + "-2");
        phase("node restarted on the same database");
        List<String> paid = retryAndCheckAnswers(second);
        phase("retried every call with a key; " + paid.size() + " tasks accepted");
        awaitPaid(second, paid);
        phase("every accepted task paid");
        second.stop();
        checkDatabase(database.get(), paid);
        phase("database checked");
    }

    /** Every 2xx answer is in effect; every call with a key answers as the first time. Answers the tasks that were accepted. */
    private List<String> retryAndCheckAnswers(ClusterNode node) throws Exception {
        List<String> accepted = new ArrayList<>();
        for (Lifecycle l : lifecycles) {
            if (l.create.answered2xx()) {
                HttpResponse<String> task = send(node, "carol", "GET", "/api/tasks/" + l.ref, null, null);
                assertThat(task.statusCode()).as("task %s answered 201 before the kill", l.ref).isEqualTo(200);
            }
            if (!l.keyed) {
                if (l.accept.answered2xx()) {
                    accepted.add(l.ref);
                }
                continue;
            }
            String ref = retry(node, l.create, "carol", "POST", "/api/companies/acme/tasks", l.createBody(), 201).get("ref").asText();
            if (l.ref != null) {
                assertThat(ref).isEqualTo(l.ref);
            }
            if (l.create.status == null) {
                continue; // cut off at its create: the retry created it, or found it created; nothing was sent yet
            }
            // the client sent the next call as soon as the previous one was answered: a call without an answer was cut off
            retry(node, l.send, "carol", "POST", "/api/tasks/" + ref + "/send", null, 200);
            if (l.send.status == null) {
                continue;
            }
            retry(node, l.accept, "alice", "POST", "/api/tasks/" + ref + "/accept", null, 202);
            accepted.add(ref);
            if (l.accept.status != null) {
                // the top-up was sent once the accept was answered: its retry registers it once, or answers the first answer
                l.topUpAfterRestart = retry(node, l.topUp, "carol", "POST", TOP_UPS, TOP_UP_BODY, 201).get("id").asLong();
            }
        }
        return accepted;
    }

    private JsonNode retry(ClusterNode node, Call call, String user, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> again = send(node, user, method, path, body, call.key);
        assertThat(again.statusCode()).as("retry of %s %s with key %s: %s", method, path, call.key, again.body()).isEqualTo(expected);
        if (call.status != null) {
            assertThat(again.headers().firstValue("Idempotent-Replayed")).as("retry of %s %s", method, path).contains("true");
            assertThat(again.body()).as("retry of %s %s answers the first answer", method, path).isEqualTo(call.body);
        }
        return json(again.body());
    }

    private void awaitPaid(ClusterNode node, List<String> refs) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (String ref : refs) {
            while (true) {
                String status = json(send(node, "carol", "GET", "/api/tasks/" + ref, null, null).body()).get("status").asText();
                if (status.equals("PAID")) {
                    break;
                }
                assertThat(System.nanoTime()).as("task %s accepted but %s\n%s", ref, status, node.tail(40)).isLessThan(deadline);
                Thread.sleep(250);
            }
        }
    }

    private void checkDatabase(JdbcClient db, List<String> paid) {
        for (Lifecycle l : lifecycles) {
            long tasks = db.sql("select count(*) from payout_task where company_id = 'acme' and title = :title").param("title", l.title)
                    .query(Long.class).single();
            if (l.create.answered2xx() || l.keyed) {
                assertThat(tasks).as("tasks titled %s (%s)", l.title, l.keyed ? "created with a key" : "answered 201").isEqualTo(1);
            } else {
                assertThat(tasks).as("tasks titled %s (cut off without a key)", l.title).isLessThanOrEqualTo(1);
            }
            if (l.send.answered2xx()) {
                String status = db.sql("select status from payout_task where ref = :ref").param("ref", l.ref).query(String.class).single();
                assertThat(status).as("task %s answered sent", l.ref).isNotEqualTo("DRAFT");
                assertThat(transfers(db, l.ref, "reserve")).as("reservations of %s", l.ref).isEqualTo(1);
            }
            for (Call call : List.of(l.create, l.send, l.accept, l.topUp)) {
                if (call.key != null && call.answered2xx()) {
                    Integer stored = db.sql("select status from idempotency_key where user_id in ('carol', 'alice') and idempotency_key = :key")
                            .param("key", call.key).query(Integer.class).optional().orElse(null);
                    assertThat(stored).as("stored answer of key %s", call.key).isEqualTo(call.status);
                }
            }
        }
        // every top-up answered 201 (before the kill or by a keyed retry) is registered once, and nothing else was
        List<Long> answeredTopUps = new ArrayList<>();
        long topUpCalls = 0;
        for (Lifecycle l : lifecycles) {
            if (l.topUp.answered2xx()) {
                answeredTopUps.add(json(l.topUp.body).get("id").asLong());
            } else if (l.topUpAfterRestart != null) {
                answeredTopUps.add(l.topUpAfterRestart);
            }
            if (l.topUp.answered2xx() || l.topUpAfterRestart != null || (l.accept.answered2xx() && !l.keyed)) {
                topUpCalls++; // answered, retried, or sent without a key and perhaps cut off
            }
        }
        for (Long id : answeredTopUps) {
            assertThat(db.sql("select status from top_up where id = :id and owner_id = 'acme' and amount = 1").param("id", id)
                    .query(String.class).optional()).as("top-up %s answered 201", id).contains("AWAITING_FUNDS");
        }
        assertThat(answeredTopUps).as("top-ups answered").doesNotHaveDuplicates();
        long registered = db.sql("select count(*) from top_up where owner_id = 'acme' and amount = 1").query(Long.class).single();
        assertThat(registered).as("top-ups registered: each answered one, at most one a call").isBetween((long) answeredTopUps.size(), topUpCalls);
        for (String ref : paid) {
            assertThat(db.sql("select status from payout_task where ref = :ref").param("ref", ref).query(String.class).single())
                    .as("task %s", ref).isEqualTo("PAID");
            assertThat(transfers(db, ref, "reserve")).as("reservations of %s", ref).isEqualTo(1);
            assertThat(transfers(db, ref, "payout")).as("payouts of %s", ref).isEqualTo(1);
        }
        assertThat(ledgerViolations(db)).as("ledger invariants").isEmpty();
    }

    private static long transfers(JdbcClient db, String ref, String kind) {
        return db.sql("select count(*) from ledger_transfer where idempotency_key = :key").param("key", "task-payout:" + ref + ":" + kind)
                .query(Long.class).single();
    }

    /** The ledger's invariants (as Ledger.invariantViolations): postings sum to zero per currency, two a transfer, no owner below zero. */
    static List<String> ledgerViolations(JdbcClient db) {
        List<String> violations = new ArrayList<>();
        violations.addAll(db.sql("""
                select a.currency, sum(p.amount) total from ledger_posting p join ledger_account a on a.id = p.account_id
                group by a.currency having sum(p.amount) <> 0""").query((rs, n) -> rs.getString(1) + " postings sum to " + rs.getBigDecimal(2))
                .list());
        violations.addAll(db.sql("""
                select t.idempotency_key, count(p.id) from ledger_transfer t left join ledger_posting p on p.transfer_id = t.id
                group by t.idempotency_key having count(p.id) <> 2""").query((rs, n) -> "transfer " + rs.getString(1) + " has " + rs.getInt(2)
                + " postings").list());
        violations.addAll(db.sql("""
                select a.owner_type, a.owner_id, a.currency, sum(p.amount) from ledger_posting p
                join ledger_account a on a.id = p.account_id where a.owner_type <> 'EXTERNAL'
                group by a.owner_type, a.owner_id, a.currency having sum(p.amount) < 0""")
                .query((rs, n) -> rs.getString(1) + ":" + rs.getString(2) + " is at " + rs.getBigDecimal(4) + " " + rs.getString(3)).list());
        violations.addAll(db.sql("""
                select a.owner_type, a.owner_id, a.currency from ledger_account a
                where (select sum(p.amount) from ledger_posting p where p.account_id = a.id)
                   <> (select p.balance_after from ledger_posting p where p.account_id = a.id order by p.id desc fetch first 1 rows only)""")
                .query((rs, n) -> rs.getString(1) + ":" + rs.getString(2) + " " + rs.getString(3) + ": the last balance is not the sum of its postings")
                .list());
        return violations;
    }

    private ClusterNode start(String nodeName) throws Exception {
        ClusterNode node = new ClusterNode(nodeName, arguments, directory);
        nodes.add(node);
        node.start();
        node.awaitReady(Duration.ofSeconds(150));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        // the demo data is there once carol can list acme's tasks, and acme's top-up once its balance shows the money
        // (the top-up is credited by a step of its own, which may come after the users)
        while (send(node, "carol", "GET", "/api/companies/acme/tasks?limit=1", null, null).statusCode() != 200 || !funded(node)) {
            assertThat(System.nanoTime()).as("demo data on " + nodeName + "\n" + node.tail(60)).isLessThan(deadline);
            Thread.sleep(500);
        }
        return node;
    }

    private boolean funded(ClusterNode node) throws IOException, InterruptedException {
        HttpResponse<String> balances = send(node, "carol", "GET", "/api/companies/acme/balances", null, null);
        if (balances.statusCode() != 200) {
            return false;
        }
        for (JsonNode balance : JSON.readTree(balances.body())) {
            if (balance.get("currency").asText().equals("EUR") && new java.math.BigDecimal(balance.get("amount").asText()).signum() > 0) {
                return true;
            }
        }
        return false;
    }

    private HttpResponse<String> send(ClusterNode node, String user, String method, String path, String body, String key)
            throws IOException, InterruptedException {
        String token = Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Basic " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (!method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private void phase(String what) {
        System.out.printf(Locale.ROOT, "[crash %s] %6.1f s  %s%n", name, (System.nanoTime() - started) / 1e9, what);
    }
}
