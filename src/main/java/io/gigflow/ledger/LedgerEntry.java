package io.gigflow.ledger;

import io.gigflow.shared.Money;
import java.time.OffsetDateTime;

/** One posting as its owner sees it: signed amount, and the balance once it was applied. */
public record LedgerEntry(long postingId, long transferId, OffsetDateTime at, String description,
        Money amount, Money balanceAfter, AccountRef counterparty) {
}
