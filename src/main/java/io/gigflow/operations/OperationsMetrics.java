package io.gigflow.operations;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.NotificationService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The Prometheus gauges read from the database: running process instances and open incidents per
 * process key, due jobs and the wait of the oldest, the ledger's totals per owner type and
 * currency, the email outbox, and the ledger's invariant violations. A scrape reads the database
 * at most once per {@code gigflow.operations.metrics-cache-ttl} (the invariant check once per
 * {@code invariants-cache-ttl}), however many gauges and scrapers there are.
 *
 * <p>Label values that appear later (a new currency, a new process) get their gauges when a
 * scrape first sees them, and show from the next scrape on.
 */
@Component
class OperationsMetrics implements MeterBinder {

    /** Ledger owner types as operators name them in the {@code account} label. */
    static final Map<AccountRef.OwnerType, String> ACCOUNTS = Map.of(
            AccountRef.OwnerType.ESCROW, "escrow",
            AccountRef.OwnerType.WITHDRAWAL, "holds",
            AccountRef.OwnerType.EXTERNAL, "external",
            AccountRef.OwnerType.PLATFORM, "platform",
            AccountRef.OwnerType.COMPANY, "companies",
            AccountRef.OwnerType.USER, "users");

    /** One read of everything but the invariants. Keys of the maps are label values. */
    record Snapshot(Map<String, Long> instances, Map<String, Long> incidents, long dueJobs, double oldestDueJobSeconds,
            Map<List<String>, Double> ledger, long outboxDepth, double oldestUnsentEmailSeconds, long outboxFailed) {

        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0, 0, Map.of(), 0, 0, 0);
    }

    private final ProcessEngine engine;
    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final NotificationService notifications;
    private final Clock clock = Clock.systemUTC();
    private final Cached<Snapshot> snapshot;
    private final Cached<Long> invariantViolations;
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;

    OperationsMetrics(ProcessEngine engine, JdbcClient jdbc, Ledger ledger, NotificationService notifications, OperationsSettings settings) {
        this.engine = engine;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.notifications = notifications;
        this.snapshot = new Cached<>("engine, ledger and outbox figures", settings.metricsCacheTtl(), Snapshot.EMPTY, this::read);
        this.invariantViolations = new Cached<>("ledger's invariants", settings.invariantsCacheTtl(), -1L,
                () -> (long) ledger.invariantViolations().size());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        gauge("gigflow.jobs.due", "Jobs that are due and not done (retries left, not suspended)", Tags.empty(), s -> s.dueJobs());
        gauge("gigflow.jobs.oldest.due.age", "How long the oldest due job has waited for the job executor (0 when none waits)",
                "seconds", Tags.empty(), Snapshot::oldestDueJobSeconds);
        gauge("gigflow.outbox.depth", "Emails waiting to be sent to the SMTP server", Tags.empty(), s -> s.outboxDepth());
        gauge("gigflow.outbox.failed", "Emails whose every attempt failed, waiting for an operator's retry (/api/operator/emails)",
                Tags.empty(), s -> s.outboxFailed());
        gauge("gigflow.outbox.oldest.age", "How long the oldest unsent email has waited (0 when none waits)", "seconds", Tags.empty(),
                Snapshot::oldestUnsentEmailSeconds);
        Gauge.builder("gigflow.ledger.invariant.violations", invariantViolations, cached -> cached.get())
                .description("Broken ledger invariants (postings not summing to zero, a transfer without two postings, an owner below"
                        + " zero); -1 until first read")
                .strongReference(true)
                .register(registry);
    }

    /** Reads once when the application is ready, so the per-process and per-currency gauges exist at the first scrape. */
    @EventListener(ApplicationReadyEvent.class)
    void registerKnownLabels() {
        current();
    }

    private Snapshot current() {
        Snapshot now = snapshot.get();
        MeterRegistry target = registry;
        if (target != null) {
            registerLabels(target, now);
        }
        return now;
    }

    private void registerLabels(MeterRegistry target, Snapshot now) {
        for (String process : now.instances().keySet()) {
            if (registered.add("process:" + process)) {
                Tags tags = Tags.of("process", process);
                gauge(target, "gigflow.process.instances", "Running process instances of the process", null, tags,
                        s -> s.instances().getOrDefault(process, 0L));
                gauge(target, "gigflow.incidents", "Open incidents in instances of the process (a step that ran out of retries)", null, tags,
                        s -> s.incidents().getOrDefault(process, 0L));
            }
        }
        for (List<String> key : now.ledger().keySet()) {
            if (registered.add("ledger:" + key)) {
                gauge(target, "gigflow.ledger.balance", "The sum of the balances of the accounts of one kind in one currency", null,
                        Tags.of("account", key.get(0), "currency", key.get(1)), s -> s.ledger().getOrDefault(key, 0.0));
            }
        }
    }

    private void gauge(String name, String description, Tags tags, ToDoubleFunction<Snapshot> value) {
        gauge(registry, name, description, null, tags, value);
    }

    private void gauge(String name, String description, String unit, Tags tags, ToDoubleFunction<Snapshot> value) {
        gauge(registry, name, description, unit, tags, value);
    }

    private void gauge(MeterRegistry target, String name, String description, String unit, Tags tags, ToDoubleFunction<Snapshot> value) {
        Gauge.builder(name, this, metrics -> value.applyAsDouble(metrics.current()))
                .description(description)
                .baseUnit(unit)
                .tags(tags)
                .strongReference(true)
                .register(target);
    }

    private Snapshot read() {
        Instant now = clock.instant();
        Map<String, Long> instances = new TreeMap<>();
        Map<String, Long> incidents = new TreeMap<>();
        for (ProcessDefinition definition : engine.getRepositoryService().createProcessDefinitionQuery().latestVersion().list()) {
            String key = definition.getKey();
            instances.put(key, engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(key).count());
            incidents.put(key, engine.getRuntimeService().createIncidentQuery().processDefinitionKeyIn(key).count());
        }
        // the engine's job table: due (no due date means at once), retries left, active
        Map<String, Object> jobs = jdbc.sql("""
                select count(*) due, min(coalesce(DUEDATE_, CREATE_TIME_)) oldest from ACT_RU_JOB
                where RETRIES_ > 0 and SUSPENSION_STATE_ = 1 and (DUEDATE_ is null or DUEDATE_ <= :now)""")
                .param("now", Timestamp.from(now))
                .query((rs, n) -> Map.<String, Object>of("due", rs.getLong(1),
                        "oldest", rs.getTimestamp(2) == null ? now : rs.getTimestamp(2).toInstant()))
                .single();
        Map<List<String>, Double> totals = new TreeMap<>((a, b) -> String.join(":", a).compareTo(String.join(":", b)));
        for (Ledger.Total total : ledger.totals()) {
            totals.put(List.of(ACCOUNTS.get(total.type()), total.currency().getCurrencyCode()), total.amount().doubleValue());
        }
        NotificationService.Outbox outbox = notifications.outbox();
        double oldestEmail = outbox.oldestPendingSince() == null ? 0 : seconds(outbox.oldestPendingSince().toInstant(), now);
        return new Snapshot(instances, incidents, (Long) jobs.get("due"), seconds((Instant) jobs.get("oldest"), now), totals,
                outbox.pending(), oldestEmail, outbox.failed());
    }

    private static double seconds(Instant since, Instant now) {
        return Math.max(0, Duration.between(since, now).toMillis() / 1000.0);
    }
}
