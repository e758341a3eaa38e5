package io.gigflow.topup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The top-up lifecycle's settings: how long a registered top-up waits for its funds before it
 * expires, and the account payers transfer to (shown with the payment reference).
 */
@ConfigurationProperties("gigflow.top-up")
record TopUpSettings(Duration expiresAfter, String payee, String iban, String bic) {

    TopUpSettings {
        expiresAfter = expiresAfter == null ? Duration.ofDays(14) : expiresAfter;
        if (expiresAfter.isNegative() || expiresAfter.isZero()) {
            throw new IllegalArgumentException("gigflow.top-up.expires-after must be positive, not " + expiresAfter);
        }
        payee = payee == null ? "gigflow payments" : payee;
        iban = iban == null ? "DE89370400440532013000" : iban;
        bic = bic == null ? "COBADEFFXXX" : bic;
    }
}
