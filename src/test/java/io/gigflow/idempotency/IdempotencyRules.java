package io.gigflow.idempotency;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The rules of the Idempotency-Key header, through real HTTP; run on H2 ({@link IdempotentRequestsTest})
 * and on PostgreSQL ({@link IdempotentRequestsOnPostgresTest}).
 */
interface IdempotencyRules {

    int port();

    Fixtures fixtures();

    Ledger ledger();

    JdbcClient jdbc();

    /** A company (id, member) with {@code eur} EUR on its account, and a contractor. */
    default String[] companyWithMoney(String eur) {
        String[] company = fixtures().company("idem");
        if (eur != null) {
            ledger().transfer(Fixtures.unique("idem-top-up"), AccountRef.external(), AccountRef.company(company[0]), Money.of(eur, "EUR"),
                    "Top-up");
        }
        return new String[] {company[0], company[1], fixtures().contractor("idemalice")};
    }

    default Http.Response withKey(String user, String method, String path, String body, String key) {
        return new Http(port()).send(user, method, path, body, Map.of("Idempotency-Key", key));
    }

    default String task(String contractor, String title, String amount) {
        return json(Map.of("contractorId", contractor, "title", title, "amount", amount, "currency", "EUR"));
    }

    default long tasksOf(String company) {
        return jdbc().sql("select count(*) from payout_task where company_id = :c").param("c", company).query(Long.class).single();
    }

    default String balance(String company) {
        return ledger().balance(AccountRef.company(company), java.util.Currency.getInstance("EUR")).toDecimalString();
    }

