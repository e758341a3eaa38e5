package io.gigflow.topup;

import io.gigflow.ledger.AccountRef;
import io.gigflow.shared.Money;
import java.time.OffsetDateTime;

/**
 * One top-up as its row holds it: whose balance it credits, what was asked and what arrived, and
 * who decided. Every step of the process reads this, never the process variables.
 */
record TopUp(long id, String reference, AccountRef.OwnerType ownerType, String ownerId, String registeredBy, TopUpMethod method,
        Money amount, TopUpStatus status, String processInstanceId, OffsetDateTime expiresAt, OffsetDateTime createdAt,
        OffsetDateTime updatedAt, Money receivedAmount, String bankReference, String providerPayment, String confirmedVia,
        String decidedBy, OffsetDateTime decidedAt, String rejectionReason, OffsetDateTime creditedAt) {

    static final String VIA_FINANCE = "FINANCE";
    static final String VIA_PROVIDER = "PROVIDER";

    AccountRef owner() {
        return new AccountRef(ownerType, ownerId);
    }

    boolean isCompany() {
        return ownerType == AccountRef.OwnerType.COMPANY;
    }
}
