package io.gigflow.operations;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gigflow.operations}: how long the metrics read from the database are kept before a scrape
 * reads them again. {@code metricsCacheTtl} for the engine, ledger and outbox figures (a few
 * queries), {@code invariantsCacheTtl} for the ledger's invariant check (a scan of every posting).
 */
@ConfigurationProperties("gigflow.operations")
record OperationsSettings(@DefaultValue("PT5S") Duration metricsCacheTtl, @DefaultValue("PT1M") Duration invariantsCacheTtl) {

    OperationsSettings {
        if (metricsCacheTtl.isNegative() || invariantsCacheTtl.isNegative()) {
            throw new IllegalArgumentException("gigflow.operations cache times must not be negative");
        }
    }
}
