package io.gigflow.idempotency;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.Ledger;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Idempotency-Key of the domain API on H2 with the job executor running, and the same guarantee
 * for starts through /engine-rest (a repeated business key answers 409 with the first instance).
 */
class IdempotentRequestsTest extends WebTestBase implements IdempotencyRules {

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;
    @Autowired IdempotencyKeys keys;
    @Autowired PlatformTransactionManager transactionManager;

    Fixtures fixtures;

    @BeforeEach
    void givenFixtures() {
        fixtures = new Fixtures(identityService);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Fixtures fixtures() {
        return fixtures;
    }

    @Override
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public JdbcClient jdbc() {
        return jdbc;
    }

    @Test
    void aFailureOfOursKeepsNeitherTheChangeNorTheKeySoTheRetryDoesTheWork() {
        String[] acme = companyWithMoney("100.00");
        String ref = new Http(port).post(acme[1], "/api/companies/" + acme[0] + "/tasks", task(acme[2], "Logo", "40.00")).json()
                .get("ref").asText();
        String key = Fixtures.unique("send");

        // somebody holds the task's row for longer than the database waits for a lock: the send fails on our side
        Http.Response failed = new TransactionTemplate(transactionManager).execute(status -> {
            jdbc.sql("select id from payout_task where ref = :ref for update").param("ref", ref).query(Long.class).single();
            return withKey(acme[1], "POST", "/api/tasks/" + ref + "/send", null, key);
        });
        assertThat(failed.status()).as(failed.text()).isGreaterThanOrEqualTo(500);
        assertThat(new Http(port).get(acme[1], "/api/tasks/" + ref).json().get("status").asText()).isEqualTo("DRAFT");
        assertThat(balance(acme[0])).isEqualTo("100.00");
        assertThat(keys.find(acme[1], key)).isEmpty();

        Http.Response retried = withKey(acme[1], "POST", "/api/tasks/" + ref + "/send", null, key);
        assertThat(retried.status()).as(retried.text()).isEqualTo(200);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
        assertThat(balance(acme[0])).isEqualTo("60.00");
    }

    @Test
    void aKeyOlderThan24HoursIsIgnoredAndRemovedByTheCleanup() {
        String[] acme = companyWithMoney(null);
        String key = Fixtures.unique("old");
        String path = "/api/companies/" + acme[0] + "/tasks";
        Http.Response first = withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), key);
        assertThat(first.status()).isEqualTo(201);
        assertThat(withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), key).header("Idempotent-Replayed")).isEqualTo("true");

        age(acme[1], key, Duration.ofHours(24).plusMinutes(1));
        Http.Response later = withKey(acme[1], "POST", path, task(acme[2], "Logo", "10.00"), key);
        assertThat(later.status()).isEqualTo(201);
        assertThat(later.header("Idempotent-Replayed")).isNull();
        assertThat(later.json().get("ref").asText()).isNotEqualTo(first.json().get("ref").asText());
        assertThat(tasksOf(acme[0])).isEqualTo(2);

        String older = Fixtures.unique("older");
        String recent = Fixtures.unique("recent");
        assertThat(withKey(acme[1], "POST", path, task(acme[2], "Other", "10.00"), older).status()).isEqualTo(201);
        assertThat(withKey(acme[1], "POST", path, task(acme[2], "Recent", "10.00"), recent).status()).isEqualTo(201);
        age(acme[1], older, Duration.ofHours(25));
        assertThat(keys.removeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(keys.find(acme[1], older)).isEmpty();
        assertThat(keys.find(acme[1], recent)).isPresent();
        assertThat(keys.find(acme[1], key)).as("renewed by the later call").isPresent();
    }

    /** Makes a key look {@code age} older, as if stored that long ago. */
    private void age(String user, String key, Duration age) {
        var stored = keys.find(user, key).orElseThrow();
        jdbc.sql("update idempotency_key set created_at = :at where user_id = :user and idempotency_key = :key")
                .param("at", stored.createdAt().minus(age)).param("user", user).param("key", key).update();
    }

    @Test
    void aRetriedBulkSendAnswersTheSameBatchAndSendsEachTaskOnce() {
        String[] acme = companyWithMoney("100.00");
        Http http = new Http(port);
        List<String> refs = List.of(
                http.post(acme[1], "/api/companies/" + acme[0] + "/tasks", task(acme[2], "One", "10.00")).json().get("ref").asText(),
                http.post(acme[1], "/api/companies/" + acme[0] + "/tasks", task(acme[2], "Two", "20.00")).json().get("ref").asText());
        String key = Fixtures.unique("bulk");
        String path = "/api/companies/" + acme[0] + "/task-sends";

        Http.Response first = withKey(acme[1], "POST", path, json(Map.of("taskRefs", refs)), key);
        assertThat(first.status()).as(first.text()).isEqualTo(202);
        Http.Response retry = withKey(acme[1], "POST", path, json(Map.of("taskRefs", refs)), key);
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.text()).isEqualTo(first.text());
        String batch = first.header("Location");
        Http.await("the bulk send is done", () -> http.get(acme[1], batch).json().get("finishedAt") != null);
        JsonNode done = http.get(acme[1], batch).json();
        assertThat(done.get("sent").asInt()).isEqualTo(2);
        assertThat(balance(acme[0])).isEqualTo("70.00");
        assertThat(jdbc.sql("select count(*) from payout_send_batch where company_id = :c").param("c", acme[0]).query(Long.class).single())
                .isEqualTo(1);
    }

    @Test
    void aRepeatedStartThroughEngineRestAnswers409WithTheFirstInstance() {
        String[] acme = companyWithMoney(null);
        String dave = fixtures.member(acme[0]);
        String reference = Fixtures.unique("ERP");
        String start = "/engine-rest/process-definition/key/task-payout/start";
        String body = """
                {"businessKey":"%s","variables":{
                  "companyId":{"value":"%s"},"contractorId":{"value":"%s"},"title":{"value":"Logo"},
                  "amount":{"value":"10.00"},"currency":{"value":"EUR"}}}
                """.formatted(reference, acme[0], acme[2]);
        Http http = new Http(port);

        Http.Response first = http.post(acme[1], start, body);
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        String instance = first.json().get("id").asText();
        Http.Response again = http.post(acme[1], start, body);
        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(again.json().get("processInstanceId").asText()).isEqualTo(instance);
        assertThat(again.json().get("message").asText()).contains(reference).contains(instance);

        // another member of the company does not learn the instance: the business key is simply taken
        Http.Response other = http.post(dave, start, body);
        assertThat(other.status()).as(other.text()).isEqualTo(400);
        assertThat(other.text()).doesNotContain(instance).contains("exists already");

        // the domain API's start with the same reference by the same person: the same answer
        Http.Response viaApi = http.post(acme[1], "/api/companies/" + acme[0] + "/tasks", json(Map.of("contractorId", acme[2],
                "title", "Logo", "amount", "10.00", "currency", "EUR", "reference", reference)));
        assertThat(viaApi.status()).as(viaApi.text()).isEqualTo(409);
        assertThat(viaApi.json().get("processInstanceId").asText()).isEqualTo(instance);

        // still so once the instance has ended: the task is deleted, the key stays used
        assertThat(http.delete(acme[1], "/api/tasks/" + reference).status()).isEqualTo(200);
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceId(instance).count()).isZero();
        Http.Response afterEnd = http.post(acme[1], start, body);
        assertThat(afterEnd.status()).as(afterEnd.text()).isEqualTo(409);
        assertThat(afterEnd.json().get("processInstanceId").asText()).isEqualTo(instance);
        assertThat(tasksOf(acme[0])).isEqualTo(1);
    }
}
