package io.gigflow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The payment provider as the platform meets it: it posts signed events to
 * {@code POST /api/webhooks/payments} (no sign-in; {@code Gigflow-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256(secret, t + "." + body)>}), signing each delivery afresh, as a provider does when it
 * delivers an event again. A delivery lost with the node (no answer) throws
 * {@link UncheckedIOException}, like {@link Http}.
 */
public final class PaymentProvider {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String secret;

    public PaymentProvider(int port, String secret) {
        this.base = "http://127.0.0.1:" + port;
        this.secret = secret;
    }

    /** The body of a {@code payment.succeeded} event for the top-up with payment reference {@code reference}. */
    public static String paymentSucceeded(String eventId, String reference, String amount, String currency, String providerPayment) {
        return Http.json(Map.of("id", eventId, "type", "payment.succeeded", "data", Map.of("reference", reference, "amount", amount,
                "currency", currency, "providerPayment", providerPayment)));
    }

    /** Delivers {@code body}, signed now with the shared secret. */
    public Http.Response deliver(String body) {
        long now = Instant.now().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/webhooks/payments")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("Gigflow-Signature", "t=" + now + ",v1=" + sign(secret, now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Http.Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** What the provider computes: hex HMAC-SHA256 of "t.body" with the shared secret. */
    public static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
