package io.gigflow.checklist;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An agency, its staff and a client over real HTTP, with the job executor running and
 * GreenMail receiving the emails: Todo and its Tasklist filters, activities on the client's
 * profile per role, the HTML rules, both ways to start, and who may see what.
 */
class OrderChecklistApiTest extends WebTestBase {

    private static final String SCRIPTED = "<strong>Brief</strong> <script>alert('x')</script><img src=x onerror=alert(1)>"
            + "<a href=\"javascript:alert(1)\">bad</a> <a href=\"https://example.test/brief\" onclick=\"steal()\">brief</a>"
            + "<ul><li>one</li></ul><iframe src=\"https://evil.test\"></iframe>";

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;

    Http http;
    Fixtures fixtures;
    String agency;
    String admin;
    String ann;
    String bob;
    String client;
    String stranger;
    String outsider;
    String service;

    @BeforeEach
    void givenAnAgencyWithAnAdminTwoStaffAServiceAndAClient() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("agency");
        agency = company[0];
        ann = company[1];
        bob = fixtures.member(agency);
        admin = fixtures.agencyAdmin(agency);
        client = fixtures.client("cli");
        stranger = fixtures.client("eve");
        outsider = fixtures.company("rival")[1];
        Http.Response created = http.post(ann, "/api/agencies/" + agency + "/services", json(Map.of("title", "Website care",
                "tasks", List.of(
                        task("Kick-off call", List.of(ann), true, false, 0, SCRIPTED),
                        task("Review the site", List.of(bob), false, false, null, null),
                        task("Approve the plan", List.of(), true, true, 5, "Please <em>approve</em>")),
                "library", List.of(task("Speed audit", List.of(bob), false, false, null, null)))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        service = created.json().get("ref").asText();
    }

    @Test
    void listsEveryOpenTaskInTodoWithFiltersBadgeCountsAndPastDueFlagsAndShipsTheSameViewsAsTasklistFilters() {
        String first = place(List.of(bob));
        String second = place(List.of());

        JsonNode todo = http.get(ann, "/api/todo/tasks").json();
        assertThat(todo.get("counts").get("open").asInt()).isEqualTo(6);
        assertThat(todo.get("counts").get("active").asInt()).isEqualTo(2);
        assertThat(todo.get("counts").get("pastDue").asInt()).as("kick-offs due on the day of the order").isEqualTo(2);
        assertThat(todo.get("counts").get("mine").asInt()).isEqualTo(2);
        assertThat(todo.get("items")).hasSize(6);
        assertThat(todo.get("items").get(0).get("orderRef").asText()).isIn(first, second);

        JsonNode bobs = http.get(ann, "/api/todo/tasks?assignee=" + bob).json();
        assertThat(bobs.get("items").findValuesAsText("name")).containsExactly("Review the site", "Review the site");
        assertThat(bobs.get("counts").get("open").asInt()).as("counts stay those of the whole Todo").isEqualTo(6);
        JsonNode pastDue = http.get(bob, "/api/todo/tasks?status=pastDue").json();
        assertThat(pastDue.get("items").findValuesAsText("name")).containsExactly("Kick-off call", "Kick-off call");
        assertThat(pastDue.get("items").findValues("pastDue")).allMatch(JsonNode::asBoolean);
        JsonNode mineActive = http.get(ann, "/api/todo/tasks?assignee=me&status=active").json();
        assertThat(mineActive.get("items").findValuesAsText("orderRef")).containsExactlyInAnyOrder(first, second);
        JsonNode clients = http.get(ann, "/api/todo/tasks?assignee=" + client).json();
        assertThat(clients.get("items").findValuesAsText("name")).containsExactly("Approve the plan", "Approve the plan");
        assertThat(http.get(ann, "/api/todo/tasks?status=late").status()).isEqualTo(400);
        assertThat(http.get(outsider, "/api/todo/tasks").json().get("counts").get("open").asInt()).isZero();
        assertThat(http.get(client, "/api/todo/tasks").status()).isEqualTo(403);

        // the same views in Tasklist: the agency's filter lists its open checklist tasks for every member
        JsonNode filters = http.get(bob, "/engine-rest/filter?resourceType=Task&firstResult=0&maxResults=500").json();
        String agencyFilter = null;
        String landsOn = null;
        int lowest = Integer.MAX_VALUE;
        for (JsonNode filter : filters) {
            if (filter.get("name").asText().equals("Checklist · agency Ltd (" + agency + ")")) {
                agencyFilter = filter.get("id").asText();
            }
            if (filter.get("properties").get("priority").asInt() < lowest) {
                lowest = filter.get("properties").get("priority").asInt();
                landsOn = filter.get("name").asText();
            }
        }
        assertThat(landsOn).as("Tasklist opens the lowest priority first: staff land on their agency's tasks")
                .isEqualTo("Checklist · agency Ltd (" + agency + ")");
        assertThat(agencyFilter).as(filters.toString()).isNotNull();
        Http.Response counted = http.get(bob, "/engine-rest/filter/" + agencyFilter + "/count");
        assertThat(counted.json().get("count").asInt()).as("both kick-offs, visible to all staff; bob may not complete them").isEqualTo(2);
        assertThat(http.get(outsider, "/engine-rest/filter/" + agencyFilter + "/count").status()).isIn(403, 404);
        assertThat(http.get(outsider, "/engine-rest/filter?resourceType=Task&firstResult=0&maxResults=500").json().findValuesAsText("id")).doesNotContain(agencyFilter);
    }

    @Test
    void showsActivitiesToAdminsAllAndToOtherStaffTheUnassignedAndTheirOwn() {
        place(List.of());
        String path = "/api/clients/" + client + "/activities";
        Http.Response unassigned = http.post(admin, path, json(Map.of("note", "Quarterly check-in")));
        assertThat(unassigned.status()).as(unassigned.text()).isEqualTo(201);
        http.post(admin, path, json(Map.of("note", "Renewal offer for bob", "assigneeId", bob,
                "dueAt", OffsetDateTime.now().plusDays(3).toString())));
        long annsId = http.post(admin, path, json(Map.of("note", "Call back <script>x()</script>", "assigneeId", ann,
                "dueAt", OffsetDateTime.now().minusHours(2).toString()))).json().get("id").asLong();

        assertThat(upcoming(admin)).containsExactlyInAnyOrder("Quarterly check-in", "Renewal offer for bob", "Call back");
        assertThat(upcoming(ann)).containsExactlyInAnyOrder("Quarterly check-in", "Call back");
        assertThat(upcoming(bob)).containsExactlyInAnyOrder("Quarterly check-in", "Renewal offer for bob");
        JsonNode annsTodo = http.get(ann, "/api/todo/activities").json();
        assertThat(annsTodo.get("counts").get("open").asInt()).isEqualTo(2);
        assertThat(annsTodo.get("counts").get("pastDue").asInt()).isEqualTo(1);
        assertThat(annsTodo.get("counts").get("mine").asInt()).isEqualTo(1);
        assertThat(http.get(ann, "/api/todo/activities?status=pastDue").json().get("items").findValuesAsText("note")).containsExactly("Call back");
        assertThat(http.get(admin, "/api/todo/activities?assignee=" + bob).json().get("items").findValuesAsText("note"))
                .containsExactly("Renewal offer for bob");
        assertThat(http.post(bob, path + "/" + annsId + "/complete", null).status()).isEqualTo(404);

        JsonNode completed = http.post(ann, path + "/" + annsId + "/complete", null).json();
        assertThat(completed.get("status").asText()).isEqualTo("DONE");
        JsonNode timeline = http.get(ann, "/api/clients/" + client + "/timeline").json();
        assertThat(timeline.get("upcoming").findValuesAsText("note")).containsExactly("Quarterly check-in");
        assertThat(timeline.get("entries").get(0).get("kind").asText()).isEqualTo("ACTIVITY");
        assertThat(timeline.get("entries").get(0).get("what").asText()).isEqualTo("Call back");
        assertThat(timeline.get("entries").get(0).get("at").asText()).isEqualTo(completed.get("completedAt").asText());
        assertThat(timeline.get("entries").findValuesAsText("kind")).contains("ORDER_OPENED");

        for (String nobody : List.of(client, stranger, outsider)) {
            assertThat(http.get(nobody, "/api/clients/" + client + "/timeline").status()).as(nobody).isEqualTo(404);
            assertThat(http.post(nobody, path, json(Map.of("note", "x"))).status()).as(nobody).isEqualTo(404);
            assertThat(http.post(nobody, path + "/" + annsId + "/complete", null).status()).as(nobody).isEqualTo(404);
        }
        Http.Response invalid = http.post(ann, path, json(Map.of("note", "<script>only()</script>", "dueAt", "tomorrow", "assigneeId", stranger)));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("note", "dueAt", "assigneeId");
    }

    @Test
    void keepsOnlyTheAllowedHtmlInDescriptionsSoAScriptNeverComesBackOut() {
        String order = place(List.of());
        Http.Response added = http.post(ann, "/api/checklist-orders/" + order + "/items", json(task("Extra <b>step</b>", List.of(ann), true, false, null, SCRIPTED)));
        assertThat(added.status()).as(added.text()).isEqualTo(201);

        List<String> answers = new ArrayList<>();
        answers.add(http.get(ann, "/api/agency-services/" + service).text());
        answers.add(http.get(ann, "/api/checklist-orders/" + order).text());
        answers.add(http.get(client, "/api/checklist-orders/" + order).text());
        answers.add(http.get(ann, "/api/todo/tasks").text());
        answers.add(http.get(client, "/engine-rest/task?firstResult=0&maxResults=10&processInstanceBusinessKey=" + order).text());
        answers.add(http.get(ann, "/engine-rest/task?firstResult=0&maxResults=10&processInstanceBusinessKey=" + order).text());
        assertThat(answers.get(5)).contains("Kick-off call", "Brief");
        for (String answer : answers) {
            assertThat(answer.toLowerCase()).doesNotContain("<script", "alert(", "onerror", "javascript:", "onclick", "<iframe", "<img", "<b>");
        }
        JsonNode kickOff = http.get(ann, "/api/checklist-orders/" + order).json().get("items").get(0);
        assertThat(kickOff.get("description").asText()).contains("<strong>Brief</strong>", "<ul><li>one</li></ul>",
                "href=\"https://example.test/brief\"");
        assertThat(http.get(ann, "/api/checklist-orders/" + order).json().get("items").get(3).get("name").asText()).isEqualTo("Extra step");
    }

    @Test
    void emailsTheClientAndTheCollaboratorsWhenAClientTaskBecomesActive() {
        String order = place(List.of(bob));
        JsonNode card = http.get(ann, "/api/checklist-orders/" + order).json();
        long kickOff = card.get("items").get(0).get("id").asLong();
        long review = card.get("items").get(1).get("id").asLong();
        long approve = card.get("items").get(2).get("id").asLong();

        assertThat(http.post(client, "/api/checklist-orders/" + order + "/items/" + approve + "/done", null).status()).isEqualTo(404);
        assertThat(http.post(ann, "/api/checklist-orders/" + order + "/items/" + kickOff + "/done", null).status()).isEqualTo(200);
        assertThat(http.post(bob, "/api/checklist-orders/" + order + "/items/" + review + "/done", null).json().get("items").get(2)
                .get("active").asBoolean()).isTrue();

        await("the client and bob got the email", () -> subjectsTo(client).contains("Your action is needed: Approve the plan")
                && subjectsTo(bob).contains("Your action is needed: Approve the plan"));
        assertThat(subjectsTo(ann)).doesNotContain("Your action is needed: Approve the plan");
        JsonNode inApp = http.get(client, "/api/notifications").json();
        assertThat(inApp.get("items").findValuesAsText("event")).contains("CLIENT_TASK_ACTIVE");

        // the client completes it in Tasklist's way: the task is assigned to them, itemDone is checked on the server
        JsonNode tasks = http.get(client, "/engine-rest/task?firstResult=0&maxResults=10&processInstanceBusinessKey=" + order).json();
        assertThat(tasks).hasSize(1);
        String taskId = tasks.get(0).get("id").asText();
        Http.Response notDone = http.post(client, "/engine-rest/task/" + taskId + "/complete",
                "{\"variables\":{\"itemDone\":{\"value\":false,\"type\":\"Boolean\"}}}");
        assertThat(notDone.status()).isEqualTo(400);
        assertThat(notDone.json().get("message").asText()).contains("itemDone");
        assertThat(http.post(client, "/engine-rest/task/" + taskId + "/complete",
                "{\"variables\":{\"itemDone\":{\"value\":true,\"type\":\"Boolean\"}}}").status()).isEqualTo(204);
        JsonNode done = http.get(client, "/api/checklist-orders/" + order).json();
        assertThat(done.get("status").asText()).isEqualTo("COMPLETED");
        await("the completion was emailed", () -> subjectsTo(client).stream().anyMatch(s -> s.startsWith("Completed:")));
    }

    @Test
    void startsThroughEngineRestAsTheDomainApiDoesAndAnswersStrangers404AndBadInput400() {
        String start = "/engine-rest/process-definition/key/order-checklist/start";
        long before = runtimeService.createProcessInstanceQuery().processDefinitionKey("order-checklist").count();
        String variables = "{\"variables\":{\"serviceRef\":{\"value\":\"" + service + "\",\"type\":\"String\"},"
                + "\"clientId\":{\"value\":\"" + client + "\",\"type\":\"String\"},"
                + "\"billingCycle\":{\"value\":\"P1M\",\"type\":\"String\"}}}";

        Http.Response invalid = http.post(ann, start, variables.replace("P1M", "monthly").replace(client, stranger + "x"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("message").asText()).contains("billingCycle", "clientId");
        assertThat(http.post(outsider, start, variables).status()).isEqualTo(403);
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey("order-checklist").count()).isEqualTo(before);
        Http.Response started = http.post(ann, start, variables);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        String order = started.json().get("businessKey").asText();
        JsonNode card = http.get(bob, "/api/checklist-orders/" + order).json();
        assertThat(card.get("billingCycle").asText()).isEqualTo("P1M");
        assertThat(card.get("items")).hasSize(3);

        for (String nobody : List.of(stranger, outsider)) {
            assertThat(http.get(nobody, "/api/checklist-orders/" + order).status()).as(nobody).isEqualTo(404);
            assertThat(http.post(nobody, "/api/checklist-orders/" + order + "/cancel", null).status()).as(nobody).isEqualTo(404);
            assertThat(http.post(nobody, "/api/checklist-orders/" + order + "/items", json(task("x", List.of(), false, false, null, null))).status())
                    .as(nobody).isEqualTo(404);
            assertThat(http.get(nobody, "/api/agency-services/" + service).status()).as(nobody).isEqualTo(404);
            assertThat(http.post(nobody, "/api/agency-services/" + service + "/orders", json(Map.of("clientId", client))).status()).isEqualTo(404);
            assertThat(http.get(nobody, "/engine-rest/process-instance?firstResult=0&maxResults=10&businessKey=" + order).json()).as(nobody).isEmpty();
        }
        assertThat(http.post(client, "/api/checklist-orders/" + order + "/cancel", null).status()).isEqualTo(403);

        Http.Response badService = http.post(ann, "/api/agencies/" + agency + "/services", json(Map.of("title", " ",
                "tasks", List.of(task("A", List.of(stranger), false, true, -1, null)))));
        assertThat(badService.status()).isEqualTo(400);
        assertThat(badService.json().get("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("title", "tasks[0].visibleInPortal", "tasks[0].deadlineDays", "tasks[0].assignees");
        Map<String, Object> badItem = new HashMap<>(task("", List.of(), false, false, null, null));
        badItem.put("position", 9);
        Http.Response badAdd = http.post(ann, "/api/checklist-orders/" + order + "/items", json(badItem));
        assertThat(badAdd.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("name", "assignees", "position");
        Http.Response badOrder = http.put(ann, "/api/checklist-orders/" + order + "/item-order", json(Map.of("itemIds", List.of(1))));
        assertThat(badOrder.json().get("errors").findValuesAsText("field")).containsExactly("itemIds");
        Http.Response badPlace = http.post(ann, "/api/agency-services/" + service + "/orders", json(Map.of("clientId", ann, "billingCycle", "PT5M")));
        assertThat(badPlace.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("clientId", "billingCycle");

        assertThat(http.post(bob, "/api/checklist-orders/" + order + "/cancel", null).json().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(http.post(bob, "/api/checklist-orders/" + order + "/cancel", null).status()).isEqualTo(409);
    }

    @Test
    void theClientCannotReadTheOrdersProcessThroughTheEngineApiWhileATeamTaskIsActive() {
        String order = place(List.of());

        assertThat(http.get(client, "/engine-rest/process-instance?businessKey=" + order + "&maxResults=10").json()).isEmpty();
        assertThat(http.get(client, "/engine-rest/variable-instance?variableName=itemName&maxResults=100").text()).doesNotContain("Kick-off call");
        assertThat(http.get(client, "/engine-rest/task?maxResults=10").json()).isEmpty();
        assertThat(http.get(ann, "/engine-rest/process-instance?businessKey=" + order + "&maxResults=10").json()).hasSize(1);
    }

    private String place(List<String> collaborators) {
        Http.Response placed = http.post(ann, "/api/agency-services/" + service + "/orders",
                json(Map.of("clientId", client, "collaborators", collaborators)));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        return placed.json().get("ref").asText();
    }

    private List<String> upcoming(String user) {
        return http.get(user, "/api/clients/" + client + "/timeline").json().get("upcoming").findValuesAsText("note");
    }

    private static Map<String, Object> task(String name, List<String> assignees, boolean visible, boolean clientTask, Integer days,
            String description) {
        Map<String, Object> task = new HashMap<>();
        task.put("name", name);
        task.put("assignees", assignees);
        task.put("visibleInPortal", visible);
        task.put("clientTask", clientTask);
        if (days != null) {
            task.put("deadlineDays", days);
        }
        if (description != null) {
            task.put("description", description);
        }
        return task;
    }
}
