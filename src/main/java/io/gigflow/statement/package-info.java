/**
 * Account statements: an owner's ledger entries in a period, with opening and closing balance,
 * as CSV or PDF, for the owner (a person, a company's members) and for operators (any account,
 * escrow and hold accounts included), and the operators' list of every account. It reads the
 * ledger through {@link io.gigflow.ledger.LedgerStatements} and prints through
 * {@link io.gigflow.document.Reports}; it changes nothing.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "ledger", "document"})
package io.gigflow.statement;

import org.springframework.modulith.ApplicationModule;
