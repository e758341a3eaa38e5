package io.gigflow.operations;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read at most once per time to live, however often it is asked for: scrapes of several
 * Prometheus servers, and the many gauges of one scrape, share one read. A read that fails keeps
 * the last value (logged once until a read succeeds again); before the first success it is the
 * fallback.
 */
final class Cached<T> {

    private static final Logger log = LoggerFactory.getLogger(Cached.class);

    private final String what;
    private final Supplier<T> read;
    private final long ttlNanos;
    private T value;
    private long readAt;
    private boolean everRead;
    private boolean failing;

    Cached(String what, Duration ttl, T fallback, Supplier<T> read) {
        this.what = what;
        this.read = read;
        this.ttlNanos = ttl.toNanos();
        this.value = fallback;
    }

    synchronized T get() {
        long now = System.nanoTime();
        if (everRead && now - readAt < ttlNanos) {
            return value;
        }
        try {
            value = read.get();
            if (failing) {
                log.info("Reading the {} for the metrics works again", what);
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("Cannot read the {} for the metrics; the last values stay: {}", what, e.toString());
            }
            failing = true;
        }
        everRead = true;
        readAt = now;
        return value;
    }
}
