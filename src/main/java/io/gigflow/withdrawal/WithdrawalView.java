package io.gigflow.withdrawal;

import java.time.OffsetDateTime;
import org.springframework.lang.Nullable;

/**
 * A withdrawal as the API shows it. The requester sees its destination masked; finance sees it
 * in full, as it pays to it.
 */
public record WithdrawalView(String ref, String requesterId, String amount, String currency, long destinationId,
        String destinationKind, String destination, WithdrawalStatus status, @Nullable String decision,
        @Nullable String decidedBy, @Nullable OffsetDateTime decidedAt, @Nullable String bankReference, @Nullable String reason,
        OffsetDateTime requestedAt) {

    static WithdrawalView of(Withdrawal w, boolean full) {
        return new WithdrawalView(w.ref(), w.requesterId(), w.amount().toDecimalString(), w.amount().currencyCode(), w.destinationId(),
                w.destinationKind(), full ? w.destination() : w.destinationMasked(), w.status(), w.decision(), w.decidedBy(), w.decidedAt(),
                w.bankReference(), w.reason(), w.requestedAt());
    }
}
