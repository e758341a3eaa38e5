package io.gigflow.payout;

import static io.gigflow.support.Http.json;
import static io.gigflow.support.OpenSteps.formValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.OpenSteps;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The forms of task-payout's two human steps show the task's row, read when the form is opened:
 * through Tasklist's engine API and /engine-rest alike, after an edit at once, whatever variables
 * of the same names an operator (or anybody) put into the instance; to nobody who may not read
 * the step; and the engine keeps no copy of the terms, whichever door started the task.
 */
class TaskPayoutFormFactsTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;

    Http http;
    OpenSteps steps;
    Fixtures fixtures;
    String company;
    String staff;
    String alice;

    @BeforeEach
    void givenAFundedCompanyAndAContractor() {
        http = new Http(port);
        steps = new OpenSteps(runtimeService, taskService, TaskPayoutProcess.KEY);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        staff = acme[1];
        alice = fixtures.contractor("alice");
        new Funding(http, fixtures).company(staff, company, "1000.00", "EUR");
    }

    @Test
    void theReviewShowsTheRowThroughEveryDoorAndAnEditAtOnce() throws Exception {
        String ref = create("Logo design", "<p>Two <b>colours</b></p>", "120.50");
        String review = steps.step(ref, TaskPayoutProcess.TASK_REVIEW_DRAFT);

        JsonNode rest = http.get(staff, "/engine-rest/task/" + review + "/form-variables").json();
        assertThat(formValue(rest, "ref")).isEqualTo(ref);
        assertThat(formValue(rest, "title")).isEqualTo("Logo design");
        assertThat(formValue(rest, "amountText")).isEqualTo("120.50 EUR");
        assertThat(formValue(rest, "descriptionText")).isEqualTo("Two colours");
        assertThat(formValue(rest, "party")).isEqualTo(alice.substring(0, 1).toUpperCase() + alice.substring(1) + " Tester");
        assertThat(rest.path("sendRefusal").path("value").isNull()).isTrue();

        WebappSession tasklist = WebappSession.login(port, "tasklist", staff, Fixtures.PASSWORD);
        JsonNode webapp = tasklist.get("/camunda/api/engine/engine/default/task/" + review + "/form-variables").json();
        assertThat(formValue(webapp, "amountText")).isEqualTo("120.50 EUR");
        // names asked for: only those
        JsonNode some = http.get(staff, "/engine-rest/task/" + review + "/form-variables?variableNames=title,ref").json();
        assertThat(some.fieldNames()).toIterable().containsExactlyInAnyOrder("title", "ref");

        assertThat(http.put(staff, "/api/tasks/" + ref, json(Map.of("title", "Logo, revised", "amount", "99.00", "currency", "EUR")))
                .status()).isEqualTo(200);
        JsonNode edited = http.get(staff, "/engine-rest/task/" + review + "/form-variables").json();
        assertThat(formValue(edited, "title")).isEqualTo("Logo, revised");
        assertThat(formValue(edited, "amountText")).isEqualTo("99.00 EUR");
        assertThat(runtimeService.getVariables(steps.instance(ref))).containsOnlyKeys("status");
    }

    @Test
    void variablesOfTheSameNamesChangeNothingTheContractorIsShown() {
        String ref = create("Logo design", null, "200.00");
        assertThat(http.post(staff, "/api/tasks/" + ref + "/send", null).status()).isIn(200, 202);
        String accept = steps.step(ref, TaskPayoutProcess.TASK_ACCEPT_TASK);
        // an operator's repair, or anything else that writes instance and task variables of the form's names
        runtimeService.setVariables(steps.instance(ref), Map.of("title", "Free money", "amountText", "1,000,000.00 EUR", "askedBy", "Bank"));
        taskService.setVariablesLocal(accept, Map.of("ref", "PAY-1", "amountText", "0.01 EUR"));

        JsonNode form = http.get(alice, "/engine-rest/task/" + accept + "/form-variables").json();
        assertThat(formValue(form, "title")).isEqualTo("Logo design");
        assertThat(formValue(form, "amountText")).isEqualTo("200.00 EUR");
        assertThat(formValue(form, "ref")).isEqualTo(ref);
        assertThat(formValue(form, "askedBy")).isEqualTo("acme Ltd");
    }

    @Test
    void nobodyWhoMayNotReadTheStepGetsItsFactsThroughAnySpelling() {
        String ref = create("Secret project", "Only for alice", "300.00");
        assertThat(http.post(staff, "/api/tasks/" + ref + "/send", null).status()).isIn(200, 202);
        String accept = steps.step(ref, TaskPayoutProcess.TASK_ACCEPT_TASK);
        String bob = fixtures.contractor("bob");
        String otherStaff = fixtures.company("globex")[1];

        for (String who : List.of(bob, otherStaff)) {
            for (String path : List.of("/engine-rest/task/" + accept + "/form-variables", "/engine-rest/task/" + accept + "/form-variables/",
                    "/engine-rest/task/" + accept + ";x/form-variables", "/engine-rest/task/" + accept + "/form-variables;x",
                    "/engine-rest/engine/default/task/" + accept + "/form-variables", "/engine-rest/task/" + accept + "/%66orm-variables",
                    "/engine-rest/task//" + accept + "/form-variables")) {
                Http.Response answer = http.get(who, path);
                assertThat(answer.status()).as(who + " " + path).isBetween(400, 499);
                assertThat(answer.text()).as(who + " " + path).doesNotContain("Secret project").doesNotContain("300.00");
            }
        }
        JsonNode alices = http.get(alice, "/engine-rest/task/" + accept + "/form-variables").json();
        assertThat(formValue(alices, "title")).isEqualTo("Secret project");
    }

    @Test
    void aStartThroughTheEngineKeepsNoCopyOfTheTermsEither() {
        String reference = Fixtures.unique("T");
        Http.Response start = http.post(staff, "/engine-rest/process-definition/key/task-payout/start", """
                {"businessKey":"%s","variables":{
                  "companyId":{"value":"%s"},"contractorId":{"value":"%s"},"title":{"value":"Via the engine"},
                  "description":{"value":"<p>Hi<script>x()</script></p>"},"amount":{"value":"10.00"},"currency":{"value":"EUR"}}}
                """.formatted(reference, company, alice));
        assertThat(start.status()).as(start.text()).isEqualTo(200);

        assertThat(runtimeService.getVariables(steps.instance(reference))).containsOnlyKeys("status");
        JsonNode form = http.get(staff, "/engine-rest/task/" + steps.step(reference, TaskPayoutProcess.TASK_REVIEW_DRAFT) + "/form-variables").json();
        assertThat(formValue(form, "title")).isEqualTo("Via the engine");
        assertThat(formValue(form, "descriptionText")).isEqualTo("Hi");
    }

    private String create(String title, String description, String amount) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("contractorId", alice, "title", title, "amount", amount, "currency", "EUR"));
        if (description != null) {
            body.put("description", description);
        }
        Http.Response created = http.post(staff, "/api/companies/" + company + "/tasks", json(body));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("ref").asText();
    }
}
