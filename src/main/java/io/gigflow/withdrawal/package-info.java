/**
 * The withdrawal lifecycle: a person's money leaving the platform to a payout destination on
 * its profile. The amount is held at once (WITHDRAWAL:&lt;ref&gt;); finance pays it out or rejects
 * it, the requester may cancel it while it waits. It owns its BPMN ids
 * ({@link io.gigflow.withdrawal.WithdrawalProcess}), the payout destinations, its tables and its
 * API, and uses the kernel only through the kernel's public services.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "ledger", "notification"})
package io.gigflow.withdrawal;

import org.springframework.modulith.ApplicationModule;