    @Test
    default void aRetriedCreateWithTheSameKeyAnswersTheFirstAnswerAndCreatesOneTask() {
        String[] acme = companyWithMoney(null);
        String key = Fixtures.unique("create");
        String path = "/api/companies/" + acme[0] + "/tasks";

        Http.Response first = withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), key);
        Http.Response retry = withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), key);

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.text()).isEqualTo(first.text());
        assertThat(retry.header("Location")).isEqualTo(first.header("Location")).isEqualTo("/api/tasks/" + first.json().get("ref").asText());
        assertThat(retry.header("Content-Type")).isEqualTo(first.header("Content-Type"));
        assertThat(tasksOf(acme[0])).isEqualTo(1);
    }

    @Test
    default void aRetriedSendAndAcceptMoveMoneyOnceAndAnswerAsTheFirstTime() {
        String[] acme = companyWithMoney("100.00");
        String ref = new Http(port()).post(acme[1], "/api/companies/" + acme[0] + "/tasks", task(acme[2], "Copy", "30.00")).json()
                .get("ref").asText();

        String sendKey = Fixtures.unique("send");
        Http.Response sent = withKey(acme[1], "POST", "/api/tasks/" + ref + "/send", null, sendKey);
        Http.Response sentAgain = withKey(acme[1], "POST", "/api/tasks/" + ref + "/send", null, sendKey);
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        assertThat(sentAgain.status()).isEqualTo(200);
        assertThat(sentAgain.text()).isEqualTo(sent.text());
        assertThat(balance(acme[0])).isEqualTo("70.00");

        String acceptKey = Fixtures.unique("accept");
        Http.Response accepted = withKey(acme[2], "POST", "/api/tasks/" + ref + "/accept", null, acceptKey);
        Http.Response acceptedAgain = withKey(acme[2], "POST", "/api/tasks/" + ref + "/accept", null, acceptKey);
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat(acceptedAgain.status()).isEqualTo(202);
        assertThat(acceptedAgain.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(acceptedAgain.text()).isEqualTo(accepted.text());
        // without the key, a second accept is refused: the step is done
        assertThat(new Http(port()).post(acme[2], "/api/tasks/" + ref + "/accept", null).status()).isEqualTo(409);
        assertThat(balance(acme[0])).isEqualTo("70.00");
        assertThat(ledger().invariantViolations()).isEmpty();
    }

    @Test
    default void theSameKeyWithAnotherRequestAnswers422NamingTheHeaderAndDoesNothing() {
        String[] acme = companyWithMoney(null);
        String key = Fixtures.unique("reuse");
        String path = "/api/companies/" + acme[0] + "/tasks";
        assertThat(withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), key).status()).isEqualTo(201);

        Http.Response otherBody = withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.01"), key);
        Http.Response otherPath = withKey(acme[1], "POST", path + "/amount-preview", json(Map.of("taskRefs", List.of("T-1"))), key);

        assertThat(otherBody.status()).as(otherBody.text()).isEqualTo(422);
        assertThat(otherBody.json().get("detail").asText()).contains("Idempotency-Key");
        assertThat(otherPath.status()).as(otherPath.text()).isEqualTo(422);
        assertThat(tasksOf(acme[0])).isEqualTo(1);
    }

    @Test
    default void keysArePerUser() {
        String[] acme = companyWithMoney(null);
        String dave = fixtures().member(acme[0]);
        String key = Fixtures.unique("shared");
        String path = "/api/companies/" + acme[0] + "/tasks";

        Http.Response carols = withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), key);
        Http.Response daves = withKey(dave, "POST", path, task(acme[2], "Logo", "10.00"), key);

        assertThat(carols.status()).isEqualTo(201);
        assertThat(daves.status()).isEqualTo(201);
        assertThat(daves.header("Idempotent-Replayed")).isNull();
        assertThat(daves.json().get("ref").asText()).isNotEqualTo(carols.json().get("ref").asText());
        assertThat(tasksOf(acme[0])).isEqualTo(2);
    }

    @Test
    default void aKeyThatIsEmptyTooLongOrNotPrintableAsciiAnswers400NamingTheHeader() {
        String[] acme = companyWithMoney(null);
        String path = "/api/companies/" + acme[0] + "/tasks";
        for (String key : List.of("", "k".repeat(256), "tab\there")) {
            Http.Response refused = withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), key);
            assertThat(refused.status()).as("key of %d characters: %s", key.length(), refused.text()).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("field").asText()).isEqualTo("Idempotency-Key");
        }
        assertThat(withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), "k".repeat(255)).status()).isEqualTo(201);
        assertThat(tasksOf(acme[0])).isEqualTo(1);
    }

    @Test
    default void aRefusalIsNotKeptAndItsRetryIsCheckedAgainAgainstTheNewState() {
        String[] acme = companyWithMoney("10.00");
        String ref = new Http(port()).post(acme[1], "/api/companies/" + acme[0] + "/tasks", task(acme[2], "Audit", "25.00")).json()
                .get("ref").asText();
        String key = Fixtures.unique("send");

        Http.Response refused = withKey(acme[1], "POST", "/api/tasks/" + ref + "/send", null, key);
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        ledger().transfer(Fixtures.unique("idem-top-up"), AccountRef.external(), AccountRef.company(acme[0]), Money.of("20.00", "EUR"), "Top-up");
        Http.Response retried = withKey(acme[1], "POST", "/api/tasks/" + ref + "/send", null, key);

        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(balance(acme[0])).isEqualTo("5.00");
    }

    @Test
    default void twoConcurrentRequestsWithOneKeyDoTheWorkOnce() throws Exception {
        String[] acme = companyWithMoney(null);
        String path = "/api/companies/" + acme[0] + "/tasks";
        int clients = 4;
        for (int round = 0; round < 3; round++) {
            String key = Fixtures.unique("race");
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<Http.Response>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    answers.add(pool.submit(() -> {
                        start.await();
                        return withKey(acme[1], "POST", path, task(acme[2], "Race", "10.00"), key);
                    }));
                }
                start.countDown();
                int done = 0;
                List<String> refs = new ArrayList<>();
                for (Future<Http.Response> answer : answers) {
                    Http.Response response = answer.get();
                    assertThat(response.status()).as(response.text()).isIn(201, 409);
                    if (response.status() == 201) {
                        refs.add(response.json().get("ref").asText());
                        if (response.header("Idempotent-Replayed") == null) {
                            done++;
                        }
                    } else {
                        assertThat(response.json().get("detail").asText()).contains("Idempotency-Key");
                    }
                }
                assertThat(done).as("answers that did the work").isEqualTo(1);
                assertThat(refs).as("every 201 names the one task").containsOnly(refs.get(0));
            } finally {
                pool.shutdownNow();
            }
        }
        assertThat(tasksOf(acme[0])).isEqualTo(3);
    }

    @Test
    default void aStateChangingCallWithoutTheKeyAndAReadWithItWorkAsBefore() {
        String[] acme = companyWithMoney(null);
        String path = "/api/companies/" + acme[0] + "/tasks";
        Http http = new Http(port());
        assertThat(http.post(acme[1], path, task(acme[2], "Logo", "10.00")).status()).isEqualTo(201);
        assertThat(http.post(acme[1], path, task(acme[2], "Logo", "10.00")).status()).isEqualTo(201);
        JsonNode list = http.send(acme[1], "GET", path, null, Map.of("Idempotency-Key", "ignored on reads")).json();
        assertThat(list).hasSize(2);
        assertThat(tasksOf(acme[0])).isEqualTo(2);
    }
}
