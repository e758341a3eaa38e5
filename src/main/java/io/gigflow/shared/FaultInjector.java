package io.gigflow.shared;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Fails side-effect steps on purpose, to prove that retries converge and nothing is done
 * twice. Off unless configured: {@code gigflow.faults.rates.<step>=0.2} fails a share of
 * executions; tests call {@link #failNext(String, int)} or switch a rate with
 * {@link #setRate(String, double)} while the application runs (an operator's fix is simulated
 * by switching the fault off again). Steps: ledger-transfer, pdf, email.
 */
@Component
public class FaultInjector {

    public static final String LEDGER_TRANSFER = "ledger-transfer";
    public static final String PDF = "pdf";
    public static final String EMAIL = "email";

    private final Map<String, Double> configured;
    private final Map<String, Double> rates = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();

    public FaultInjector(FaultProperties properties) {
        this.configured = Map.copyOf(properties.rates());
        this.rates.putAll(configured);
    }

    /** Fails this share (0 to 1) of the executions of {@code step} from now on; 0 switches it off. */
    public void setRate(String step, double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("a fault rate is between 0 and 1, not " + rate);
        }
        rates.put(step, rate);
    }

    /** Makes the next {@code times} executions of {@code step} fail. */
    public void failNext(String step, int times) {
        pending.computeIfAbsent(step, s -> new AtomicInteger()).addAndGet(times);
    }

    /** Forgets {@link #failNext} and {@link #setRate}: back to the configured rates. */
    public void reset() {
        pending.clear();
        rates.clear();
        rates.putAll(configured);
    }

    /** Called at the start of a side-effect step; throws when a fault is due. */
    public void check(String step) {
        AtomicInteger count = pending.get(step);
        if (count != null && count.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            throw new InjectedFault(step);
        }
        Double rate = rates.get(step);
        if (rate != null && ThreadLocalRandom.current().nextDouble() < rate) {
            throw new InjectedFault(step);
        }
    }

    public static class InjectedFault extends RuntimeException {
        InjectedFault(String step) {
            // no stack trace: it would only show where the check is, in every failed job's log line
            super("injected fault in step " + step, null, false, false);
        }
    }

    @ConfigurationProperties("gigflow.faults")
    public record FaultProperties(Map<String, Double> rates) {
        public FaultProperties {
            rates = rates == null ? Map.of() : rates;
        }
    }
}
