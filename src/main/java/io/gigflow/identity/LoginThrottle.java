package io.gigflow.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed sign-ins per client address in a sliding window: once an address has failed
 * {@code maxFailures} times within the window, it may try again when the oldest of those
 * failures leaves the window. Each address keeps the times of its last {@code maxFailures}
 * failures, nothing else; a bounded cache (least recently failing forgotten first) keeps an
 * attacker with many addresses from filling the memory, and forgets an address a window
 * after its last failure.
 */
final class LoginThrottle {

    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);

    private final int maxFailures;
    private final long windowNanos;
    private final Ticker ticker;
    private final Cache<String, Failures> failures;

    LoginThrottle(LoginThrottleSettings settings, Ticker ticker) {
        this.maxFailures = settings.maxFailures();
        this.windowNanos = settings.window().toNanos();
        this.ticker = ticker;
        this.failures = Caffeine.newBuilder()
                .maximumSize(settings.maxAddresses())
                .expireAfterWrite(settings.window())
                .ticker(ticker)
                .build();
    }

    /** How long the address must wait before it may sign in again; zero when it may now. Logs a throttled address once per window. */
    Duration retryAfter(String address) {
        Failures recent = failures.getIfPresent(address);
        if (recent == null) {
            return Duration.ZERO;
        }
        long now = ticker.read();
        long wait = recent.waitNanos(now);
        if (wait > 0 && recent.firstRefusalSinceLogged(now)) {
            log.warn("Sign-ins from {} are refused for {} s: {} failed sign-ins within {}", address,
                    Duration.ofNanos(wait).toSeconds() + 1, maxFailures, Duration.ofNanos(windowNanos));
        }
        return Duration.ofNanos(wait);
    }

    void failed(String address) {
        long now = ticker.read();
        // compute counts as a write: the address is forgotten a window after its last failure
        failures.asMap().compute(address, (key, recent) -> {
            Failures updated = recent == null ? new Failures(maxFailures, windowNanos) : recent;
            updated.add(now);
            return updated;
        });
    }

    /** The times of an address's last failures, oldest overwritten first. */
    private static final class Failures {

        private final long[] times;
        private final long windowNanos;
        private int next;
        private int count;
        private long loggedUntil;
        private boolean logged;

        Failures(int capacity, long windowNanos) {
            this.times = new long[capacity];
            this.windowNanos = windowNanos;
        }

        synchronized void add(long now) {
            times[next] = now;
            next = (next + 1) % times.length;
            count = Math.min(count + 1, times.length);
        }

        synchronized long waitNanos(long now) {
            if (count < times.length) {
                return 0;
            }
            long oldest = times[next];
            return Math.max(0, oldest + windowNanos - now);
        }

        synchronized boolean firstRefusalSinceLogged(long now) {
            if (logged && now - loggedUntil < 0) {
                return false;
            }
            logged = true;
            loggedUntil = now + windowNanos;
            return true;
        }
    }
}
