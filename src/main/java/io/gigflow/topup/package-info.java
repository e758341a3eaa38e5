/**
 * The top-up lifecycle: money entering the platform. A company member (for the company) or a
 * customer (for itself) registers a top-up with a payment reference the platform generates;
 * finance confirms the funds in Tasklist (or the domain API), or a payment provider's signed
 * webhook does, and only then is the payer's balance credited, once. It owns its BPMN ids
 * ({@link io.gigflow.topup.TopUpProcess}), its tables and its API, and uses the kernel only
 * through the kernel's public services.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "ledger", "notification"})
package io.gigflow.topup;

import org.springframework.modulith.ApplicationModule;
