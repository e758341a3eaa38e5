package io.gigflow.benchmark;

import static io.gigflow.support.Http.json;

import io.gigflow.GigflowApplication;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WorkCounts;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Prints figures, asserts nothing: full task-payout lifecycles through the domain API
 * (create, send, accept, payout, two PDFs, notifications) against the same process shape
 * with no-op delegates on the bare engine, in one JVM, and REST latencies under load.
 *
 * <pre>./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.gigflow.benchmark.PayoutBenchmark \
 *     [-Dbenchmark.lifecycles=300] [-Dbenchmark.clients=8] [-Dbenchmark.database=h2|postgres|h2file] [-Dbenchmark.rounds=3]
 *     [-Dbenchmark.warmUp=50] [-Dbenchmark.countedLifecycles=100] [-Dbenchmark.threads=true] [-Dbenchmark.details=true] [-Dbenchmark.queryStatistics=25]
 *     [-Dbenchmark.otherGrants=0]</pre>
 *
 * With {@code postgres} it uses the database named by GIGFLOW_DB_URL (default a local
 * database {@code gigflow_benchmark} that must exist and be empty). With {@code h2file} it measures
 * what a durable commit costs: the same run on an H2 file database with H2's delayed writes and
 * with {@code WRITE_DELAY=0}, side by side ({@link FileDatabase}).
 */
public final class PayoutBenchmark {

    /** The name (before a number) of the threads that drive lifecycles through HTTP, told apart from the server's. */
    static final String CLIENT_THREAD = "benchmark-client-";

    private PayoutBenchmark() {
    }

