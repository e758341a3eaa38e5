package io.gigflow.topup;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Top-ups over real HTTP, as payers and finance use them, with the emails a real SMTP server receives. */
class TopUpApiTest extends WebTestBase {

    @Autowired IdentityService identityService;

    Http http;
    Fixtures fixtures;
    String customer;
    String[] company;
    String finance;

    @BeforeEach
    void givenPayersAndAFinanceOperator() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        customer = fixtures.customer("carl");
        company = fixtures.company("acme");
        finance = fixtures.finance("fiona");
    }

    @Test
    void aCustomerIsCreditedTheAmountFinanceConfirmsToTheCentAndIsEmailedHowToPayAndWhatArrived() {
        Http.Response registered = http.post(customer, "/api/me/top-ups", json(Map.of("amount", "120.50", "currency", "EUR",
                "method", "BANK_TRANSFER")));

        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        JsonNode topUp = registered.json();
        long id = topUp.get("id").asLong();
        String reference = topUp.get("reference").asText();
        assertThat(registered.header("Location")).isEqualTo("/api/top-ups/" + id);
        assertThat(topUp.get("status").asText()).isEqualTo("AWAITING_FUNDS");
        assertThat(topUp.get("amount").asText()).isEqualTo("120.50");
        assertThat(topUp.has("receivedAmount")).isFalse();
        assertThat(topUp.get("paymentInstructions").get("iban").asText()).isEqualTo("DE89370400440532013000");
        assertThat(topUp.get("paymentInstructions").get("reference").asText()).isEqualTo(reference);
        assertThat(topUp.get("paymentInstructions").get("text").asText()).contains(reference, "120.50 EUR");
        assertThat(balance(customer)).isEqualTo("[]");
        assertThat(ids(http.get(finance, "/api/top-ups?limit=500"))).contains(id);
        assertThat(ids(http.get(customer, "/api/me/top-ups"))).containsExactly(id);

        Http.Response confirmed = http.post(finance, "/api/top-ups/" + id + "/confirmation",
                json(Map.of("amountReceived", "120.45", "bankReference", "SEPA 2026-0042")));

        assertThat(confirmed.status()).as(confirmed.text()).isEqualTo(202);
        Http.await("the top-up is credited", () -> "CREDITED".equals(http.get(customer, "/api/top-ups/" + id).json().get("status").asText()));
        JsonNode credited = http.get(customer, "/api/top-ups/" + id).json();
        assertThat(credited.get("receivedAmount").asText()).isEqualTo("120.45");
        assertThat(credited.get("bankReference").asText()).isEqualTo("SEPA 2026-0042");
        assertThat(credited.get("decidedBy").asText()).isEqualTo(finance);
        assertThat(balance(customer)).isEqualTo("[{\"currency\":\"EUR\",\"amount\":\"120.45\"}]");
        assertThat(ids(http.get(finance, "/api/top-ups?limit=500"))).doesNotContain(id);
        Http.await("both emails arrive", () -> subjectsTo(customer).size() == 2);
        assertThat(subjectsTo(customer)).containsExactly("Top-up " + reference + ": how to pay 120.50 EUR", "Top-up credited: 120.45 EUR");
    }

    @Test
    void aCompanyMemberTopsUpTheCompanyAndEveryMemberIsToldOfARejection() {
        String colleague = fixtures.member(company[0]);
        JsonNode paid = register(company[1], "/api/companies/" + company[0] + "/top-ups", "300.00", "USD");
        JsonNode unpaid = register(colleague, "/api/companies/" + company[0] + "/top-ups", "50.00", "USD");

        assertThat(http.post(finance, "/api/top-ups/" + paid.get("id").asLong() + "/confirmation",
                json(Map.of("amountReceived", "300.00", "bankReference", "WIRE-1"))).status()).isEqualTo(202);
        Http.Response rejected = http.post(finance, "/api/top-ups/" + unpaid.get("id").asLong() + "/rejection",
                json(Map.of("reason", "Nothing arrived from this payer")));

        assertThat(rejected.status()).as(rejected.text()).isEqualTo(200);
        assertThat(rejected.json().get("status").asText()).isEqualTo("REJECTED");
        Http.await("the top-up is credited",
                () -> "CREDITED".equals(http.get(colleague, "/api/top-ups/" + paid.get("id").asLong()).json().get("status").asText()));
        assertThat(http.get(company[1], "/api/companies/" + company[0] + "/balances").text())
                .isEqualTo("[{\"currency\":\"USD\",\"amount\":\"300.00\"}]");
        assertThat(ids(http.get(colleague, "/api/companies/" + company[0] + "/top-ups")))
                .containsExactly(unpaid.get("id").asLong(), paid.get("id").asLong());
        String rejectedSubject = "Top-up rejected: " + unpaid.get("reference").asText();
        Http.await("the rejection reaches both members", () -> subjectsTo(company[1]).contains(rejectedSubject)
                && subjectsTo(colleague).contains(rejectedSubject) && subjectsTo(colleague).contains("Top-up credited: 300.00 USD"));
        assertThat(emailsTo(colleague).stream().filter(m -> subject(m).equals(rejectedSubject)).count()).isOne();
        assertThat(http.post(finance, "/api/top-ups/" + unpaid.get("id").asLong() + "/confirmation",
                json(Map.of("amountReceived", "50.00", "bankReference", "LATE"))).status()).isEqualTo(409);
    }

    @Test
    void refusesBadInputNamingTheFieldAndPersistsNothing() {
        String path = "/api/me/top-ups";

        assertThat(refusal(http.post(customer, path, json(Map.of("amount", "1.001", "currency", "EUR", "method", "BANK_TRANSFER")))))
                .containsExactly("amount:scale");
        assertThat(refusal(http.post(customer, path, json(Map.of("amount", "1.5", "currency", "JPY", "method", "BANK_TRANSFER")))))
                .containsExactly("amount:scale");
        assertThat(refusal(http.post(customer, path, json(Map.of("amount", "-1", "currency", "EUR", "method", "BANK_TRANSFER")))))
                .containsExactly("amount:positive");
        assertThat(refusal(http.post(customer, path, json(Map.of("amount", "0", "currency", "EUR", "method", "BANK_TRANSFER")))))
                .containsExactly("amount:positive");
        assertThat(refusal(http.post(customer, path, json(Map.of("amount", "1", "currency", "ABC", "method", "BANK_TRANSFER")))))
                .containsExactly("currency:currency");
        assertThat(refusal(http.post(customer, path, json(Map.of("amount", "1", "currency", "EUR", "method", "CASH")))))
                .containsExactly("method:oneOf");
        assertThat(refusal(http.post(customer, path, json(Map.of("amount", "1", "currency", "EUR")))))
                .containsExactly("method:required");
        assertThat(refusal(http.post(customer, path, "{\"amount\":1,\"currency\":\"EUR\",\"method\":\"BANK_TRANSFER\"}")))
                .containsExactly("amount:type");
        assertThat(refusal(http.post(customer, path, "{\"amount\":\"1\",\"currency\":\"EUR\",\"method\":\"BANK_TRANSFER\",\"reference\":\"bank-1\"}")))
                .as("a payer no longer names its own reference").containsExactly("reference:unknown");
        assertThat(http.get(customer, "/api/me/top-ups").json()).isEmpty();
        assertThat(balance(customer)).isEqualTo("[]");

        JsonNode registered = register(customer, path, "10.00", "EUR");
        long id = registered.get("id").asLong();
        assertThat(refusal(http.post(finance, "/api/top-ups/" + id + "/confirmation", json(Map.of("amountReceived", "10.001", "bankReference", "TX")))))
                .containsExactly("amountReceived:scale");
        assertThat(refusal(http.post(finance, "/api/top-ups/" + id + "/confirmation", json(Map.of("amountReceived", "10.00")))))
                .containsExactly("bankReference:required");
        assertThat(refusal(http.post(finance, "/api/top-ups/" + id + "/rejection", json(Map.of()))))
                .containsExactly("reason:required");
        assertThat(http.get(customer, "/api/top-ups/" + id).json().get("status").asText()).isEqualTo("AWAITING_FUNDS");
    }

    @Test
    void onlyCustomersAndCompanyMembersTopUpAndOnlyThePayerAndFinanceSeeATopUp() {
        String contractor = fixtures.contractor("alice");
        String worker = fixtures.fieldWorker("walt");
        String provider = fixtures.provider("pia");
        String stranger = fixtures.company("globex")[1];
        String body = json(Map.of("amount", "100.00", "currency", "EUR", "method", "BANK_TRANSFER"));

        for (String payee : List.of(contractor, worker, provider, finance, stranger)) {
            assertThat(http.post(payee, "/api/me/top-ups", body).status()).as(payee).isEqualTo(403);
        }
        assertThat(http.post(stranger, "/api/companies/" + company[0] + "/top-ups", body).status()).isEqualTo(403);
        assertThat(http.post(contractor, "/api/companies/" + company[0] + "/top-ups", body).status()).isEqualTo(403);
        assertThat(http.post(null, "/api/me/top-ups", body).status()).isEqualTo(401);
        assertThat(http.get(contractor, "/api/me/top-ups").json()).isEmpty();

        long id = register(customer, "/api/me/top-ups", "100.00", "EUR").get("id").asLong();
        assertThat(http.get(stranger, "/api/top-ups/" + id).status()).isEqualTo(404);
        assertThat(http.get(contractor, "/api/top-ups/" + id).status()).isEqualTo(404);
        assertThat(http.get(finance, "/api/top-ups/" + id).status()).isEqualTo(200);
        assertThat(http.get(customer, "/api/top-ups").status()).isEqualTo(403);
        assertThat(http.post(customer, "/api/top-ups/" + id + "/confirmation", json(Map.of("amountReceived", "100.00",
                "bankReference", "SELF"))).status()).isEqualTo(403);
        assertThat(http.post(stranger, "/api/top-ups/" + id + "/rejection", json(Map.of("reason", "spite"))).status()).isEqualTo(403);
        assertThat(http.get(customer, "/api/top-ups/" + id).json().get("status").asText()).isEqualTo("AWAITING_FUNDS");
        assertThat(balance(customer)).isEqualTo("[]");
    }

    private JsonNode register(String payer, String path, String amount, String currency) {
        Http.Response response = http.post(payer, path, json(Map.of("amount", amount, "currency", currency, "method", "BANK_TRANSFER")));
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    private String balance(String user) {
        return http.get(user, "/api/me/balances").text();
    }

    private static List<Long> ids(Http.Response list) {
        assertThat(list.status()).as(list.text()).isEqualTo(200);
        return StreamSupport.stream(list.json().spliterator(), false).map(n -> n.get("id").asLong()).toList();
    }

    private static List<String> refusal(Http.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        return StreamSupport.stream(response.json().get("errors").spliterator(), false)
                .map(e -> e.get("field").asText() + ":" + e.get("rule").asText()).toList();
    }
}
