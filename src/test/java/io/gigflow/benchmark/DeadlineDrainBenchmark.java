package io.gigflow.benchmark;

import static io.gigflow.support.Http.json;

import io.gigflow.GigflowApplication;
import io.gigflow.ledger.Ledger;
import io.gigflow.order.ServiceOrderProcess;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.ProcessEngineImpl;
import org.camunda.bpm.engine.impl.jobexecutor.JobExecutor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Prints figures, asserts nothing but the end state: the time the job executor takes to work
 * off {@code benchmark.orders} (10,000) service-order start deadlines that expire at once, each
 * cancelling its order and refunding the customer from escrow, then the same number of expired
 * deadlines on the bare engine (the service-order model with no-op delegates) in the same JVM.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.gigflow.benchmark.DeadlineDrainBenchmark \
 *     [-Dbenchmark.orders=10000] [-Dbenchmark.database=h2|postgres|h2file] [-Dbenchmark.bare=false] [-Dbenchmark.rounds=1]
 *     [-Dbenchmark.warmUp=500]
 *     [-Dbenchmark.args="--camunda.bpm.job-execution.max-pool-size=8"] [-Dbenchmark.queryStatistics=20]</pre>
 *
 * <p>The orders are placed in the same JVM through the engine (the start that /engine-rest and
 * the domain API use, as each customer), with the job executor stopped and a start deadline of
 * one second: when it starts again every deadline has passed, as after a night of providers not
 * starting work or a node coming back. The timers are the model's own boundary timers. With
 * {@code h2file} it measures what a durable commit costs: placing and draining on an H2 file
 * database with H2's delayed writes and with {@code WRITE_DELAY=0}, side by side (no bare run).
 *
 * <p>Before the measured runs {@code benchmark.warmUp} (500) orders are drained the same way, through
 * the application and on the bare engine, unmeasured: draining runs code that placing does not (the
 * timer job, the refund, the end of an instance), and without the warm-up the application's run,
 * which came first, paid for compiling it (JFR counted 30 s of compilations during the application's
 * drain of 2,000 orders, 25 s of CPU in all, and 7 s during the bare run after it).
 *
 * <p>{@code -Dbenchmark.queryStatistics=N} (H2 only) prints after each drain the N statements that
 * took the database longest during it, with how often each ran and the rows it read on average:
 * a statement whose rows grow with the number of orders is a scan the drain pays once an order.
 */
public final class DeadlineDrainBenchmark {

    private static final BigDecimal PRICE = new BigDecimal("10.00");
    private static final int ORDERS_PER_CUSTOMER = 100;