    /**
     * {@code benchmark.otherGrants} rows in the engine's authorization table before anything runs,
     * as an installation with open work has them: every open task payout gives its two parties
     * grants of their own (four rows), so 200,000 stand for 50,000 open payouts of 10,000 other
     * people. Written straight into the table (the engine's own inserts would take minutes); they
     * name no one the benchmark signs in as, so they change no decision.
     */
    static void otherPeoplesGrants(ConfigurableApplicationContext context, int grants) {
        if (grants <= 0) {
            return;
        }
        long start = System.nanoTime();
        org.springframework.jdbc.core.JdbcTemplate template = new org.springframework.jdbc.core.JdbcTemplate(
                context.getBean(javax.sql.DataSource.class));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < grants; i++) {
            int resourceType = i % 2 == 0 ? 8 : 7; // the instance (PROCESS_INSTANCE) and its tasks (TASK)
            rows.add(new Object[] {"other-grant-" + i, "other-person-" + (i / 4) % 10_000, resourceType, "other-resource-" + i / 2});
            if (rows.size() == 5_000 || i == grants - 1) {
                template.batchUpdate("insert into ACT_RU_AUTHORIZATION (ID_, TYPE_, USER_ID_, RESOURCE_TYPE_, RESOURCE_ID_, PERMS_, REV_)"
                        + " values (?, 1, ?, ?, ?, 3, 1)", rows);
                rows.clear();
            }
        }
        System.out.printf(Locale.ROOT, "%d other people's grants written in %.1f s (the table holds %d rows)%n", grants,
                (System.nanoTime() - start) / 1e9, context.getBean(JdbcClient.class).sql("select count(*) from ACT_RU_AUTHORIZATION")
                        .query(Long.class).single());
    }

    public static void main(String[] args) throws Exception {
        int lifecycles = Integer.getInteger("benchmark.lifecycles", 300);
        int clients = Integer.getInteger("benchmark.clients", 8);
        String database = System.getProperty("benchmark.database", "h2");
        if (database.equals("h2file")) {
            durability(lifecycles, clients);
            return;
        }
        List<String> arguments = springArguments(database);
        GreenMail smtp = startSmtp(arguments);
        SpringApplication application = new SpringApplication(GigflowApplication.class, NoOpSteps.class, WorkCounts.Install.class);
        try (ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new))) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            WorkCounts work = context.getBean(WorkCounts.class);
            System.out.printf(Locale.ROOT, "%n== task-payout on %s, %d lifecycles, %d clients, %d cores, email to an in-process SMTP server%n",
                    database, lifecycles, clients, Runtime.getRuntime().availableProcessors());
            // a run of each first, unmeasured: class loading and the JIT compiler would otherwise be
            // billed to whichever run comes first
            int warmUp = Integer.getInteger("benchmark.warmUp", 50);
            // CPU and rates are measured without the work counting (a proxy around every JDBC call),
            // the work is counted in runs of its own afterwards
            work.setActive(false);
            otherPeoplesGrants(context, Integer.getInteger("benchmark.otherGrants", 0));
            if (warmUp > 0) {
                throughRest(context, port, warmUp, clients);
                bareEngine(context, warmUp, clients);
            }
            // rounds of each in turn (benchmark.rounds, 3 by default), added up: what the machine does
            // meanwhile falls on both alike, and one run's noise weighs less
            int rounds = Integer.getInteger("benchmark.rounds", 3);
            Result full = null;
            Result bare = null;
            for (int round = 1; round <= rounds; round++) {
                Result api = throughRest(context, port, lifecycles, clients);
                Result engine = bareEngine(context, lifecycles, clients);
                System.out.printf(Locale.ROOT, "round %d: CPU a lifecycle %.1f ms full, %.1f ms bare, ratio %.2f; without the JIT compiler %.2f%n",
                        round, api.cpuMillis(), engine.cpuMillis(), api.cpuMillis() / engine.cpuMillis(),
                        api.steadyCpuMillis() / engine.steadyCpuMillis());
                full = full == null ? api : full.plus(api);
                bare = bare == null ? engine : bare.plus(engine);
            }
            work.setActive(true);
            int counted = Integer.getInteger("benchmark.countedLifecycles", 100);
            Result fullCounted = throughRest(context, port, counted, clients);
            Result bareCounted = bareEngine(context, counted, clients);
            System.out.printf(Locale.ROOT, "through the domain API : %6.1f lifecycles/s (%d in %.1f s)%n", full.perSecond(), full.count, full.seconds);
            System.out.printf(Locale.ROOT, "bare engine, no-op     : %6.1f lifecycles/s (%d in %.1f s)%n", bare.perSecond(), bare.count, bare.seconds);
            System.out.printf(Locale.ROOT, "throughput full / bare : %6.2f%n", full.perSecond() / bare.perSecond());
            System.out.printf(Locale.ROOT, "CPU a lifecycle        : %.1f ms full, %.1f ms bare, ratio %.2f (the JVM's CPU time, which other"
                    + " processes on the machine do not inflate)%n", full.cpuMillis(), bare.cpuMillis(), full.cpuMillis() / bare.cpuMillis());
            System.out.printf(Locale.ROOT, "CPU a lifecycle, no JIT: %.1f ms full, %.1f ms bare, ratio %.2f (without the JIT compiler's threads,"
                    + " which still compile what gets hot after thousands of lifecycles)%n", full.steadyCpuMillis(), bare.steadyCpuMillis(),
                    full.steadyCpuMillis() / bare.steadyCpuMillis());
            System.out.printf(Locale.ROOT, "CPU a lifecycle, server: %.1f ms full (the benchmark's HTTP clients in the same JVM took %.1f ms"
                    + " more), %.1f ms bare, ratio %.2f%n", full.serverCpuMillis(), full.clientCpuMillis(), bare.serverCpuMillis(),
                    full.serverCpuMillis() / bare.serverCpuMillis());
            System.out.printf(Locale.ROOT, "REST latency, closed loop at saturation: p50 %.0f ms, p99 %.0f ms over %d calls%n",
                    percentile(full.latencies, 50), percentile(full.latencies, 99), full.latencies.size());
            printWork(fullCounted.work(), bareCounted.work(), counted);
            H2QueryStatistics statistics = H2QueryStatistics.start(context, true);
            if (statistics.top() > 0) {
                throughRest(context, port, counted, clients);
                statistics.print("through the API", counted, "a lifecycle");
                statistics = H2QueryStatistics.start(context, true);
                bareEngine(context, counted, clients);
                statistics.print("bare engine", counted, "a lifecycle");
            }
            if (Boolean.parseBoolean(System.getProperty("benchmark.openLoop", "true"))) {
                openLoop(context, port, full.perSecond() / 2, Integer.getInteger("benchmark.openLoopLifecycles", lifecycles));
            }
        } finally {
            smtp.stop();
        }
    }

    /** An SMTP server in this JVM that takes every email, so the benchmark measures the production path of notifications. */
    static GreenMail startSmtp(List<String> arguments) {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        arguments.add("--spring.mail.host=127.0.0.1");
        arguments.add("--spring.mail.port=" + smtp.getSmtp().getPort());
        return smtp;
    }

    /**
     * The work a lifecycle does, full and bare: counts that do not depend on the machine (what each
     * change of the code removes or adds), printed as one table. Job acquisition and the benchmark's
     * own progress queries are not counted ({@link WorkCounts}).
     */
    static void printWork(WorkCounts.Snapshot full, WorkCounts.Snapshot bare, int lifecycles) {
        System.out.printf(Locale.ROOT, "%nwork a lifecycle (deterministic)   full     bare%n");
        for (String name : List.of("sql", "sql.engine", "sql.engine.select", "sql.engine.insert", "sql.engine.update", "sql.engine.delete",
                "sql.domain", "sql.domain.select", "sql.domain.insert", "sql.domain.update", "sql.domain.delete", "rows", "rows.engine",
                "rows.domain", "commands", "variables.written", "history.events")) {
            System.out.printf(Locale.ROOT, "  %-30s %8.1f %8.1f%n", name, full.per(name, lifecycles), bare.per(name, lifecycles));
        }
        if (Boolean.getBoolean("benchmark.details")) {
            System.out.printf(Locale.ROOT, "%nin detail (a lifecycle)%62s %8s%n", "full", "bare");
            java.util.Set<String> names = new java.util.TreeSet<>(full.values().keySet());
            names.addAll(bare.values().keySet());
            for (String name : names) {
                if (name.startsWith("command.") || name.startsWith("select.") || name.startsWith("insert.") || name.startsWith("update.") || name.startsWith("delete.")) {
                    System.out.printf(Locale.ROOT, "  %-60s %8.2f %8.2f%n", name, full.per(name, lifecycles), bare.per(name, lifecycles));
                }
            }
        }
    }

    /**
     * REST latency under an open-loop load: lifecycles start at a fixed rate ({@code rate} a second,
     * half what the closed-loop run sustained), whether or not earlier ones have answered, each
     * sending create, send and accept one after the other. Unlike the closed loop, where eight
     * clients always wait in the queue, this shows what a caller waits at a load the system carries.
     */
    static void openLoop(ConfigurableApplicationContext context, int port, double rate, int lifecycles) throws Exception {
        Fixtures fixtures = new Fixtures(context.getBean(IdentityService.class));
        String[] company = fixtures.company("open");
        List<String> contractors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            contractors.add(fixtures.contractor("o"));
        }
        Http http = Http.unchecked(port);
        new Funding(http, fixtures).company(company[1], company[0], "1000000.00", "EUR");
        Map<String, List<Double>> latencies = new java.util.concurrent.ConcurrentHashMap<>();
        for (String call : List.of("create", "send", "accept")) {
            latencies.put(call, Collections.synchronizedList(new ArrayList<>()));
        }
        ExecutorService callers = Executors.newCachedThreadPool();
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < lifecycles; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String contractor = contractors.get(i % contractors.size());
            runs.add(callers.submit(() -> {
                String ref = timed(latencies.get("create"), () -> http.post(company[1], "/api/companies/" + company[0] + "/tasks",
                        json(Map.of("contractorId", contractor, "title", "Benchmark task", "amount", "10.00", "currency", "EUR"))))
                        .json().get("ref").asText();
                timed(latencies.get("send"), () -> http.post(company[1], "/api/tasks/" + ref + "/send", null));
                timed(latencies.get("accept"), () -> http.post(contractor, "/api/tasks/" + ref + "/accept", null));
                return ref;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        callers.shutdown();
        System.out.printf(Locale.ROOT, "%nREST latency, open loop at %.1f lifecycles/s (%.1f requests/s, half the saturating rate), %d lifecycles in %.1f s%n",
                rate, rate * 3, lifecycles, seconds);
        List<Double> all = new ArrayList<>();
        for (Map.Entry<String, List<Double>> call : latencies.entrySet()) {
            all.addAll(call.getValue());
            System.out.printf(Locale.ROOT, "  %-7s p50 %5.0f ms, p95 %5.0f ms, p99 %5.0f ms%n", call.getKey(), percentile(call.getValue(), 50),
                    percentile(call.getValue(), 95), percentile(call.getValue(), 99));
        }
        System.out.printf(Locale.ROOT, "  %-7s p50 %5.0f ms, p95 %5.0f ms, p99 %5.0f ms%n", "all", percentile(all, 50), percentile(all, 95),
                percentile(all, 99));
    }

    /**
     * The application's arguments for a benchmark on {@code database} (h2 in memory, or the
     * PostgreSQL database of GIGFLOW_DB_URL); {@code -Dbenchmark.args="--a=b --c=d"} adds
     * settings to compare (job executor, history level, ...).
     */
    static List<String> springArguments(String database) {
        return springArguments(database, System.getProperty("benchmark.h2url", "jdbc:h2:mem:benchmark;DB_CLOSE_DELAY=-1"));
    }

    /** {@link #springArguments(String)} with the URL of the H2 database (in memory, or a file of {@link FileDatabase}). */
    static List<String> springArguments(String database, String h2Url) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--gigflow.demo.enabled=false",
                "--logging.level.root=warn", "--logging.level.io.gigflow=warn",
                "--camunda.bpm.generic-properties.properties.failedJobRetryTimeCycle=R3/PT1S"));
        if (database.equals("postgres")) {
            arguments.add("--spring.profiles.active=postgres");
            arguments.add("--camunda.bpm.admin-user.password=Benchmark-Pass-1");
            arguments.add("--spring.datasource.url=" + System.getenv().getOrDefault("GIGFLOW_DB_URL",
                    "jdbc:postgresql://127.0.0.1:5432/gigflow_benchmark"));
            arguments.add("--spring.datasource.username=" + System.getenv().getOrDefault("GIGFLOW_DB_USER", "postgres"));
            // the profile's cookies are for TLS only; the benchmark's clients speak plain HTTP to 127.0.0.1 and would
            // not send them back (Tasklist's sign-in then fails its CSRF check)
            arguments.add("--server.servlet.session.cookie.secure=false");
            arguments.add("--camunda.bpm.webapp.csrf.enable-secure-cookie=false");
            arguments.add("--camunda.bpm.webapp.session-cookie.enable-secure-cookie=false");
        } else {
            arguments.add("--spring.datasource.url=" + h2Url);
        }
        String extra = System.getProperty("benchmark.args", "").strip();
        if (!extra.isEmpty()) {
            arguments.addAll(List.of(extra.split("\\s+")));
        }
        return arguments;
    }

    /**
     * The two ways an H2 file database can commit: as H2 does by default (a background thread
     * writes committed changes to the file up to half a second later, so a {@code kill -9} of the
     * JVM loses what was answered meanwhile) and as gigflow's default does ({@code WRITE_DELAY=0}:
     * each commit is in the file before it returns). Each run gets a fresh database in a
     * directory of its own.
     */
    record FileDatabase(String name, String urlSuffix) {

        static final List<FileDatabase> BOTH = List.of(
                new FileDatabase("H2 default (written 0.5 s later)", ""),
                new FileDatabase("WRITE_DELAY=0 (gigflow's default)", ";WRITE_DELAY=0"));

        /** Runs the application on a fresh database of this setting, then deletes the database. */
        void run(SpringApplication application, List<String> extraArguments, BenchmarkRun run) throws Exception {
            java.nio.file.Path directory = java.nio.file.Files.createTempDirectory("gigflow-benchmark");
            String url = "jdbc:h2:file:" + directory.resolve("gigflow").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE" + urlSuffix;
            List<String> arguments = new ArrayList<>(springArguments("h2", url));
            arguments.addAll(extraArguments);
            try (ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new))) {
                run.accept(context);
            } finally {
                try (var files = java.nio.file.Files.walk(directory)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }

        interface BenchmarkRun {
            void accept(ConfigurableApplicationContext context) throws Exception;
        }

        /** H2's own count of writes to the database file (and bytes written) since it was opened. */
        static long[] fileWrites(ConfigurableApplicationContext context) {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            return new long[] {info(jdbc, "info.FILE_WRITE"), info(jdbc, "info.FILE_WRITE_BYTES")};
        }

        private static long info(JdbcClient jdbc, String name) {
            return jdbc.sql("select setting_value from information_schema.settings where setting_name = :name").param("name", name)
                    .query(String.class).optional().map(Long::parseLong).orElse(-1L);
        }
    }

    /**
     * {@code -Dbenchmark.database=h2file}: the same lifecycles on an H2 file database with each
     * {@link FileDatabase} setting in turn, in one run ({@code benchmark.rounds} times, alternating),
     * printed side by side with the ratio, and H2's count of file writes a lifecycle, which does not
     * depend on the machine's load.
     */
    private static void durability(int lifecycles, int clients) throws Exception {
        int rounds = Integer.getInteger("benchmark.rounds", 1);
        int warmUp = Integer.getInteger("benchmark.warmUp", 50);
        System.out.printf(Locale.ROOT, "%n== task-payout on an H2 file database, %d lifecycles, %d clients, %d cores, %d round(s)%n",
                lifecycles, clients, Runtime.getRuntime().availableProcessors(), rounds);
        java.util.Map<FileDatabase, List<Result>> full = new java.util.LinkedHashMap<>();
        java.util.Map<FileDatabase, List<Result>> bare = new java.util.LinkedHashMap<>();
        java.util.Map<FileDatabase, List<long[]>> writes = new java.util.LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (FileDatabase setting : FileDatabase.BOTH) {
                SpringApplication application = new SpringApplication(GigflowApplication.class, NoOpSteps.class);
                setting.run(application, List.of(), context -> {
                    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
                    if (warmUp > 0) {
                        throughRest(context, port, warmUp, clients);
                        bareEngine(context, warmUp, clients);
                    }
                    long[] before = FileDatabase.fileWrites(context);
                    Result api = throughRest(context, port, lifecycles, clients);
                    long[] after = FileDatabase.fileWrites(context);
                    Result engine = bareEngine(context, lifecycles, clients);
                    full.computeIfAbsent(setting, s -> new ArrayList<>()).add(api);
                    bare.computeIfAbsent(setting, s -> new ArrayList<>()).add(engine);
                    writes.computeIfAbsent(setting, s -> new ArrayList<>()).add(new long[] {after[0] - before[0], after[1] - before[1]});
                    System.out.printf(Locale.ROOT, "%-34s: %6.1f lifecycles/s, %.1f ms CPU a lifecycle, REST p50 %.0f ms, p99 %.0f ms,"
                            + " %.1f file writes (%.0f KiB) a lifecycle; bare engine %6.1f lifecycles/s%n", setting.name(), api.perSecond(),
                            api.cpuMillis(), percentile(api.latencies, 50), percentile(api.latencies, 99),
                            (after[0] - before[0]) / (double) lifecycles, (after[1] - before[1]) / 1024.0 / lifecycles, engine.perSecond());
                });
            }
        }
        FileDatabase delayed = FileDatabase.BOTH.get(0);
        FileDatabase durable = FileDatabase.BOTH.get(1);
        System.out.printf(Locale.ROOT, "ratio WRITE_DELAY=0 / default: API lifecycles/s %.2f, CPU a lifecycle %.2f, REST p50 %.2f,"
                        + " file writes a lifecycle %.2f; bare engine lifecycles/s %.2f%n",
                mean(full.get(durable), Result::perSecond) / mean(full.get(delayed), Result::perSecond),
                mean(full.get(durable), Result::cpuMillis) / mean(full.get(delayed), Result::cpuMillis),
                mean(full.get(durable), r -> percentile(r.latencies, 50)) / mean(full.get(delayed), r -> percentile(r.latencies, 50)),
                writes.get(durable).stream().mapToLong(w -> w[0]).sum() / (double) writes.get(delayed).stream().mapToLong(w -> w[0]).sum(),
                mean(bare.get(durable), Result::perSecond) / mean(bare.get(delayed), Result::perSecond));
    }

    static <T> double mean(List<T> values, java.util.function.ToDoubleFunction<T> figure) {
        return values.stream().mapToDouble(figure).average().orElse(Double.NaN);
    }

    /** What a run measured; {@code work} is what it did (fixtures excluded), empty where nothing counted it. */
    record Result(double seconds, int count, List<Double> latencies, double cpuSeconds, WorkCounts.Snapshot work, double compilerSeconds,
            double clientSeconds) {
        double perSecond() {
            return count / seconds;
        }

        double cpuMillis() {
            return cpuSeconds * 1000 / count;
        }

        /** Two runs as one: times, counts and CPU added up. */
        Result plus(Result other) {
            List<Double> both = new ArrayList<>(latencies);
            both.addAll(other.latencies);
            return new Result(seconds + other.seconds, count + other.count, both, cpuSeconds + other.cpuSeconds, work,
                    compilerSeconds + other.compilerSeconds, clientSeconds + other.clientSeconds);
        }

        /** The CPU a lifecycle of the benchmark's own HTTP clients (their threads and the JDK HttpClient's), 0 for the bare engine. */
        double clientCpuMillis() {
            return clientSeconds * 1000 / count;
        }

        /** The CPU a lifecycle without the benchmark's HTTP clients: what the server pays. */
        double serverCpuMillis() {
            return (cpuSeconds - clientSeconds) * 1000 / count;
        }

        /** The CPU a lifecycle without the JIT compiler's threads: what a long-running node pays once its code is compiled. */
        double steadyCpuMillis() {
            return (cpuSeconds - compilerSeconds) * 1000 / count;
        }
    }

    /** Every live thread's CPU time so far, by thread id, with its name; and the JIT compiler's and collector's times. */
    record JvmTimes(Map<Long, Map.Entry<String, Long>> threads, long compileMillis, long gcMillis, Map<String, Long> native_) {
        static JvmTimes now() {
            long gc = 0;
            for (java.lang.management.GarbageCollectorMXBean collector : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                gc += Math.max(0, collector.getCollectionTime());
            }
            return new JvmTimes(threadCpu(), java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime(), gc,
                    nativeThreadCpu());
        }

        /** The CPU time of the JIT compiler's threads so far, in seconds (0 where the system does not tell). */
        double compilerSeconds() {
            return native_.getOrDefault("JIT compiler", 0L) / 1e9;
        }

        /**
         * The CPU time the benchmark's HTTP clients used since these times were taken, in seconds: the
         * threads that send the requests and read the answers, and the JDK HttpClient's own threads.
         * Read while the clients' threads still live (a thread's time ends with it).
         */
        double clientSecondsSince() {
            long used = 0;
            for (Map.Entry<Long, Map.Entry<String, Long>> now : threadCpu().entrySet()) {
                String name = now.getValue().getKey();
                if (name.startsWith(CLIENT_THREAD) || name.startsWith("HttpClient-")) {
                    Map.Entry<String, Long> before = threads.get(now.getKey());
                    used += now.getValue().getValue() - (before == null ? 0 : before.getValue());
                }
            }
            return used / 1e9;
        }
    }

    /**
     * The CPU time so far of the JVM's own threads, which {@code ThreadMXBean} does not show, by
     * kind: the JIT compiler's, the garbage collector's, the rest of the VM's; read from Linux's
     * {@code /proc/self/task} (clock ticks of 10 ms; empty on other systems).
     */
    static Map<String, Long> nativeThreadCpu() {
        Map<String, Long> cpu = new java.util.HashMap<>();
        java.nio.file.Path tasks = java.nio.file.Path.of("/proc/self/task");
        if (!java.nio.file.Files.isDirectory(tasks)) {
            return cpu;
        }
        try (var list = java.nio.file.Files.list(tasks)) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) list::iterator) {
                try {
                    String name = java.nio.file.Files.readString(task.resolve("comm")).strip();
                    String kind = name.contains("CompilerThre") ? "JIT compiler"
                            : name.startsWith("GC Thread") || name.startsWith("G1 ") ? "garbage collector"
                            : name.equals("VM Thread") || name.equals("VM Periodic Tas") ? "VM" : null;
                    if (kind == null) {
                        continue;
                    }
                    String stat = java.nio.file.Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // fields from the third of stat on: utime and stime are the 14th and 15th of stat
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    cpu.merge(kind, ticks * 10_000_000L, Long::sum);
                } catch (java.io.IOException | RuntimeException threadEnded) {
                    // a thread that ended while listed
                }
            }
        } catch (java.io.IOException unreadable) {
            return cpu;
        }
        return cpu;
    }

    static Map<Long, Map.Entry<String, Long>> threadCpu() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Map.Entry<String, Long>> cpu = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long time = threads.getThreadCpuTime(info.getThreadId());
                if (time >= 0) {
                    cpu.put(info.getThreadId(), Map.entry(info.getThreadName(), time));
                }
            }
        }
        return cpu;
    }

    /**
     * With {@code -Dbenchmark.threads=true}: where a run's CPU went, a lifecycle, by kind of thread
     * (the name without its numbers); what the JVM used beyond its Java threads (garbage collector,
     * JIT compiler) is the remainder.
     */
    static void printThreads(String run, JvmTimes startTimes, double processSeconds, int lifecycles) {
        JvmTimes end = JvmTimes.now();
        System.out.printf(Locale.ROOT, "%s: JIT compiler %.1f ms a lifecycle (its threads' time; near 0 once warm), collector pauses %.1f ms%n",
                run, (end.compileMillis() - startTimes.compileMillis()) / (double) lifecycles,
                (end.gcMillis() - startTimes.gcMillis()) / (double) lifecycles);
        if (!Boolean.getBoolean("benchmark.threads")) {
            return;
        }
        Map<Long, Map.Entry<String, Long>> start = startTimes.threads();
        Map<String, Long> byKind = new java.util.TreeMap<>();
        long total = 0;
        for (Map.Entry<Long, Map.Entry<String, Long>> now : end.threads().entrySet()) {
            Map.Entry<String, Long> before = start.get(now.getKey());
            long used = now.getValue().getValue() - (before == null ? 0 : before.getValue());
            byKind.merge(now.getValue().getKey().replaceAll("[0-9]+", "#"), used, Long::sum);
            total += used;
        }
        System.out.printf(Locale.ROOT, "CPU a lifecycle by thread, %s (ms):%n", run);
        byKind.entrySet().stream().filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> System.out.printf(Locale.ROOT, "  %-40s %7.2f%n", e.getKey(), e.getValue() / 1e6 / lifecycles));
        long jvm = 0;
        for (Map.Entry<String, Long> kind : end.native_().entrySet()) {
            long used = kind.getValue() - startTimes.native_().getOrDefault(kind.getKey(), 0L);
            jvm += used;
            System.out.printf(Locale.ROOT, "  %-40s %7.2f%n", "(" + kind.getKey() + ")", used / 1e6 / lifecycles);
        }
        System.out.printf(Locale.ROOT, "  %-40s %7.2f%n", "(the rest, and threads that ended)", (processSeconds * 1e9 - total - jvm) / 1e6 / lifecycles);
    }

    /** The CPU time this JVM has used so far (all threads: the application's and the clients'). */
    static double cpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** create → send → accept through HTTP; done when the task is PAID and both PDFs exist. */
    private static Result throughRest(ConfigurableApplicationContext context, int port, int lifecycles, int clients) throws Exception {
        Fixtures fixtures = new Fixtures(context.getBean(IdentityService.class));
        String[] company = fixtures.company("bench");
        List<String> contractors = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            contractors.add(fixtures.contractor("c"));
        }
        Http http = Http.unchecked(port);
        new Funding(http, fixtures).company(company[1], company[0], "1000000.00", "EUR");
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger numbers = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients, task -> new Thread(task, CLIENT_THREAD + numbers.incrementAndGet()));
        WorkCounts.Snapshot work = workSnapshot(context);
        double cpu = cpuSeconds();
        JvmTimes threads = JvmTimes.now();
        long start = System.nanoTime();
        List<Future<?>> runs = new ArrayList<>();
        for (int i = 0; i < lifecycles; i++) {
            String contractor = contractors.get(i % clients);
            runs.add(pool.submit(() -> {
                String ref = timed(latencies, () -> http.post(company[1], "/api/companies/" + company[0] + "/tasks",
                        json(Map.of("contractorId", contractor, "title", "Benchmark task", "amount", "10.00", "currency", "EUR"))))
                        .json().get("ref").asText();
                timed(latencies, () -> http.post(company[1], "/api/tasks/" + ref + "/send", null));
                timed(latencies, () -> http.post(contractor, "/api/tasks/" + ref + "/accept", null));
                return ref;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline) {
            long[] progress = WorkCounts.uncounted(() -> new long[] {
                jdbc.sql("select count(*) from payout_task where status = 'PAID' and company_id = :c").param("c", company[0])
                        .query(Long.class).single(),
                jdbc.sql("select count(*) from document where company_id = :c").param("c", company[0]).query(Long.class).single(),
                jdbc.sql("select count(*) from notification where email_status = 'PENDING'").query(Long.class).single()});
            if (progress[0] == lifecycles && progress[1] == 2L * lifecycles && progress[2] == 0) {
                break;
            }
            // the two counts cost the application's CPU too: polled every 20 ms they took a tenth of it
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // before the pool ends its threads, whose CPU time ends with them
        double clientSeconds = threads.clientSecondsSince();
        pool.shutdown();
        double used = cpuSeconds() - cpu;
        printThreads("through the API", threads, used, lifecycles);
        return new Result(seconds, lifecycles, latencies, used, workSnapshot(context).minus(work),
                JvmTimes.now().compilerSeconds() - threads.compilerSeconds(), clientSeconds);
    }

    /** The same BPMN with every delegate and listener replaced by a no-op, driven through the engine API. */
    private static Result bareEngine(ConfigurableApplicationContext context, int lifecycles, int clients) throws Exception {
        ProcessEngine engine = context.getBean(ProcessEngine.class);
        String model = new String(PayoutBenchmark.class.getResourceAsStream("/bpmn/task-payout.bpmn").readAllBytes(), StandardCharsets.UTF_8)
                .replace("id=\"task-payout\"", "id=\"task-payout-noop\"").replace("bpmnElement=\"task-payout\"", "bpmnElement=\"task-payout-noop\"")
                .replaceAll("delegateExpression=\"\\$\\{[A-Za-z]+Delegate}\"", "delegateExpression=\"\\${noOpDelegate}\"")
                .replaceAll("delegateExpression=\"\\$\\{[A-Za-z]+Listener}\"", "delegateExpression=\"\\${noOpListener}\"")
                .replace("taskListener delegateExpression=\"${noOpListener}\"", "taskListener delegateExpression=\"${noOpTaskListener}\"")
                .replace("payoutRoutes.", "noOpRoutes.");
        if (engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey("task-payout-noop").count() == 0) {
            engine.getRepositoryService().createDeployment().name("benchmark").addString("task-payout-noop.bpmn", model).deploy();
        }
        RuntimeService runtime = engine.getRuntimeService();
        TaskService tasks = engine.getTaskService();
        ManagementService management = engine.getManagementService();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        WorkCounts.Snapshot work = workSnapshot(context);
        double cpu = cpuSeconds();
        JvmTimes threads = JvmTimes.now();
        long start = System.nanoTime();
        List<Future<String>> runs = new ArrayList<>();
        for (int i = 0; i < lifecycles; i++) {
            runs.add(pool.submit(() -> {
                String id = runtime.startProcessInstanceByKey("task-payout-noop", Map.of("companyId", "bench", "contractorId", "c")).getId();
                tasks.complete(tasks.createTaskQuery().processInstanceId(id).singleResult().getId(), Map.of("draftDecision", "SEND"));
                tasks.complete(tasks.createTaskQuery().processInstanceId(id).singleResult().getId(), Map.of("decision", "ACCEPT"));
                return id;
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> run : runs) {
            ids.add(run.get());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (System.nanoTime() < deadline && WorkCounts.uncounted(
                () -> runtime.createProcessInstanceQuery().processDefinitionKey("task-payout-noop").count()) > 0) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double used = cpuSeconds() - cpu;
        printThreads("bare engine", threads, used, ids.size());
        return new Result(seconds, ids.size(), List.of(), used, workSnapshot(context).minus(work),
                JvmTimes.now().compilerSeconds() - threads.compilerSeconds(), 0);
    }

    /** The work counted so far, or nothing where the application runs without {@link WorkCounts.Install}. */
    static WorkCounts.Snapshot workSnapshot(ConfigurableApplicationContext context) {
        return context.getBeanProvider(WorkCounts.class).getIfAvailable(WorkCounts::new).snapshot();
    }

    private static <T> T timed(List<Double> latencies, java.util.concurrent.Callable<T> call) throws Exception {
        long start = System.nanoTime();
        T result = call.call();
        latencies.add((System.nanoTime() - start) / 1e6);
        return result;
    }

    private static double percentile(List<Double> values, int percentile) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }

    /** The no-op steps of the bare-engine run (a source of the application here only: not scanned by other tests). */
    static class NoOpSteps {

        @Bean
        JavaDelegate noOpDelegate() {
            return execution -> { };
        }

        @Bean
        ExecutionListener noOpListener() {
            return execution -> { };
        }

        @Bean
        TaskListener noOpTaskListener() {
            return task -> { };
        }

        @Bean
        NoOpRoutes noOpRoutes() {
            return new NoOpRoutes();
        }
    }

    /** The model's routes and timer without rows: from the variables the bare run completes with. */
    public static class NoOpRoutes {

        public boolean sendToPayment(DelegateExecution execution) {
            return "SEND".equals(execution.getVariable("draftDecision"));
        }

        public boolean deleteDraft(DelegateExecution execution) {
            return "DELETE".equals(execution.getVariable("draftDecision"));
        }

        public boolean accepted(DelegateExecution execution) {
            return "ACCEPT".equals(execution.getVariable("decision"));
        }

        public boolean declined(DelegateExecution execution) {
            return "DECLINE".equals(execution.getVariable("decision"));
        }

        public String acceptanceReminder(DelegateExecution execution) {
            return "P3D";
        }
    }
}
