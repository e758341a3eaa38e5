package io.gigflow.topup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The payment provider's webhook: the shared secret its events are signed with (HMAC-SHA256) and
 * how far an event's timestamp may be from now. Without a secret the webhook answers 503 to every
 * call: the {@code postgres} profile has no default, an operator must set one.
 */
@ConfigurationProperties("gigflow.payments")
record PaymentWebhookSettings(String webhookSecret, Duration webhookTolerance) {

    PaymentWebhookSettings {
        webhookSecret = webhookSecret == null || webhookSecret.isBlank() ? null : webhookSecret;
        webhookTolerance = webhookTolerance == null ? Duration.ofMinutes(5) : webhookTolerance;
    }

    boolean configured() {
        return webhookSecret != null;
    }
}
