package io.gigflow.ledger;

import io.gigflow.shared.Money;
import java.time.OffsetDateTime;

/** A posted transfer; {@code replayed} when the idempotency key had been used and nothing new was posted. */
public record Transfer(long id, String idempotencyKey, AccountRef from, AccountRef to, Money amount,
        String description, OffsetDateTime createdAt, boolean replayed) {
}
