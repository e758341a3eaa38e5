package io.gigflow.operations;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.metrics.Meter;
import org.camunda.bpm.engine.impl.metrics.MetricsRegistry;
import org.camunda.bpm.engine.management.Metrics;
import org.springframework.stereotype.Component;

/**
 * The job executor's own counts on this node, as Prometheus counters: jobs acquired, executed,
 * failed (each failed attempt, retried or not), acquisition attempts, and jobs the executor's
 * queue rejected. The engine keeps these counts in meters that its database reporter empties
 * every 15 minutes into {@code ACT_RU_METER_LOG}; this plugin gives each of them a meter that
 * also keeps a running total for this node since its start, which is what a counter needs.
 */
@Component
class JobCounters extends AbstractProcessEnginePlugin implements MeterBinder {

    /** Prometheus name (without {@code _total}) by the engine's meter name. */
    private static final Map<String, String> COUNTERS = Map.of(
            Metrics.JOB_ACQUIRED_SUCCESS, "gigflow.jobs.acquired",
            Metrics.JOB_ACQUISITION_ATTEMPT, "gigflow.jobs.acquisition.attempts",
            Metrics.JOB_SUCCESSFUL, "gigflow.jobs.executed",
            Metrics.JOB_FAILED, "gigflow.jobs.failed",
            Metrics.JOB_EXECUTION_REJECTED, "gigflow.jobs.rejected");

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            Metrics.JOB_ACQUIRED_SUCCESS, "Jobs this node's job executor acquired (locked) to run",
            Metrics.JOB_ACQUISITION_ATTEMPT, "Times this node's job executor looked for jobs",
            Metrics.JOB_SUCCESSFUL, "Jobs this node ran successfully",
            Metrics.JOB_FAILED, "Job runs on this node that failed (each is retried until its retries run out, then an incident)",
            Metrics.JOB_EXECUTION_REJECTED, "Acquired jobs this node's executor queue could not take");

    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();

    JobCounters() {
        COUNTERS.keySet().forEach(name -> totals.put(name, new AtomicLong()));
    }

    @Override
    public void postInit(ProcessEngineConfigurationImpl configuration) {
        MetricsRegistry registry = configuration.getMetricsRegistry();
        if (registry == null) {
            return; // metrics switched off: the counters stay at zero
        }
        for (String name : COUNTERS.keySet()) {
            registry.getDbMeters().put(name, new TotalingMeter(name, totals.get(name)));
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        COUNTERS.forEach((name, prometheusName) -> FunctionCounter.builder(prometheusName, totals.get(name), AtomicLong::get)
                .description(DESCRIPTIONS.get(name))
                .register(registry));
    }

    /** The engine's meter (emptied by its reporter) plus a total that is never emptied. */
    static final class TotalingMeter extends Meter {

        private final AtomicLong total;

        TotalingMeter(String name, AtomicLong total) {
            super(name);
            this.total = total;
        }

        @Override
        public void mark() {
            super.mark();
            total.incrementAndGet();
        }

        @Override
        public void markTimes(long times) {
            super.markTimes(times);
            total.addAndGet(times);
        }
    }
}
