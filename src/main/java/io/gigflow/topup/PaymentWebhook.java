package io.gigflow.topup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.Transactions;
import io.gigflow.shared.UnprocessableException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.camunda.bpm.engine.RuntimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * The payment provider's webhook: a signed event reporting a payment of a top-up. The signature
 * ({@code Gigflow-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + raw body)>},
 * several v1 allowed while the provider rolls its secret) is checked over the raw bytes before
 * anything is parsed, in constant time, and the timestamp must be within the tolerance. Each
 * event id takes effect once: the event's row is written in the transaction of its effect, and a
 * replay answers the first outcome. Every refusal changes nothing and is logged at WARN without
 * the secret or the body.
 */
@Service
class PaymentWebhook {

    static final String SIGNATURE_HEADER = "Gigflow-Signature";
    static final String PAYMENT_SUCCEEDED = "payment.succeeded";
    static final String PROVIDER = "payment-provider";
    private static final Logger log = LoggerFactory.getLogger(PaymentWebhook.class);

    /** What the webhook answers: the status and the JSON body. */
    record Outcome(int status, Map<String, Object> body) {
    }

    /** A refusal before the event is read: bad or missing signature (401), stale or malformed (400), not configured (503). */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final PaymentWebhookSettings settings;
    private final TopUpRepository topUps;
    private final RuntimeService runtimeService;
    private final Transactions transactions;
    private final TimeSource time;
    private final ObjectMapper json;

    PaymentWebhook(PaymentWebhookSettings settings, TopUpRepository topUps, RuntimeService runtimeService, Transactions transactions,
            TimeSource time, ObjectMapper json) {
        this.settings = settings;
        this.topUps = topUps;
        this.runtimeService = runtimeService;
        this.transactions = transactions;
        this.time = time;
        this.json = json;
        if (!settings.configured()) {
            log.warn("gigflow.payments.webhook-secret is not set: POST /api/webhooks/payments refuses every event (503)");
        }
    }

    Outcome receive(String signature, byte[] body) {
        try {
            verify(signature, body == null ? new byte[0] : body);
        } catch (Refused refused) {
            log.warn("payment webhook refused ({}): {}", refused.status, refused.getMessage());
            throw refused;
        }
        JsonNode event;
        try {
            event = json.readTree(body);
        } catch (java.io.IOException e) {
            log.warn("payment webhook refused (400): a correctly signed body that is not JSON");
            throw InvalidInputException.of("Invalid event", "body", "format", "must be a JSON event");
        }
        FieldErrors errors = new FieldErrors();
        String eventId = errors.requiredText("id", text(event, "id"), 200);
        String type = errors.requiredText("type", text(event, "type"), 100);
        errors.throwIfAny("Invalid event");
        try {
            return transactions.retryingOnConcurrentChange(() -> apply(eventId, type, event.path("data")));
        } catch (DuplicateKeyException raced) {
            // the same event arrived twice at once; the other one took effect: answer its outcome
            return transactions.retryingOnConcurrentChange(() -> replay(eventId).orElseThrow(() -> raced));
        } catch (InvalidInputException | NotFoundException | ConflictException | UnprocessableException refused) {
            log.warn("payment webhook refused event {} ({}): {}", eventId, refused.getClass().getSimpleName(), refused.getMessage());
            throw refused;
        }
    }

