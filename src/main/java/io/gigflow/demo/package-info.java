/**
 * Demo users and data for the default profile, made through the same use cases as a user's clicks.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "ledger", "payout", "order", "milestone", "checklist", "field", "topup"})
package io.gigflow.demo;

import org.springframework.modulith.ApplicationModule;
