/**
 * The task-payout lifecycle: a company pays a contractor for a task. It owns its BPMN ids
 * ({@link io.gigflow.payout.TaskPayoutProcess}), its delegates, its tables and its API, and uses the
 * kernel only through the kernel's public services.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "ledger", "notification", "document"})
package io.gigflow.payout;

import org.springframework.modulith.ApplicationModule;