    private Outcome apply(String eventId, String type, JsonNode data) {
        var replayed = replay(eventId);
        if (replayed.isPresent()) {
            return replayed.get();
        }
        if (!PAYMENT_SUCCEEDED.equals(type)) {
            Map<String, Object> ignored = new LinkedHashMap<>();
            ignored.put("event", eventId);
            ignored.put("outcome", "ignored");
            ignored.put("detail", "events of type " + type + " change nothing");
            topUps.addEvent(eventId, type, null, write(ignored), time.now());
            return new Outcome(200, ignored);
        }
        FieldErrors errors = new FieldErrors();
        String typed = errors.requiredText("data.reference", text(data, "reference"), 40);
        Object currency = text(data, "currency");
        Object amountText = text(data, "amount");
        String providerPayment = errors.requiredText("data.providerPayment", text(data, "providerPayment"), 100);
        Money amount = MoneyInput.positive(amountText, currency, "data.amount", "data.currency", errors);
        errors.throwIfAny("Invalid event");
        String reference = PaymentReferences.canonical(typed).orElseThrow(() -> new NotFoundException("No top-up " + typed));
        TopUp topUp = topUps.lockByReference(reference).orElseThrow(() -> new NotFoundException("No top-up " + reference));
        if (!topUp.amount().currency().equals(amount.currency())) {
            throw new UnprocessableException("Top-up " + reference + " is in " + topUp.amount().currencyCode() + ", not "
                    + amount.currencyCode());
        }
        if (topUp.status() != TopUpStatus.AWAITING_FUNDS) {
            throw new ConflictException("Top-up " + reference + " is " + topUp.status() + "; it does not await funds");
        }
        topUps.update(topUp.id(), "status = 'CONFIRMED', received_amount = :received, provider_payment = :payment, confirmed_via = :via, "
                + "decided_by = :by, decided_at = :now", time.now(), "received", amount.amount(), "payment", providerPayment,
                "via", TopUp.VIA_PROVIDER, "by", PROVIDER);
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("event", eventId);
        accepted.put("outcome", "accepted");
        accepted.put("topUp", topUp.id());
        accepted.put("reference", reference);
        accepted.put("amountReceived", amount.toDecimalString());
        accepted.put("currency", amount.currencyCode());
        topUps.addEvent(eventId, type, topUp.id(), write(accepted), time.now());
        // as the platform (nobody is signed in here): the message's listener checks the row this transaction just wrote
        runtimeService.createMessageCorrelation(TopUpProcess.MESSAGE_PAYMENT_RECEIVED).processInstanceId(topUp.processInstanceId())
                .correlateWithResult();
        return new Outcome(200, accepted);
    }

    private java.util.Optional<Outcome> replay(String eventId) {
        return topUps.event(eventId).map(stored -> {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> body = json.readValue(stored.outcome(), LinkedHashMap.class);
                body.put("replayed", true);
                return new Outcome(200, body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Checks the signature header against the raw body: the caller learns only which rule failed. */
    void verify(String header, byte[] body) {
        if (!settings.configured()) {
            throw new Refused(503, "the webhook secret is not configured");
        }
        if (header == null || header.isBlank()) {
            throw new Refused(400, "no " + SIGNATURE_HEADER + " header");
        }
        String timestamp = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length != 2) {
                throw new Refused(400, "malformed " + SIGNATURE_HEADER + " header");
            }
            switch (pair[0]) {
                case "t" -> timestamp = pair[1];
                case "v1" -> {
                    if (pair[1].length() == 64 && pair[1].matches("[0-9a-fA-F]{64}")) {
                        signatures.add(HexFormat.of().parseHex(pair[1]));
                    }
                }
                default -> { } // other schemes are ignored, as Stripe's clients do
            }
        }
        if (timestamp == null || !timestamp.matches("[0-9]{1,12}") || signatures.isEmpty()) {
            throw new Refused(400, "malformed " + SIGNATURE_HEADER + " header: t=<unix seconds> and at least one v1=<64 hex digits>");
        }
        byte[] expected = sign(settings.webhookSecret(), timestamp, body);
        boolean matches = false;
        for (byte[] given : signatures) {
            matches |= MessageDigest.isEqual(expected, given);
        }
        if (!matches) {
            throw new Refused(401, "no v1 signature matches");
        }
        long age = Math.abs(time.now().toEpochSecond() - Long.parseLong(timestamp));
        if (age > settings.webhookTolerance().getSeconds()) {
            throw new Refused(400, "timestamp " + Instant.ofEpochSecond(Long.parseLong(timestamp)) + " is outside the tolerance of "
                    + settings.webhookTolerance());
        }
    }

    /** HMAC-SHA256(secret, t + "." + body): what the provider computes. */
    static byte[] sign(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        // a number or an object where a string belongs is named as the wrong type by the checks
        return value.isTextual() ? value.asText() : value.isNumber() ? value.numberValue() : value;
    }

    private String write(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
