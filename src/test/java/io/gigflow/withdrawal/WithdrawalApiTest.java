package io.gigflow.withdrawal;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A contractor withdraws over real HTTP, with the job executor running and GreenMail receiving
 * the emails: payout destinations, every refused input, finance paying out and rejecting, the
 * requester cancelling, balances exact to the cent (the hold account included), and two requests
 * at once against the daily maximum and the balance.
 */
class WithdrawalApiTest extends WebTestBase {

    private static final Currency EUR = Currency.getInstance("EUR");
    private static final String IBAN = "DE89 3704 0044 0532 0130 00";

    @Autowired IdentityService identityService;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

    Http http;
    Fixtures fixtures;
    String carla;
    String fiona;
    long destination;

    @BeforeEach
    void givenAContractorWithMoneyAndAnIbanAndAFinanceOperator() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        carla = fixtures.contractor("carla");
        fiona = fixtures.finance("fiona");
        fund(carla, "1000.00");
        Http.Response added = http.post(carla, "/api/me/payout-destinations", json(Map.of("kind", "IBAN", "iban", IBAN.toLowerCase(),
                "holderName", "Carla Tester")));
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        assertThat(added.json().get("iban").asText()).isEqualTo("******************3000");
        destination = added.json().get("id").asLong();
    }

    @Test
    void financePaysOneOutAndRejectsAnotherAndTheMoneyIsRightToTheCent() {
        JsonNode first = withdraw(carla, "250.25", destination);
        JsonNode second = withdraw(carla, "100.00", destination);
        String paid = first.get("ref").asText();
        String rejected = second.get("ref").asText();
        assertThat(first.get("status").asText()).isEqualTo("REQUESTED");
        assertThat(first.get("destination").asText()).isEqualTo("IBAN ******************3000 (Carla Tester)");
        assertThat(balance(AccountRef.user(carla))).isEqualTo("649.75");
        assertThat(balance(AccountRef.withdrawal(paid))).isEqualTo("250.25");
        assertThat(balance(AccountRef.withdrawal(rejected))).isEqualTo("100.00");

        JsonNode queue = http.get(fiona, "/api/withdrawals?status=REQUESTED&limit=500").json();
        JsonNode mine = find(queue, paid);
        assertThat(mine.get("destination").asText()).isEqualTo("IBAN DE89 3704 0044 0532 0130 00 (Carla Tester)");
        assertThat(http.get(carla, "/api/withdrawals?status=REQUESTED").status()).isEqualTo(403);
        assertThat(http.post(carla, "/api/withdrawals/" + paid + "/payout", json(Map.of("bankReference", "X"))).status()).isEqualTo(403);

        assertThat(http.post(fiona, "/api/withdrawals/" + paid + "/payout", json(Map.of("bankReference", "SEPA-0042"))).status())
                .isEqualTo(202);
        assertThat(http.post(fiona, "/api/withdrawals/" + rejected + "/rejection", json(Map.of("reason", "Account closed"))).status())
                .isEqualTo(202);
        await(paid + " paid out", () -> "PAID_OUT".equals(status(carla, paid)));
        await(rejected + " rejected", () -> "REJECTED".equals(status(carla, rejected)));

        assertThat(balance(AccountRef.user(carla))).isEqualTo("749.75");
        assertThat(balance(AccountRef.withdrawal(paid))).isEqualTo("0.00");
        assertThat(balance(AccountRef.withdrawal(rejected))).isEqualTo("0.00");
        assertThat(http.get(carla, "/api/me/withdrawals/" + paid).json().get("bankReference").asText()).isEqualTo("SEPA-0042");
        assertThat(http.get(carla, "/api/me/withdrawals/" + rejected).json().get("reason").asText()).isEqualTo("Account closed");
        assertThat(http.post(carla, "/api/me/withdrawals/" + paid + "/cancellation", null).status()).isEqualTo(409);
        assertThat(http.get(carla, "/api/me/withdrawals").json().findValuesAsText("ref")).containsExactly(rejected, paid);
        assertThat(ledger.invariantViolations()).isEmpty();

        await("carla's emails", () -> subjectsTo(carla).size() >= 4);
        assertThat(subjectsTo(carla)).containsExactlyInAnyOrder(
                "Withdrawal " + paid + " requested: 250.25 EUR",
                "Withdrawal " + rejected + " requested: 100.00 EUR",
                "Withdrawal " + paid + " paid out: 250.25 EUR",
                "Withdrawal " + rejected + " rejected");
        await("fiona's emails", () -> subjectsTo(fiona).size() >= 2);
        assertThat(subjectsTo(fiona)).containsExactlyInAnyOrder(
                "Withdrawal to pay out: " + paid + ", 250.25 EUR",
                "Withdrawal to pay out: " + rejected + ", 100.00 EUR");
    }

    @Test
    void theRequesterCancelsAndNobodyElseSeesOrCancelsIt() {
        String mallory = fixtures.contractor("mallory");
        String ref = withdraw(carla, "40.00", destination).get("ref").asText();

        assertThat(http.get(mallory, "/api/me/withdrawals/" + ref).status()).isEqualTo(404);
        assertThat(http.post(mallory, "/api/me/withdrawals/" + ref + "/cancellation", null).status()).isEqualTo(404);
        assertThat(http.get(mallory, "/api/me/payout-destinations").json()).isEmpty();
        assertThat(http.delete(mallory, "/api/me/payout-destinations/" + destination).status()).isEqualTo(404);
        assertThat(http.post(carla, "/api/me/withdrawals/" + ref + "/cancellation", null).status()).isEqualTo(202);
        await(ref + " cancelled", () -> "CANCELLED".equals(status(carla, ref)));

        assertThat(balance(AccountRef.user(carla))).isEqualTo("1000.00");
        assertThat(balance(AccountRef.withdrawal(ref))).isEqualTo("0.00");
        assertThat(http.post(fiona, "/api/withdrawals/" + ref + "/payout", json(Map.of("bankReference", "LATE"))).status()).isEqualTo(409);
        await("carla's emails", () -> subjectsTo(carla).size() >= 2);
        assertThat(subjectsTo(carla)).containsExactlyInAnyOrder("Withdrawal " + ref + " requested: 40.00 EUR",
                "Withdrawal " + ref + " cancelled");
        assertThat(http.delete(carla, "/api/me/payout-destinations/" + destination).status()).isEqualTo(204);
        assertThat(http.get(carla, "/api/me/payout-destinations").json()).isEmpty();
    }

    @Test
    void refusesEveryBadInputNamingTheFieldAndKeepsNothing() {
        String mallory = fixtures.contractor("mallory");
        long malloryCard = http.post(mallory, "/api/me/payout-destinations", json(Map.of("kind", "CARD", "reference", "tok_4242")))
                .json().get("id").asLong();

        assertRefused(http.post(carla, "/api/me/payout-destinations", json(Map.of("kind", "IBAN", "iban", "DE88 3704 0044 0532 0130 00",
                "holderName", "Carla"))), 400, "iban", "checksum");
        assertRefused(http.post(carla, "/api/me/payout-destinations", json(Map.of("kind", "IBAN", "iban", "DE89 3704 0044 0532 0130",
                "holderName", "Carla"))), 400, "iban", "format");
        assertRefused(http.post(carla, "/api/me/payout-destinations", json(Map.of("kind", "IBAN", "iban", IBAN))), 400, "holderName", "required");
        assertRefused(http.post(carla, "/api/me/payout-destinations", json(Map.of("kind", "WALLET", "reference", "wallet\u0000x"))),
                400, "reference", "format");
        assertRefused(http.post(carla, "/api/me/payout-destinations", json(Map.of("kind", "CHEQUE", "reference", "x"))), 400, "kind", "oneOf");

        assertRefused(post(carla, "10.001", "EUR", destination), 400, "amount", "scale");
        assertRefused(post(carla, "1000.5", "JPY", destination), 400, "amount", "scale");
        assertRefused(post(carla, "20.00", "XYZ", destination), 400, "currency", "currency");
        assertRefused(post(carla, "0", "EUR", destination), 400, "amount", "positive");
        assertRefused(post(carla, "-5.00", "EUR", destination), 400, "amount", "positive");
        assertRefused(post(carla, "20.00", "EUR", malloryCard), 400, "destinationId", "exists");
        assertRefused(http.post(carla, "/api/me/withdrawals", json(Map.of("amount", 20, "currency", "EUR", "destinationId", destination))),
                400, "amount", "type");
        Http.Response under = post(carla, "9.99", "EUR", destination);
        assertThat(under.status()).isEqualTo(422);
        assertThat(under.json().get("detail").asText()).startsWith("amount:").contains("at least 10");
        Http.Response broke = post(mallory, "10.00", "EUR", malloryCard);
        assertThat(broke.status()).isEqualTo(422);
        assertThat(broke.json().get("detail").asText()).startsWith("amount:").contains("balance holds 0.00 EUR");

        String[] acme = fixtures.company("acme");
        assertThat(http.post(acme[1], "/api/companies/" + acme[0] + "/withdrawals",
                json(Map.of("amount", "20.00", "currency", "EUR", "destinationId", destination))).status()).isEqualTo(403);
        assertThat(http.post(acme[1], "/api/me/withdrawals", json(Map.of("amount", "20.00", "currency", "EUR", "destinationId", destination)))
                .status()).isEqualTo(403);

        assertThat(jdbc.sql("select count(*) from withdrawal where requester_id in (:a, :b)").param("a", carla).param("b", mallory)
                .query(Long.class).single()).isZero();
        assertThat(balance(AccountRef.user(carla))).isEqualTo("1000.00");
        assertThat(jdbc.sql("select count(*) from ledger_account where owner_type = 'WITHDRAWAL' and owner_id not in "
                + "(select ref from withdrawal)").query(Long.class).single()).isZero();
    }

    @Test
    void twoRequestsAtOnceNeitherPassTheDailyMaximumNorTheBalanceTogether() throws Exception {
        fund(carla, "5000.00"); // 6000.00: the daily maximum (5000) binds first
        List<Integer> daily = race(carla, destination, "3000.00");
        assertThat(daily).containsExactlyInAnyOrder(201, 422);
        assertThat(withdraw(carla, "2000.00", destination).get("status").asText()).isEqualTo("REQUESTED");
        assertRefused(post(carla, "0.01", "EUR", destination), 422, null, null);
        assertThat(balance(AccountRef.user(carla))).isEqualTo("1000.00");

        String pia = fixtures.provider("pia");
        fund(pia, "100.00"); // the balance binds first
        long piaIban = http.post(pia, "/api/me/payout-destinations", json(Map.of("kind", "IBAN", "iban", "GB82 WEST 1234 5698 7654 32",
                "holderName", "Pia Tester"))).json().get("id").asLong();
        assertThat(race(pia, piaIban, "60.00")).containsExactlyInAnyOrder(201, 422);
        assertThat(balance(AccountRef.user(pia))).isEqualTo("40.00");
        assertThat(jdbc.sql("select count(*) from withdrawal where requester_id = :p").param("p", pia).query(Long.class).single()).isOne();
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    private List<Integer> race(String user, long destinationId, String amount) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return post(user, amount, "EUR", destinationId).status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    private JsonNode withdraw(String user, String amount, long destinationId) {
        Http.Response response = post(user, amount, "EUR", destinationId);
        assertThat(response.status()).as(response.text()).isEqualTo(201);
        return response.json();
    }

    private Http.Response post(String user, String amount, String currency, long destinationId) {
        return http.post(user, "/api/me/withdrawals", json(Map.of("amount", amount, "currency", currency, "destinationId", destinationId)));
    }

    private String status(String user, String ref) {
        return http.get(user, "/api/me/withdrawals/" + ref).json().get("status").asText();
    }

    private static JsonNode find(JsonNode list, String ref) {
        for (JsonNode item : list) {
            if (ref.equals(item.get("ref").asText())) {
                return item;
            }
        }
        throw new AssertionError(ref + " not in " + list);
    }

    private static void assertRefused(Http.Response response, int status, String field, String rule) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        if (field != null) {
            assertThat(response.json().get("errors").findValuesAsText("field")).as(response.text()).contains(field);
            assertThat(response.json().get("errors").findValuesAsText("rule")).as(response.text()).contains(rule);
        }
    }

    private void fund(String user, String amount) {
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.user(user), Money.of(amount, "EUR"), "Fixture");
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, EUR).toDecimalString();
    }
}
