package io.gigflow.field;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The two field-assignment action processes over real HTTP, as platforms start them
 * (/engine-rest/.../start) and as Tasklist's start form submits them (/engine-rest/.../submit-form):
 * who may start which, the answers to refused actions, and that nothing is left of them.
 */
class FieldAssignmentActionsApiTest extends WebTestBase {

    private static final String CLIENT_START = "/engine-rest/process-definition/key/field-assignment-client-action/start";
    private static final String CLIENT_SUBMIT = "/engine-rest/process-definition/key/field-assignment-client-action/submit-form";
    private static final String WORKER_START = "/engine-rest/process-definition/key/field-assignment-worker-action/start";

    @Autowired IdentityService identityService;
    @Autowired HistoryService historyService;

    Http http;
    Fixtures fixtures;
    String company;
    String client;
    String walt;
    String olga;

    @BeforeEach
    void givenAClientCompanyWithMoneyAndTwoFieldWorkers() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        client = acme[1];
        walt = fixtures.fieldWorker("walt");
        olga = fixtures.fieldWorker("olga");
        new Funding(http, fixtures).company(client, company, "100.00", "EUR");
    }

    @Test
    void theClientPutsAnAssignmentOnHoldThroughTheEngineRestStartAndAWorkerAsksThroughItsOwn() {
        String ref = assigned();

        Http.Response held = http.post(client, CLIENT_START, variables(Map.of("assignmentRef", ref, "action", "HOLD",
                "holdReason", "SITE_NOT_READY")));
        assertThat(held.status()).as(held.text()).isEqualTo(200);
        assertThat(held.json().get("ended").asBoolean()).isTrue();
        JsonNode assignment = http.get(client, "/api/field-assignments/" + ref).json();
        assertThat(assignment.get("status").asText()).isEqualTo("ON_HOLD");
        assertThat(assignment.get("holdReason").asText()).isEqualTo("SITE_NOT_READY");

        // the way Tasklist's start form submits it
        Http.Response message = http.post(client, CLIENT_SUBMIT, variables(Map.of("assignmentRef", ref, "action", "MESSAGE",
                "messageBody", "Sorry, the site is flooded")));
        assertThat(message.status()).as(message.text()).isEqualTo(200);
        assertThat(http.get(walt, "/api/field-assignments/" + ref).json().get("messages").get(0).get("body").asText())
                .isEqualTo("Sorry, the site is flooded");

        Http.Response asked = http.post(walt, WORKER_START, variables(Map.of("assignmentRef", ref, "action", "MESSAGE",
                "messageBody", "When can I come?")));
        assertThat(asked.status()).as(asked.text()).isEqualTo(200);
        assertThat(http.get(client, "/api/field-assignments/" + ref).json().get("messages")).hasSize(2);
    }

    @Test
    void aWorkerMayNotStartTheClientsActionNorAClientTheWorkersAndTasklistOffersEachOnlyItsOwn() {
        String ref = assigned();

        Http.Response workerAsClient = http.post(walt, CLIENT_START, variables(Map.of("assignmentRef", ref, "action", "CANCEL")));
        assertThat(workerAsClient.status()).as(workerAsClient.text()).isEqualTo(403);
        Http.Response clientAsWorker = http.post(client, WORKER_START, variables(Map.of("assignmentRef", ref, "action", "EXPENSE",
                "requestAmount", "5.00")));
        assertThat(clientAsWorker.status()).as(clientAsWorker.text()).isEqualTo(403);
        assertThat(http.get(client, "/api/field-assignments/" + ref).json().get("status").asText()).isEqualTo("ASSIGNED");

        // the list behind Tasklist's "Start process"
        String startable = "/engine-rest/process-definition?latest=true&active=true&startableInTasklist=true"
                + "&startablePermissionCheck=true&maxResults=50";
        assertThat(keys(http.get(walt, startable).json())).contains("field-assignment-worker-action");
        assertThat(keys(http.get(client, startable).json())).contains("field-assignment-client-action")
                .doesNotContain("field-assignment-worker-action");
    }

    @Test
    void refusedActionsAnswer400404409Or422AndLeaveNothingBehind() {
        String ref = assigned();
        String published = publish();
        long before = historyService.createHistoricProcessInstanceQuery().processDefinitionKey("field-assignment-client-action").count();

        Http.Response noReason = http.post(client, CLIENT_START, variables(Map.of("assignmentRef", ref, "action", "HOLD")));
        assertThat(noReason.status()).as(noReason.text()).isEqualTo(400);
        assertThat(noReason.json().get("message").asText()).contains("holdReason");
        Http.Response badAction = http.post(client, CLIENT_START, variables(Map.of("assignmentRef", ref, "action", "DELETE")));
        assertThat(badAction.status()).as(badAction.text()).isEqualTo(400);
        assertThat(badAction.json().get("message").asText()).contains("action: must be one of HOLD, CANCEL, MESSAGE");
        Http.Response badPayment = http.post(client, CLIENT_START, "{\"variables\":{\"assignmentRef\":{\"value\":\"" + ref
                + "\",\"type\":\"String\"},\"action\":{\"value\":\"CANCEL\",\"type\":\"String\"},\"cancelPayment\":{\"value\":12.5,\"type\":\"Double\"}}}");
        assertThat(badPayment.status()).as(badPayment.text()).isEqualTo(400);
        assertThat(badPayment.json().get("message").asText()).contains("cancelPayment");

        String stranger = fixtures.company("globex")[1];
        Http.Response notYours = http.post(stranger, CLIENT_START, variables(Map.of("assignmentRef", ref, "action", "CANCEL")));
        assertThat(notYours.status()).as(notYours.text()).isEqualTo(404);
        Http.Response unknown = http.post(stranger, CLIENT_START, variables(Map.of("assignmentRef", "F-none", "action", "CANCEL")));
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(404);
        assertThat(notYours.json().get("message").asText()).doesNotContain(company);
        Http.Response otherWorker = http.post(olga, WORKER_START, variables(Map.of("assignmentRef", ref, "action", "MESSAGE", "messageBody", "Hi")));
        assertThat(otherWorker.status()).as(otherWorker.text()).isEqualTo(404);

        Http.Response wrongState = http.post(client, CLIENT_START, variables(Map.of("assignmentRef", published, "action", "HOLD",
                "holdReason", "SITE_NOT_READY")));
        assertThat(wrongState.status()).as(wrongState.text()).isEqualTo(409);
        // the same answers to Tasklist's start form, which submits through submit-form
        Http.Response badForm = http.post(client, CLIENT_SUBMIT, variables(Map.of("assignmentRef", ref, "action", "HOLD",
                "holdReason", "OTHER")));
        assertThat(badForm.status()).as(badForm.text()).isEqualTo(400);
        assertThat(badForm.json().get("message").asText()).contains("holdNote: is required when the reason is OTHER");
        Http.Response nobodyToPay = http.post(client, CLIENT_SUBMIT, variables(Map.of("assignmentRef", published, "action", "CANCEL",
                "cancelPayment", "10.00")));
        assertThat(nobodyToPay.status()).as(nobodyToPay.text()).isEqualTo(400);
        assertThat(nobodyToPay.json().get("message").asText()).contains("cancelPayment: nobody is assigned to be paid");
        Http.Response wrongStateForm = http.post(client, CLIENT_SUBMIT, variables(Map.of("assignmentRef", published, "action", "HOLD",
                "holdReason", "PARTS_NOT_AVAILABLE")));
        assertThat(wrongStateForm.status()).as(wrongStateForm.text()).isEqualTo(409);
        Http.Response notYoursForm = http.post(stranger, CLIENT_SUBMIT, variables(Map.of("assignmentRef", ref, "action", "CANCEL")));
        assertThat(notYoursForm.status()).as(notYoursForm.text()).isEqualTo(404);
        Http.Response short_ = http.post(client, CLIENT_START, variables(Map.of("assignmentRef", ref, "action", "CANCEL", "cancelPayment", "500.00")));
        assertThat(short_.status()).as(short_.text()).isEqualTo(422);

        assertThat(historyService.createHistoricProcessInstanceQuery().processDefinitionKey("field-assignment-client-action").count())
                .isEqualTo(before);
        assertThat(http.get(client, "/api/field-assignments/" + ref).json().get("status").asText()).isEqualTo("ASSIGNED");
        assertThat(http.get(client, "/api/field-assignments/" + published).json().get("status").asText()).isEqualTo("PUBLISHED");
    }

    @Test
    void theActionInstancesShowNothingToAnybodyThroughTheEngineRest() {
        String ref = assigned();
        Http.Response sent = http.post(client, CLIENT_START, variables(Map.of("assignmentRef", ref, "action", "MESSAGE",
                "messageBody", "Private note for walt")));
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        String id = sent.json().get("id").asText();

        for (String user : List.of(walt, olga, fixtures.member(company), client)) {
            assertThat(http.get(user, "/engine-rest/history/process-instance?processInstanceId=" + id + "&maxResults=50").json()).as(user).isEmpty();
            assertThat(http.get(user, "/engine-rest/history/variable-instance?processInstanceId=" + id + "&maxResults=50").json())
                    .as(user).isEmpty();
            assertThat(http.get(user, "/engine-rest/history/process-instance?processDefinitionKey=field-assignment-client-action&maxResults=50")
                    .json()).as(user).isEmpty();
        }
    }

    // ---- helpers

    private static String variables(Map<String, String> values) {
        Map<String, Object> variables = new LinkedHashMap<>();
        values.forEach((name, value) -> variables.put(name, Map.of("value", value, "type", "String")));
        return json(Map.of("variables", variables));
    }

    private static List<String> keys(JsonNode definitions) {
        return StreamSupport.stream(definitions.spliterator(), false).map(d -> d.get("key").asText()).toList();
    }

    private String publish() {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);
        Http.Response published = http.post(client, "/api/companies/" + company + "/field-assignments", json(Map.of(
                "title", "Read the meter", "location", "Elm St 5", "scheduledStart", start.toString(),
                "scheduledEnd", start.plusHours(2).toString(), "budget", "80.00", "currency", "EUR", "paymentTermsDays", 7,
                "contactName", "Front desk")));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        return published.json().get("ref").asText();
    }

    private String assigned() {
        String ref = publish();
        JsonNode applied = http.post(walt, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).json();
        long id = applied.get("applications").get(0).get("id").asLong();
        Http.Response chosen = http.post(client, "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", id)));
        assertThat(chosen.status()).as(chosen.text()).isEqualTo(200);
        return ref;
    }
}
