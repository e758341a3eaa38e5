/**
 * What operators see: the readiness of the engine and its job executor for the health probes,
 * and the Prometheus metrics of the engine, the ledger and the email outbox (names prefixed
 * {@code gigflow_}). It reads; it changes nothing. The HTTP security of {@code /actuator} lives
 * with the other doors in {@code identity}; the demo data reports its own readiness.
 */
@ApplicationModule(allowedDependencies = {"shared", "ledger", "notification"})
package io.gigflow.operations;

import org.springframework.modulith.ApplicationModule;
