package io.gigflow.checklist;

import static io.gigflow.support.Http.json;
import static io.gigflow.support.OpenSteps.formValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.OpenSteps;
import io.gigflow.support.WebTestBase;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * "Do checklist task" shows the order's rows, read when the form is opened: the reference, the
 * order's title, who asks, the active item's name, description and due date, and what follows it.
 * The engine keeps no copy of them (nor of the start's values), whichever door started the order,
 * so an edit of the active item shows at once and nobody who may not read the step gets them.
 */
class ChecklistFormFactsTest extends WebTestBase {

    private static final List<String> NOT_KEPT = List.of("serviceRef", "clientId", "collaborators", "billingCycle", "title", "itemId",
            "itemName", "itemDescription", "itemDue", "nextText", "ref", "askedBy");

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;

    Http http;
    OpenSteps steps;
    String agency;
    String ann;
    String client;
    String service;

    @BeforeEach
    void givenAnAgencyWithAServiceAndAClient() {
        http = new Http(port);
        steps = new OpenSteps(runtimeService, taskService, OrderChecklistProcess.KEY);
        Fixtures fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("agency");
        agency = company[0];
        ann = company[1];
        client = fixtures.client("cli");
        Http.Response created = http.post(ann, "/api/agencies/" + agency + "/services", json(Map.of("title", "Website care",
                "tasks", List.of(item("Kick-off call", List.of(ann), false, 2, "Agenda: <strong>goals</strong><script>x()</script>"),
                        item("Approve the plan", List.of(), true, null, null)))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        service = created.json().get("ref").asText();
    }

    @Test
    void theTeamsStepShowsTheRowsAndAnEditOfTheActiveItemAtOnceTheEngineKeepsNoCopy() {
        Http.Response placed = http.post(ann, "/api/agency-services/" + service + "/orders",
                json(Map.of("clientId", client, "title", "Care for cli.test")));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        String ref = placed.json().get("ref").asText();
        JsonNode kickOff = placed.json().get("items").get(0);
        String step = steps.step(ref, "Task_DoChecklistTask");

        JsonNode form = http.get(ann, "/engine-rest/task/" + step + "/form-variables").json();
        assertThat(formValue(form, "ref")).isEqualTo(ref);
        assertThat(formValue(form, "title")).isEqualTo("Care for cli.test");
        assertThat(formValue(form, "askedBy")).isEqualTo(client.substring(0, 1).toUpperCase() + client.substring(1) + " Tester");
        assertThat(formValue(form, "itemName")).isEqualTo("Kick-off call");
        assertThat(formValue(form, "itemDescription")).contains("Agenda:", "goals").doesNotContain("<", "script", "x()");
        assertThat(Instant.parse(formValue(form, "itemDue"))).isEqualTo(Instant.parse(kickOff.get("dueAt").asText()).truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS));
        assertThat(formValue(form, "nextText")).contains("\u201cApprove the plan\u201d", "the client");
        assertThat(runtimeService.getVariables(steps.instance(ref))).doesNotContainKeys(NOT_KEPT.toArray(String[]::new));
        assertThat(taskService.getVariablesLocal(step)).isEmpty();

        Http.Response edited = http.put(ann, "/api/checklist-orders/" + ref + "/items/" + kickOff.get("id").asText(),
                json(item("Kick-off call with the owner", List.of(ann), false, 2, null)));
        assertThat(edited.status()).as(edited.text()).isEqualTo(200);
        JsonNode after = http.get(ann, "/engine-rest/task/" + steps.step(ref, "Task_DoChecklistTask") + "/form-variables").json();
        assertThat(formValue(after, "itemName")).isEqualTo("Kick-off call with the owner");
        assertThat(formValue(after, "itemDescription")).isEmpty();

        // the client reads neither the team's step nor its form
        assertThat(http.get(client, "/engine-rest/task/" + steps.step(ref, "Task_DoChecklistTask") + "/form-variables").status())
                .isIn(403, 404);
    }

    @Test
    void theClientsOwnStepNamesTheAgencyAndAStartThroughEngineRestKeepsNoStartValue() {
        String start = "{\"variables\":{\"serviceRef\":{\"value\":\"" + service + "\",\"type\":\"String\"},"
                + "\"clientId\":{\"value\":\"" + client + "\",\"type\":\"String\"},"
                + "\"title\":{\"value\":\"From the CRM\",\"type\":\"String\"}}}";
        Http.Response started = http.post(ann, "/engine-rest/process-definition/key/order-checklist/start", start);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        String ref = started.json().get("businessKey").asText();
        assertThat(runtimeService.getVariables(steps.instance(ref))).doesNotContainKeys(NOT_KEPT.toArray(String[]::new));
        JsonNode order = http.get(ann, "/api/checklist-orders/" + ref).json();
        assertThat(http.post(ann, "/api/checklist-orders/" + ref + "/items/" + order.get("items").get(0).get("id").asText() + "/done", null)
                .status()).isEqualTo(200);

        String step = steps.step(ref, "Task_DoChecklistTask");
        JsonNode form = http.get(client, "/engine-rest/task/" + step + "/form-variables").json();
        assertThat(formValue(form, "title")).isEqualTo("From the CRM");
        assertThat(formValue(form, "itemName")).isEqualTo("Approve the plan");
        assertThat(formValue(form, "askedBy")).isEqualTo("agency Ltd");
        assertThat(formValue(form, "nextText")).contains("last task");
        assertThat(formValue(form, "itemDue")).isEmpty();
    }

    private static Map<String, Object> item(String name, List<String> assignees, boolean clientTask, Integer days, String description) {
        Map<String, Object> item = new HashMap<>();
        item.put("name", name);
        item.put("assignees", assignees);
        item.put("visibleInPortal", true);
        item.put("clientTask", clientTask);
        if (days != null) {
            item.put("deadlineDays", days);
        }
        if (description != null) {
            item.put("description", description);
        }
        return item;
    }
}
