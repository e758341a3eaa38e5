package io.gigflow.demo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code demoData} health contributor (in the readiness group): with demo data on
 * ({@code gigflow.demo.enabled}, the default profile), OUT_OF_SERVICE until {@link DemoData} has
 * found or created every demo user and item, so a client that waits for readiness never meets a
 * half-made demo (the server answers requests seconds before that). UP at once when demo data is off.
 */
@Component("demoDataHealthIndicator")
class DemoDataReadiness implements HealthIndicator {

    private final boolean enabled;
    private volatile boolean ready;

    DemoDataReadiness(@Value("${gigflow.demo.enabled:false}") boolean enabled) {
        this.enabled = enabled;
    }

    void ready() {
        ready = true;
    }

    @Override
    public Health health() {
        if (!enabled) {
            return Health.up().withDetail("demoData", "off").build();
        }
        return ready ? Health.up().withDetail("demoData", "ready").build()
                : Health.outOfService().withDetail("demoData", "being created").build();
    }
}