    private DeadlineDrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int orders = Integer.getInteger("benchmark.orders", 10_000);
        int threads = Integer.getInteger("benchmark.clients", 4);
        String database = System.getProperty("benchmark.database", "h2");
        if (database.equals("h2file")) {
            durability(orders, threads);
            return;
        }
        SpringApplication application = new SpringApplication(GigflowApplication.class, PayoutBenchmark.NoOpSteps.class);
        List<String> arguments = new ArrayList<>(PayoutBenchmark.springArguments(database));
        // the orders' deadline of one second is below the customers' floor in production
        arguments.add("--gigflow.service-order.min-start-deadline=PT1S");
        try (ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new))) {
            System.out.printf(Locale.ROOT, "%n== service-order start deadlines on %s, %d orders, %d cores%n", database, orders,
                    Runtime.getRuntime().availableProcessors());
            int warmUp = Integer.getInteger("benchmark.warmUp", 500);
            if (warmUp > 0) {
                drainOrders(context, warmUp, threads, false);
                drainBare(context, warmUp, threads, false);
            }
            Drain full = drainOrders(context, orders, threads, true);
            System.out.printf(Locale.ROOT, "placed (executor off)  : %6.1f orders/s (%d in %.1f s)%n", orders / full.placing, orders, full.placing);
            System.out.printf(Locale.ROOT, "drained, full          : %6.1f orders/s (%d cancelled and refunded in %.1f s, %.1f ms CPU an order)%n",
                    orders / full.draining, orders, full.draining, full.cpuSeconds * 1000 / orders);
            if (!Boolean.parseBoolean(System.getProperty("benchmark.bare", "true"))) {
                return;
            }
            Drain bare = drainBare(context, orders, threads, true);
            System.out.printf(Locale.ROOT, "drained, bare no-op    : %6.1f orders/s (%d in %.1f s, %.1f ms CPU an order)%n",
                    orders / bare.draining, orders, bare.draining, bare.cpuSeconds * 1000 / orders);
            System.out.printf(Locale.ROOT, "ratio bare / full      : %6.2f%n", full.draining / bare.draining);
        }
    }

    record Drain(double placing, double draining, double cpuSeconds) {
    }

    /**
     * {@code -Dbenchmark.database=h2file}: placing and draining on an H2 file database with H2's
     * delayed writes and with {@code WRITE_DELAY=0} ({@link PayoutBenchmark.FileDatabase}), in one
     * run ({@code benchmark.rounds} times, alternating), side by side with the ratio and H2's count
     * of file writes an order.
     */
    private static void durability(int orders, int threads) throws Exception {
        int rounds = Integer.getInteger("benchmark.rounds", 1);
        System.out.printf(Locale.ROOT, "%n== service-order start deadlines on an H2 file database, %d orders, %d cores, %d round(s)%n", orders,
                Runtime.getRuntime().availableProcessors(), rounds);
        Map<PayoutBenchmark.FileDatabase, List<Drain>> drains = new java.util.LinkedHashMap<>();
        Map<PayoutBenchmark.FileDatabase, List<long[]>> writes = new java.util.LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (PayoutBenchmark.FileDatabase setting : PayoutBenchmark.FileDatabase.BOTH) {
                SpringApplication application = new SpringApplication(GigflowApplication.class, PayoutBenchmark.NoOpSteps.class);
                setting.run(application, List.of("--gigflow.service-order.min-start-deadline=PT1S"), context -> {
                    long[] before = PayoutBenchmark.FileDatabase.fileWrites(context);
                    Drain drain = drainOrders(context, orders, threads, true);
                    long[] after = PayoutBenchmark.FileDatabase.fileWrites(context);
                    drains.computeIfAbsent(setting, s -> new ArrayList<>()).add(drain);
                    writes.computeIfAbsent(setting, s -> new ArrayList<>()).add(new long[] {after[0] - before[0], after[1] - before[1]});
                    System.out.printf(Locale.ROOT, "%-34s: placed %6.1f orders/s, drained %6.1f orders/s (%.1f s), %.1f ms CPU an order"
                                    + " drained, %.1f file writes (%.0f KiB) an order placed and drained%n", setting.name(),
                            orders / drain.placing, orders / drain.draining, drain.draining, drain.cpuSeconds * 1000 / orders,
                            (after[0] - before[0]) / (double) orders, (after[1] - before[1]) / 1024.0 / orders);
                });
            }
        }
        PayoutBenchmark.FileDatabase delayed = PayoutBenchmark.FileDatabase.BOTH.get(0);
        PayoutBenchmark.FileDatabase durable = PayoutBenchmark.FileDatabase.BOTH.get(1);
        System.out.printf(Locale.ROOT, "ratio WRITE_DELAY=0 / default: placed orders/s %.2f, drained orders/s %.2f, CPU an order drained %.2f,"
                        + " file writes an order %.2f%n",
                PayoutBenchmark.mean(drains.get(delayed), d -> d.placing) / PayoutBenchmark.mean(drains.get(durable), d -> d.placing),
                PayoutBenchmark.mean(drains.get(delayed), d -> d.draining) / PayoutBenchmark.mean(drains.get(durable), d -> d.draining),
                PayoutBenchmark.mean(drains.get(durable), d -> d.cpuSeconds) / PayoutBenchmark.mean(drains.get(delayed), d -> d.cpuSeconds),
                writes.get(durable).stream().mapToLong(w -> w[0]).sum() / (double) writes.get(delayed).stream().mapToLong(w -> w[0]).sum());
    }

    /** Places and drains {@code orders} orders; {@code measured} false for a warm-up, which prints nothing. */
    private static Drain drainOrders(ConfigurableApplicationContext context, int orders, int threads, boolean measured) throws Exception {
        IdentityService identity = context.getBean(IdentityService.class);
        RuntimeService runtime = context.getBean(RuntimeService.class);
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        Ledger ledger = context.getBean(Ledger.class);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Fixtures fixtures = new Fixtures(identity);
        Http http = Http.unchecked(port);
        Funding funding = new Funding(http, fixtures);
        String provider = fixtures.provider("drainpro");
        String service = http.post(provider, "/api/me/services", json(Map.of("title", "Deadline drain", "basePrice", PRICE.toPlainString(),
                "currency", "EUR", "deliveryDays", 1))).json().get("ref").asText();
        List<String> customers = new ArrayList<>();
        for (int i = 0; i < (orders + ORDERS_PER_CUSTOMER - 1) / ORDERS_PER_CUSTOMER; i++) {
            String customer = fixtures.customer("draincus");
            funding.customer(customer, PRICE.multiply(BigDecimal.valueOf(ORDERS_PER_CUSTOMER)).toPlainString(), "EUR");
            customers.add(customer);
        }

        JobExecutor jobExecutor = jobExecutor(context);
        jobExecutor.shutdown();
        long placing = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            // customers take turns: consecutive deadlines refund different accounts (a customer's
            // postings are serialised by a row lock, so 100 deadlines of one customer in a row
            // drain one at a time, whatever the number of threads)
            String customer = customers.get(i % customers.size());
            runs.add(pool.submit(() -> fixtures.as(customer, () -> runtime.createProcessInstanceByKey(ServiceOrderProcess.KEY)
                    .setVariable(ServiceOrderProcess.VAR_CUSTOMER_ID, customer)
                    .setVariable(ServiceOrderProcess.VAR_SERVICE_REF, service)
                    .setVariable(ServiceOrderProcess.VAR_START_DEADLINE, "PT1S")
                    .execute())));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        double placed = (System.nanoTime() - placing) / 1e9;
        Thread.sleep(1500); // the last deadline passes too

        H2QueryStatistics statistics = H2QueryStatistics.start(context, measured);
        long draining = System.nanoTime();
        double cpu = PayoutBenchmark.cpuSeconds();
        jobExecutor.start();
        awaitDrained(() -> runtime.createProcessInstanceQuery().processDefinitionKey(ServiceOrderProcess.KEY).count(), "the application");
        double drained = (System.nanoTime() - draining) / 1e9;
        double drainCpu = PayoutBenchmark.cpuSeconds() - cpu;
        statistics.print("full drain", orders, "an order");

        long cancelled = jdbc.sql("select count(*) from service_order where provider_id = :p and status = 'CANCELLED' and cancel_reason = 'NOT_STARTED'")
                .param("p", provider).query(Long.class).single();
        long refunds = jdbc.sql("""
                select count(*) from ledger_transfer where idempotency_key in
                    (select 'service-order:' || ref || ':refund' from service_order where provider_id = :p)""")
                .param("p", provider).query(Long.class).single();
        long incidents = runtime.createIncidentQuery().count();
        long fullBalances = customers.stream().filter(c -> ledger.balances(io.gigflow.ledger.AccountRef.user(c)).stream()
                .anyMatch(m -> m.amount().compareTo(PRICE.multiply(BigDecimal.valueOf(ORDERS_PER_CUSTOMER))) == 0)).count();
        List<String> violations = ledger.invariantViolations();
        if (measured) {
            System.out.printf(Locale.ROOT, "end state              : %d cancelled, %d refunds, %d of %d customers refunded in full, %d incidents, "
                    + "ledger %s%n", cancelled, refunds, fullBalances, customers.size(), incidents, violations.isEmpty() ? "sound" : violations);
        }
        if (cancelled != orders || refunds != orders || fullBalances != customers.size() || incidents != 0 || !violations.isEmpty()) {
            throw new IllegalStateException("the drain did not end where it should");
        }
        return new Drain(placed, drained, drainCpu);
    }

    /** The service-order model with every delegate and listener a no-op, its deadlines expired the same way. */
    private static Drain drainBare(ConfigurableApplicationContext context, int orders, int threads, boolean measured) throws Exception {
        ProcessEngine engine = context.getBean(ProcessEngine.class);
        String model = new String(DeadlineDrainBenchmark.class.getResourceAsStream("/bpmn/service-order.bpmn").readAllBytes(),
                StandardCharsets.UTF_8)
                .replace("id=\"service-order\"", "id=\"service-order-noop\"").replace("bpmnElement=\"service-order\"", "bpmnElement=\"service-order-noop\"")
                .replaceAll("delegateExpression=\"\\$\\{[A-Za-z]+Delegate}\"", "delegateExpression=\"\\${noOpDelegate}\"")
                .replaceAll("<camunda:taskListener [^>]*/>", "")
                .replaceAll("delegateExpression=\"\\$\\{[A-Za-z]+Listener}\"", "delegateExpression=\"\\${noOpListener}\"")
                // the real model reads its deadline from the order's row, which the bare instances do not have
                .replace("<bpmn:timeDate xsi:type=\"bpmn:tFormalExpression\">${orderTimers.startDeadline(execution)}</bpmn:timeDate>",
                        "<bpmn:timeDuration xsi:type=\"bpmn:tFormalExpression\">${startDeadline}</bpmn:timeDuration>");
        engine.getRepositoryService().createDeployment().name("benchmark").addString("service-order-noop.bpmn", model).deploy();
        RuntimeService runtime = engine.getRuntimeService();
        JobExecutor jobExecutor = jobExecutor(context);
        jobExecutor.shutdown();
        long placing = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            runs.add(pool.submit(() -> runtime.startProcessInstanceByKey("service-order-noop", Map.of(
                    "providerId", "p", ServiceOrderProcess.VAR_START_DEADLINE, "PT1S"))));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();
        double placed = (System.nanoTime() - placing) / 1e9;
        Thread.sleep(1500);
        H2QueryStatistics statistics = H2QueryStatistics.start(context, measured);
        long draining = System.nanoTime();
        double cpu = PayoutBenchmark.cpuSeconds();
        jobExecutor.start();
        awaitDrained(() -> runtime.createProcessInstanceQuery().processDefinitionKey("service-order-noop").count(), "the bare engine");
        Drain drain = new Drain(placed, (System.nanoTime() - draining) / 1e9, PayoutBenchmark.cpuSeconds() - cpu);
        statistics.print("bare drain", orders, "an order");
        return drain;
    }

    /**
     * Waits until no instance is left. Counting the instances reads every one that is left (on H2
     * 17 ms a count on average through a drain of 3,000, on a busy machine), so the count runs
     * seldom while many are left and often near the end: about once a second while 10,000 are
     * left, every 20 ms for the last 200.
     * Counted every 100 ms, it took the drain's JVM CPU in proportion to the instances left and to
     * the drain's time: the slower drain paid more for being measured.
     */
    private static void awaitDrained(java.util.function.LongSupplier instancesLeft, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        long left;
        while ((left = instancesLeft.getAsLong()) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not drained after 30 minutes, " + left + " instances left");
            }
            Thread.sleep(Math.max(20, Math.min(1000, left / 10)));
        }
    }

    private static JobExecutor jobExecutor(ConfigurableApplicationContext context) {
        return ((ProcessEngineImpl) context.getBean(ProcessEngine.class)).getProcessEngineConfiguration().getJobExecutor();
    }
}
