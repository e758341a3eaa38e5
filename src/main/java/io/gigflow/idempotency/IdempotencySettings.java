package io.gigflow.idempotency;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long an Idempotency-Key is kept ({@code gigflow.idempotency.retention}, 24 hours by
 * default) and how often expired keys are removed ({@code cleanup-interval}).
 */
@ConfigurationProperties("gigflow.idempotency")
record IdempotencySettings(Duration retention, Duration cleanupInterval) {

    IdempotencySettings {
        retention = retention == null ? Duration.ofHours(24) : retention;
        cleanupInterval = cleanupInterval == null ? Duration.ofHours(1) : cleanupInterval;
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("gigflow.idempotency.retention must be positive");
        }
        if (cleanupInterval.isNegative() || cleanupInterval.isZero()) {
            throw new IllegalArgumentException("gigflow.idempotency.cleanup-interval must be positive");
        }
    }
}
