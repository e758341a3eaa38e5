/**
 * The double-entry ledger. Money moves only through {@link io.gigflow.ledger.Ledger#transfer}, once
 * per idempotency key, never below zero for an owner; balances are read from the postings. The
 * ledger tables belong to this package alone.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity"})
package io.gigflow.ledger;

import org.springframework.modulith.ApplicationModule;
