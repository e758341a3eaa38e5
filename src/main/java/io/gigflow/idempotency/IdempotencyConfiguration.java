package io.gigflow.idempotency;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.Transactions;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Puts {@link IdempotencyFilter} behind the sign-in of the domain API (after Spring Security's
 * filters, so it knows who asks) and removes expired keys every
 * {@code gigflow.idempotency.cleanup-interval}.
 */
@Configuration
class IdempotencyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(IdempotencyConfiguration.class);

    private final IdempotencyKeys keys;
    private final IdempotencySettings settings;
    private final ScheduledExecutorService cleanup = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "gigflow-idempotency-cleanup");
        thread.setDaemon(true);
        return thread;
    });

    IdempotencyConfiguration(IdempotencyKeys keys, IdempotencySettings settings) {
        this.keys = keys;
        this.settings = settings;
    }

    @Bean
    FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(Transactions transactions, CurrentUser currentUser) {
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(
                new IdempotencyFilter(keys, transactions, currentUser));
        registration.setName("gigflow-idempotency");
        registration.addUrlPatterns("/api/*");
        // after Spring Security's filter chain (-100), which signs the caller in
        registration.setOrder(0);
        return registration;
    }

    @EventListener(ApplicationReadyEvent.class)
    void scheduleCleanup() {
        long every = settings.cleanupInterval().toMillis();
        cleanup.scheduleWithFixedDelay(this::removeExpired, 0, every, TimeUnit.MILLISECONDS);
    }

    void removeExpired() {
        try {
            int removed = keys.removeExpired();
            if (removed > 0) {
                log.info("Removed {} expired Idempotency-Keys", removed);
            }
        } catch (RuntimeException e) {
            // the next run tries again; a failure must not cancel the schedule
            log.warn("Removing expired Idempotency-Keys failed", e);
        }
    }

    @PreDestroy
    void stop() {
        cleanup.shutdownNow();
    }
}
