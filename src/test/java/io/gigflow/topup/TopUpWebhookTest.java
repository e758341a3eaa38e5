package io.gigflow.topup;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.PaymentProvider;
import io.gigflow.support.WebTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The payment provider's webhook over real HTTP, without sign-in: a correctly signed event
 * credits the top-up once, and every other one (wrongly signed, stale, replayed, unknown, in the
 * wrong currency, too late) changes nothing.
 */
class TopUpWebhookTest extends WebTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Autowired IdentityService identityService;
    @Autowired JdbcClient jdbc;
    @Value("${gigflow.payments.webhook-secret}") String secret;

    Http http;
    String customer;
    String finance;

    @BeforeEach
    void givenACustomer() {
        http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        customer = fixtures.customer("carl");
        finance = fixtures.finance("fiona");
    }

    @Test
    void aCorrectlySignedEventCreditsTheTopUpOnceAndAReplayAnswersTheFirstOutcome() throws Exception {
        JsonNode topUp = register("75.25", "EUR");
        String eventId = Fixtures.unique("evt_");
        String body = event(eventId, topUp.get("reference").asText(), "75.25", "EUR");
        long now = Instant.now().getEpochSecond();

        // the provider rolls its secret: an old signature and the current one
        HttpResponse<String> first = post(body, "t=" + now + ",v1=" + "ab".repeat(32) + ",v1=" + sign(secret, now, body));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(JSON.readTree(first.body()).get("outcome").asText()).isEqualTo("accepted");
        long id = topUp.get("id").asLong();
        Http.await("the top-up is credited", () -> "CREDITED".equals(http.get(customer, "/api/top-ups/" + id).json().get("status").asText()));
        JsonNode credited = http.get(customer, "/api/top-ups/" + id).json();
        assertThat(credited.get("confirmedVia").asText()).isEqualTo("PROVIDER");
        assertThat(credited.get("providerPayment").asText()).isEqualTo("pi_" + eventId);
        assertThat(balance()).isEqualTo("[{\"currency\":\"EUR\",\"amount\":\"75.25\"}]");

        long later = Instant.now().getEpochSecond();
        HttpResponse<String> replay = post(body, "t=" + later + ",v1=" + sign(secret, later, body));

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        JsonNode replayed = JSON.readTree(replay.body());
        assertThat(replayed.get("outcome").asText()).isEqualTo("accepted");
        assertThat(replayed.get("replayed").asBoolean()).isTrue();
        assertThat(replayed.get("topUp").asLong()).isEqualTo(id);
        assertThat(balance()).isEqualTo("[{\"currency\":\"EUR\",\"amount\":\"75.25\"}]");
        assertThat(events(eventId)).isOne();

        String again = event(Fixtures.unique("evt_"), topUp.get("reference").asText(), "75.25", "EUR");
        assertThat(post(again, "t=" + later + ",v1=" + sign(secret, later, again)).statusCode()).as("no longer awaiting").isEqualTo(409);
        Thread.sleep(300); // nothing asynchronous may follow
        assertThat(balance()).isEqualTo("[{\"currency\":\"EUR\",\"amount\":\"75.25\"}]");
    }

    @Test
    void wronglySignedStaleUnknownAndWrongCurrencyEventsChangeNothing() throws Exception {
        JsonNode topUp = register("40.00", "EUR");
        String reference = topUp.get("reference").asText();
        long now = Instant.now().getEpochSecond();

        String wrong = event(Fixtures.unique("evt_"), reference, "40.00", "EUR");
        assertThat(post(wrong, "t=" + now + ",v1=" + sign("not-the-secret", now, wrong)).statusCode()).isEqualTo(401);
        String tampered = event(Fixtures.unique("evt_"), reference, "40.00", "EUR");
        assertThat(post(tampered.replace("40.00", "4000.00"), "t=" + now + ",v1=" + sign(secret, now, tampered)).statusCode())
                .as("the body changed after signing").isEqualTo(401);
        String stale = event(Fixtures.unique("evt_"), reference, "40.00", "EUR");
        long old = now - 301;
        assertThat(post(stale, "t=" + old + ",v1=" + sign(secret, old, stale)).statusCode()).isEqualTo(400);
        assertThat(post(stale, null).statusCode()).isEqualTo(400);
        assertThat(post(stale, "v1=" + sign(secret, now, stale)).statusCode()).isEqualTo(400);
        String unknown = event(Fixtures.unique("evt_"), "GF-0000000000-0", "40.00", "EUR");
        assertThat(post(unknown, "t=" + now + ",v1=" + sign(secret, now, unknown)).statusCode()).isEqualTo(404);
        String mistyped = event(Fixtures.unique("evt_"), reference.substring(0, 3) + (reference.charAt(3) == 'A' ? 'B' : 'A')
                + reference.substring(4), "40.00", "EUR");
        assertThat(post(mistyped, "t=" + now + ",v1=" + sign(secret, now, mistyped)).statusCode()).isEqualTo(404);
        String dollars = event(Fixtures.unique("evt_"), reference, "40.00", "USD");
        assertThat(post(dollars, "t=" + now + ",v1=" + sign(secret, now, dollars)).statusCode()).isEqualTo(422);
        String noAmount = event(Fixtures.unique("evt_"), reference, "-1", "EUR");
        HttpResponse<String> negative = post(noAmount, "t=" + now + ",v1=" + sign(secret, now, noAmount));
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("data.amount");

        assertThat(http.get(customer, "/api/top-ups/" + topUp.get("id").asLong()).json().get("status").asText()).isEqualTo("AWAITING_FUNDS");
        assertThat(jdbc.sql("select count(*) from payment_event where top_up_id = :id").param("id", topUp.get("id").asLong())
                .query(Integer.class).single()).isZero();
        assertThat(balance()).isEqualTo("[]");

        // the same top-up is still paid by its real event afterwards
        String real = event(Fixtures.unique("evt_"), reference.toLowerCase(), "40.00", "EUR");
        assertThat(post(real, "t=" + now + ",v1=" + sign(secret, now, real)).statusCode()).isEqualTo(200);
        Http.await("the top-up is credited", () -> balance().equals("[{\"currency\":\"EUR\",\"amount\":\"40.00\"}]"));
    }

    private JsonNode register(String amount, String currency) {
        Http.Response response = http.post(customer, "/api/me/top-ups", json(Map.of("amount", amount, "currency", currency,
                "method", "PAYMENT_PROVIDER")));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    private String balance() {
        return http.get(customer, "/api/me/balances").text();
    }

    private int events(String eventId) {
        return jdbc.sql("select count(*) from payment_event where event_id = :id").param("id", eventId).query(Integer.class).single();
    }

    private static String event(String id, String reference, String amount, String currency) {
        return json(Map.of("id", id, "type", "payment.succeeded", "data", Map.of("reference", reference, "amount", amount,
                "currency", currency, "providerPayment", "pi_" + id)));
    }

    private static String sign(String secret, long timestamp, String body) {
        return PaymentProvider.sign(secret, timestamp, body);
    }

    private HttpResponse<String> post(String body, String signature) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/webhooks/payments"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            request.header("Gigflow-Signature", signature);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
