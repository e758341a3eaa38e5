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
 * executions; tests call {@link #failNext(String, int)}. Steps: ledger-transfer, pdf, email.
 */
@Component
public class FaultInjector {

    public static final String LEDGER_TRANSFER = "ledger-transfer";
    public static final String PDF = "pdf";
    public static final String EMAIL = "email";

    private final Map<String, Double> rates;
    private final Map<String, AtomicInteger> pending = new ConcurrentHashMap<>();

    public FaultInjector(FaultProperties properties) {
        this.rates = Map.copyOf(properties.rates());
    }

    /** Makes the next {@code times} executions of {@code step} fail. */
    public void failNext(String step, int times) {
        pending.computeIfAbsent(step, s -> new AtomicInteger()).addAndGet(times);
    }

    public void reset() {
        pending.clear();
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
            super("injected fault in step " + step);
        }
    }

    @ConfigurationProperties("gigflow.faults")
    public record FaultProperties(Map<String, Double> rates) {
        public FaultProperties {
            rates = rates == null ? Map.of() : rates;
        }
    }
}
