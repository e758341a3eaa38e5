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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A published assignment's Apply for assignment runs in the offer's own process, which every field
 * worker reads and works by one grant on its definition: the open offer has no grant of its own, a
 * field worker sees it, its form shows the published scope from the row, and an application through
 * {@code /engine-rest} is recorded on the assignment. Nobody else sees it, nobody starts the offer's
 * process, and nothing but the form's five answers reaches the assignment's process.
 */
class FieldOfferTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired AuthorizationService authorizationService;

    Http http;
    Fixtures fixtures;
    String company;
    String client;
    String walt;
    String olga;
    String eve;
    String otherClient;
    OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);

    @BeforeEach
    void givenAPublishedAssignment() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        client = acme[1];
        otherClient = fixtures.company("globex")[1];
        walt = fixtures.fieldWorker("walt");
        olga = fixtures.fieldWorker("olga");
        eve = fixtures.contractor("eve");
        new Funding(http, fixtures).company(client, company, "1000.00", "EUR");
    }

    @Test
    void aFieldWorkerSeesTheOfferByTheDefinitionsGrantItsFormShowsTheRowAndAnApplicationIsRecorded() {
        String ref = publish();
        ProcessInstance offer = offer(ref);
        String step = taskService.createTaskQuery().processInstanceId(offer.getId()).singleResult().getId();

        assertThat(authorizationService.createAuthorizationQuery().resourceType(Resources.TASK).resourceId(step).count())
                .as("no grant of the open offer's own").isZero();
        JsonNode seen = http.get(walt, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref).json();
        assertThat(seen.findValuesAsText("id")).containsExactly(step);
        assertThat(http.get(walt, "/engine-rest/task/count?candidateUser=" + walt + "&includeAssignedTasks=true&processInstanceBusinessKey=" + ref).json().get("count").asLong())
                .isEqualTo(1);

        JsonNode form = http.get(walt, "/engine-rest/task/" + step + "/form-variables").json();
        assertThat(form.path("ref").path("value").asText()).isEqualTo(ref);
        assertThat(form.path("title").path("value").asText()).isEqualTo("Replace the gas meter");
        assertThat(form.path("askedBy").path("value").asText()).isEqualTo("acme Ltd");
        assertThat(form.path("location").path("value").asText()).isEqualTo("Main St 1, Springfield");
        assertThat(form.path("amountText").path("value").asText()).isEqualTo("500.00 EUR");
        assertThat(form.path("startAt").path("value").asText()).isEqualTo(start.toInstant().toString());
        assertThat(form.path("requirementsText").path("value").asText()).isEqualTo("Deliverables: Photo\nCustom fields: none");
        assertThat(form.path("paymentTermsDays").path("value").asInt()).isEqualTo(14);
        assertThat(form.toString()).doesNotContain("Site manager", "+49 30 1234567");
        assertThat(runtimeService.getVariables(offer.getId())).isEmpty();

        Http.Response applied = http.post(walt, "/engine-rest/task/" + step + "/complete",
                "{\"variables\":{\"applicationKind\":{\"value\":\"APPLY\"},\"applicationMessage\":{\"value\":\"I can come at eight\"}}}");
        assertThat(applied.status()).as(applied.text()).isEqualTo(204);

        JsonNode assignment = http.get(client, "/api/field-assignments/" + ref).json();
        assertThat(assignment.get("applications").findValuesAsText("workerId")).containsExactly(walt);
        ProcessInstance next = offer(ref);
        assertThat(next.getId()).as("the step comes back for the next worker").isNotEqualTo(offer.getId());
        assertThat(http.get(olga, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref).json()).hasSize(1);
    }

    @Test
    void nobodyButFieldWorkersSeesOrWorksTheOfferAndNobodyStartsIt() {
        String ref = publish();
        String step = taskService.createTaskQuery().processInstanceId(offer(ref).getId()).singleResult().getId();

        for (String who : List.of(eve, otherClient, client)) {
            assertThat(http.get(who, "/engine-rest/task?maxResults=50&processDefinitionKey=" + FieldAssignmentProcess.OFFER_KEY).json())
                    .as(who).isEmpty();
            assertThat(http.get(who, "/engine-rest/task/" + step + "/form-variables").status()).as(who).isBetween(400, 499);
            Http.Response completed = http.post(who, "/engine-rest/task/" + step + "/complete",
                    "{\"variables\":{\"applicationKind\":{\"value\":\"APPLY\"}}}");
            assertThat(completed.status()).as(who).isBetween(400, 499);
        }
        for (String who : List.of(walt, client, eve)) {
            Http.Response started = http.post(who, "/engine-rest/process-definition/key/" + FieldAssignmentProcess.OFFER_KEY + "/start",
                    "{\"businessKey\":\"" + ref + "\"}");
            assertThat(started.status()).as(who).isBetween(400, 499);
        }
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(FieldAssignmentProcess.OFFER_KEY)
                .processInstanceBusinessKey(ref).count()).isOne();
        assertThat(http.get(client, "/api/field-assignments/" + ref).json().get("applications")).isEmpty();
    }

    @Test
    void onlyTheFormsAnswersReachTheAssignmentsProcess() {
        String ref = publish();
        ProcessInstance offer = offer(ref);
        String step = taskService.createTaskQuery().processInstanceId(offer.getId()).singleResult().getId();

        Http.Response extra = http.post(walt, "/engine-rest/task/" + step + "/complete", "{\"variables\":{"
                + "\"applicationKind\":{\"value\":\"APPLY\"},\"workerId\":{\"value\":\"" + walt + "\"},\"status\":{\"value\":\"ASSIGNED\"}}}");
        assertThat(extra.status()).as(extra.text()).isEqualTo(400);
        assertThat(taskService.createTaskQuery().taskId(step).count()).as("the step stays open").isOne();

        Http.Response applied = http.post(walt, "/engine-rest/task/" + step + "/complete", "{\"variables\":{"
                + "\"applicationKind\":{\"value\":\"COUNTEROFFER\"},\"proposedPrice\":{\"value\":\"450.00\"}}}");
        assertThat(applied.status()).as(applied.text()).isEqualTo(204);
        ProcessInstance assignment = runtimeService.createProcessInstanceQuery().processDefinitionKey(FieldAssignmentProcess.KEY)
                .processInstanceBusinessKey(ref).singleResult();
        assertThat(runtimeService.getVariables(assignment.getId())).doesNotContainKeys("applicationKind", "proposedPrice", "workerId")
                .containsEntry("status", "PUBLISHED");
        JsonNode applications = http.get(client, "/api/field-assignments/" + ref).json().get("applications");
        assertThat(applications.findValuesAsText("price")).containsExactly("450.00");
    }

    private ProcessInstance offer(String ref) {
        return runtimeService.createProcessInstanceQuery().processDefinitionKey(FieldAssignmentProcess.OFFER_KEY)
                .processInstanceBusinessKey(ref).singleResult();
    }

    private String publish() {
        Map<String, Object> body = new HashMap<>();
        body.put("title", "Replace the gas meter");
        body.put("description", "Old meter <strong>leaks</strong>");
        body.put("location", "Main St 1, Springfield");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plusHours(8).toString());
        body.put("budget", "500.00");
        body.put("currency", "EUR");
        body.put("paymentTermsDays", 14);
        body.put("checkInRequired", false);
        body.put("requiredDeliverables", List.of("Photo"));
        body.put("contactName", "Site manager");
        body.put("contactPhone", "+49 30 1234567");
        Http.Response published = http.post(client, "/api/companies/" + company + "/field-assignments", json(body));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        return published.json().get("ref").asText();
    }
}
