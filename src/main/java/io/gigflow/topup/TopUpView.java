package io.gigflow.topup;

import java.time.OffsetDateTime;
import org.springframework.lang.Nullable;

/**
 * A top-up as the domain API shows it: what was registered, where to pay it, what arrived and
 * who decided. Amounts are decimal strings in the top-up's currency.
 */
public record TopUpView(long id, String reference, TopUpStatus status, TopUpMethod method, String amount, String currency,
        @Nullable String receivedAmount, Payer payer, String registeredBy, OffsetDateTime createdAt, OffsetDateTime expiresAt,
        PaymentInstructions paymentInstructions, @Nullable String bankReference, @Nullable String providerPayment,
        @Nullable String confirmedVia, @Nullable String decidedBy, @Nullable OffsetDateTime decidedAt,
        @Nullable String rejectionReason, @Nullable OffsetDateTime creditedAt) {

    /** Whose balance is credited: a company (type COMPANY) or a person (type USER). */
    public record Payer(String type, String id) {
    }

    /** Where to send the money: the platform's account and the reference to quote, and the same in words. */
    public record PaymentInstructions(String payee, String iban, String bic, String reference, String text) {
    }
}
