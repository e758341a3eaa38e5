package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.ApiContract;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The served description is a contract integrators can build on (each operation with a summary, its
 * area, its real statuses and schemas), and {@link ApiContract}, which every API test's {@link Http}
 * exchange goes through, really reports an exchange that leaves it.
 */
class ApiContractTest extends WebTestBase {

    @Autowired IdentityService identityService;

    Http http;
    JsonNode docs;
    String alice;

    @BeforeEach
    void readTheDescription() throws Exception {
        http = new Http(port);
        Http.Response served = http.get(null, "/v3/api-docs/gigflow");
        assertThat(served.status()).isEqualTo(200);
        docs = served.json();
        // for reading it as an integrator does
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/openapi-gigflow.json"), served.body());
        alice = new Fixtures(identityService).contractor("alice");
    }

    @Test
    void everyOperationHasASummaryAnAreaAndProblemAnswers() {
        List<String> areas = new ArrayList<>();
        docs.get("tags").forEach(t -> {
            areas.add(t.get("name").asText());
            assertThat(t.path("description").asText()).as("tag %s", t.get("name")).isNotBlank();
        });
        assertThat(areas).contains("Task payouts", "Service orders", "Contractor milestones", "Order checklists",
                "Field assignments", "Top-ups", "Withdrawals", "Ledger", "Statements", "Documents", "Notifications", "Identity",
                "Operations");
        int operations = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = docs.get("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String name = op.getKey() + " " + path.getKey();
                JsonNode operation = op.getValue();
                operations++;
                assertThat(operation.path("summary").asText()).as("summary of %s", name).isNotBlank();
                assertThat(operation.get("tags")).as("tags of %s", name).hasSize(1);
                assertThat(areas).as("tag of %s", name).contains(operation.get("tags").get(0).asText());
                operation.get("responses").fields().forEachRemaining(r -> {
                    if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                        assertThat(r.getValue().at("/content/application~1problem+json/schema/$ref").asText())
                                .as("%s %s", name, r.getKey()).isEqualTo("#/components/schemas/Problem");
                    }
                });
            }
        }
        assertThat(operations).isGreaterThan(100);
        assertThat(docs.at("/components/securitySchemes/basic/scheme").asText()).isEqualTo("basic");
        assertThat(docs.at("/components/schemas/Problem/properties/errors/items/$ref").asText())
                .isEqualTo("#/components/schemas/ProblemFieldError");
    }

    @Test
    void sameNamedTypesOfTwoModulesKeepTheirOwnSchemas() {
        String serviceOrderBody = requestSchema("/api/services/{ref}/orders", "post");
        String checklistOrderBody = requestSchema("/api/agency-services/{ref}/orders", "post");
        assertThat(serviceOrderBody).isEqualTo("#/components/schemas/order.ServiceOrderService.PlaceOrder");
        assertThat(checklistOrderBody).isEqualTo("#/components/schemas/checklist.ChecklistOrderService.PlaceOrder");
        assertThat(answerSchema("/api/orders/{ref}", "get", "200")).isEqualTo("#/components/schemas/order.OrderView");
        assertThat(answerSchema("/api/checklist-orders/{ref}", "get", "200")).isEqualTo("#/components/schemas/checklist.OrderView");
        assertThat(requestSchema("/api/field-assignments/{ref}/requests", "post"))
                .isEqualTo("#/components/schemas/field.FieldAssignmentService.WorkerRequest");
        assertThat(requestSchema("/api/orders/{ref}/extra-requests", "post"))
                .isEqualTo("#/components/schemas/order.ServiceOrderService.ExtraRequest");
    }

    @Test
    void createsAnswer201AndBackgroundStepsAnswer202() {
        JsonNode create = docs.at("/paths/~1api~1companies~1{companyId}~1tasks/post/responses");
        assertThat(create.has("201")).isTrue();
        assertThat(create.has("200")).isFalse();
        assertThat(create.at("/201/content/application~1json/schema/$ref").asText()).isEqualTo("#/components/schemas/payout.TaskView");
        for (String step : List.of("accept", "decline", "cancel")) {
            JsonNode answers = docs.at("/paths/~1api~1tasks~1{ref}~1" + step + "/post/responses");
            assertThat(answers.has("202")).as(step).isTrue();
            assertThat(answers.has("200")).as(step).isFalse();
            assertThat(answers.fieldNames()).toIterable().as(step).contains("400", "401", "403", "404", "409", "422");
        }
        assertThat(docs.at("/paths/~1api~1me~1balances/get/responses").fieldNames()).toIterable()
                .doesNotContain("404", "409", "422");
    }

    @Test
    void theValidatorReportsAnUndeclaredStatusAWrongBodyAndATakenInvalidRequest() {
        Http.Response real = http.get(alice, "/api/me/notification-settings");
        assertThat(real.status()).isEqualTo(200);
        Map<String, List<String>> signedIn = Map.of("Authorization", List.of("Basic " + Base64.getEncoder()
                .encodeToString((alice + ":" + Fixtures.PASSWORD).getBytes(StandardCharsets.UTF_8))));
        String base = "http://127.0.0.1:" + port;

        assertThat(ApiContract.violations(base, "GET", "/api/me/notification-settings", signedIn, null, 200, real.headers(),
                real.body())).as("the real exchange").isEmpty();
        assertThat(ApiContract.violations(base, "GET", "/api/me/notification-settings", signedIn, null, 201, real.headers(),
                real.body())).contains("validation.response.status.unknown");
        assertThat(ApiContract.violations(base, "GET", "/api/me/balances", signedIn, null, 404, real.headers(),
                "{\"title\":\"Not found\",\"status\":404}".getBytes(StandardCharsets.UTF_8)))
                .as("a 404 where no resource is named").contains("validation.response.status.unknown");
        assertThat(ApiContract.violations(base, "GET", "/api/me/notification-settings", signedIn, null, 200, real.headers(),
                "{\"emailEnabled\":\"yes\"}".getBytes(StandardCharsets.UTF_8))).contains("validation.response.body");

        Map<String, List<String>> json = Map.of("Authorization", signedIn.get("Authorization"), "Content-Type",
                List.of("application/json"));
        byte[] wrongType = "{\"emailEnabled\":\"yes\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(ApiContract.violations(base, "PUT", "/api/me/notification-settings", json, wrongType, 200, real.headers(),
                real.body())).contains("took (200) a request its description calls invalid").contains("validation.request.body");
        Http.Response refused = http.put(alice, "/api/me/notification-settings", "{\"emailEnabled\":\"yes\"}");
        assertThat(refused.status()).as("the API refuses it, as the description says").isEqualTo(400);
    }

    @Test
    void requiredFieldsAreDescribedAndHeldBothWays() {
        JsonNode task = docs.at("/components/schemas/payout.TaskView");
        assertThat(task.get("required")).extracting(JsonNode::asText).contains("ref", "status", "amount", "currency", "createdAt")
                .doesNotContain("description", "declineReason");
        assertThat(task.at("/properties/ref/nullable").asBoolean()).as("a required field is never null").isFalse();
        assertThat(task.at("/properties/declineReason/nullable").asBoolean()).isTrue();
        JsonNode create = docs.at("/components/schemas/payout.TaskPayoutService.CreateTask");
        assertThat(create.get("required")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("contractorId", "title", "amount", "currency");
        assertThat(docs.at("/paths/~1api~1companies~1{companyId}~1tasks/post/requestBody/required").asBoolean())
                .as("a body with required fields is required").isTrue();
        assertThat(docs.at("/paths/~1api~1top-ups~1{id}~1rejection/post/requestBody/required").asBoolean())
                .as("also where the controller takes a missing body, to name the missing field").isTrue();
        assertThat(docs.at("/paths/~1api~1me~1notification-settings/put/requestBody/required").asBoolean())
                .as("a change of settings names what it changes").isFalse();

        Http.Response real = http.get(alice, "/api/me/notification-settings");
        Map<String, List<String>> json = Map.of("Authorization", List.of("Basic " + Base64.getEncoder()
                .encodeToString((alice + ":" + Fixtures.PASSWORD).getBytes(StandardCharsets.UTF_8))), "Content-Type",
                List.of("application/json"));
        String base = "http://127.0.0.1:" + port;
        java.net.http.HttpHeaders problemHeaders = java.net.http.HttpHeaders.of(
                Map.of("Content-Type", List.of("application/problem+json")), (name, value) -> true);
        byte[] problem = "{\"title\":\"Refused\",\"status\":422}".getBytes(StandardCharsets.UTF_8);
        byte[] noAmount = "{\"contractorId\":\"bob\",\"title\":\"Logo\",\"currency\":\"EUR\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(ApiContract.violations(base, "POST", "/api/companies/acme/tasks", json, noAmount, 422, problemHeaders, problem))
                .as("a business rule decided on a request without a required field").contains("validation.request.body.schema.required")
                .contains("answered 422");
        byte[] badInput = ("{\"title\":\"Bad input\",\"status\":400,\"errors\":[{\"field\":\"amount\",\"rule\":\"required\","
                + "\"message\":\"is required\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(ApiContract.violations(base, "POST", "/api/companies/acme/tasks", json, noAmount, 400, problemHeaders, badInput))
                .as("the same request refused as bad input").isEmpty();
        byte[] undescribed = ("{\"title\":\"Bad input\",\"status\":400,\"errors\":[{\"field\":\"taskAmount\",\"rule\":"
                + "\"required\",\"message\":\"is required\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(ApiContract.violations(base, "POST", "/api/companies/acme/tasks", json, noAmount, 400, problemHeaders, undescribed))
                .as("a 400 that requires a field the description does not have").contains("taskAmount");
        byte[] nested = ("{\"title\":\"Bad input\",\"status\":400,\"errors\":[{\"field\":\"options[1].name\",\"rule\":"
                + "\"required\",\"message\":\"is required\"},{\"field\":\"attachment.fileName\",\"rule\":\"required\","
                + "\"message\":\"is required\"}]}").getBytes(StandardCharsets.UTF_8);
        assertThat(ApiContract.violations(base, "POST", "/api/me/services", json, "{}".getBytes(StandardCharsets.UTF_8), 400,
                problemHeaders, nested)).as("a nested field that the description has, and one it does not")
                .doesNotContain("options[1].name").contains("attachment.fileName");

        assertThat(ApiContract.violations(base, "GET", "/api/companies/acme/settings", json, null, 200, real.headers(),
                "{}".getBytes(StandardCharsets.UTF_8))).as("an answer without a required field")
                .contains("validation.response.body.schema.required");
    }

    private String requestSchema(String path, String method) {
        return docs.get("paths").get(path).get(method).at("/requestBody/content/application~1json/schema/$ref").asText();
    }

    private String answerSchema(String path, String method, String status) {
        return docs.get("paths").get(path).get(method).at("/responses/" + status + "/content/application~1json/schema/$ref").asText();
    }
}
