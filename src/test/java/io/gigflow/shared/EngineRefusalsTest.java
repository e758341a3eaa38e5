package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The engine's refusals of what a caller sent answer 400, not 500, through both engine APIs:
 * /engine-rest and the webapps' engine API (a Jersey application of its own). They are
 * sent by an operator, whom no gigflow guard stops, so the engine itself refuses them.
 */
class EngineRefusalsTest extends WebTestBase {

    /** The test profile's administrator (camunda.bpm.admin-user in application-test.yaml). */
    private static final String OPERATOR = "admin";

    private static final String JAVA_SERIALIZED = "{\"value\":\"rO0ABXQAAWE=\",\"type\":\"Object\",\"valueInfo\":"
            + "{\"objectTypeName\":\"java.lang.String\",\"serializationDataFormat\":\"application/x-java-serialized-object\"}}";
    private static final String JSON_OBJECT = "{\"value\":\"{}\",\"type\":\"Object\",\"valueInfo\":"
            + "{\"objectTypeName\":\"java.util.HashMap\",\"serializationDataFormat\":\"application/json\"}}";
    /** The one class the engine reads from JSON here: written only by the code, never taken from a caller. */
    private static final String FORM_OPTIONS = "{\"value\":\"[{\\\"label\\\":\\\"x\\\",\\\"value\\\":\\\"1\\\"}]\",\"type\":\"Object\","
            + "\"valueInfo\":{\"objectTypeName\":\"io.gigflow.shared.FormOptions\",\"serializationDataFormat\":\"application/json\"}}";
    private static final String UNKNOWN_TYPE = "{\"value\":\"1\",\"type\":\"Foo\"}";

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;

    private final HttpClient client = HttpClient.newHttpClient();
    private String taskId;

    @BeforeEach
    void givenADraftTaskWaitingForItsCompany() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        Http.Response created = new Http(port).post(acme[1], "/api/companies/" + acme[0] + "/tasks",
                Http.json(Map.of("contractorId", alice, "title", "Logo", "amount", "10.00", "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        taskId = taskService.createTaskQuery().taskCandidateGroup(acme[0]).singleResult().getId();
    }

    @Test
    void objectAndSerializedVariablesAreRefusedWith400OnEveryEngineRestCallThatSetsVariables() throws Exception {
        long instances = runtimeService.createProcessInstanceQuery().count();

        for (String value : new String[] {JAVA_SERIALIZED, JSON_OBJECT, FORM_OPTIONS, UNKNOWN_TYPE}) {
            String variables = "{\"variables\":{\"x\":" + value + "}}";
            assertRefused(engineRest("POST", "/engine-rest/process-definition/key/task-payout/start", variables), value);
            assertRefused(engineRest("POST", "/engine-rest/process-definition/key/task-payout/submit-form", variables), value);
            assertRefused(engineRest("POST", "/engine-rest/task/" + taskId + "/complete", variables), value);
            assertRefused(engineRest("POST", "/engine-rest/task/" + taskId + "/submit-form", variables), value);
            assertRefused(engineRest("PUT", "/engine-rest/task/" + taskId + "/variables/x", value), value);
        }

        assertThat(runtimeService.createProcessInstanceQuery().count()).as("no instance started").isEqualTo(instances);
        assertThat(taskService.createTaskQuery().taskId(taskId).count()).as("the step is still open").isEqualTo(1);
        assertThat(taskService.getVariable(taskId, "x")).isNull();
    }

    @Test
    void aBpmnErrorOrEscalationNoStepCatchesAndAStartInstructionNamingNoElementAre400() throws Exception {
        HttpResponse<String> error = engineRest("POST", "/engine-rest/task/" + taskId + "/bpmnError", "{\"errorCode\":\"Anything\"}");
        HttpResponse<String> escalation = engineRest("POST", "/engine-rest/task/" + taskId + "/bpmnEscalation", "{\"escalationCode\":\"Anything\"}");
        HttpResponse<String> startBefore = engineRest("POST", "/engine-rest/process-definition/key/task-payout/start",
                "{\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"NoSuchStep\"}]}");
        HttpResponse<String> transition = engineRest("POST", "/engine-rest/process-definition/key/task-payout/start",
                "{\"startInstructions\":[{\"type\":\"startTransition\",\"transitionId\":\"NoSuchFlow\"}]}");

        assertRefused(error, "bpmnError");
        assertRefused(escalation, "bpmnEscalation");
        assertRefused(startBefore, "startBeforeActivity");
        assertThat(startBefore.body()).contains("NoSuchStep");
        assertRefused(transition, "startTransition");
        assertThat(taskService.createTaskQuery().taskId(taskId).count()).as("the step is still open").isEqualTo(1);
    }

    @Test
    void theWebappsEngineApiAnswersTheSameRefusalsWith400() throws Exception {
        WebappSession tasklist = WebappSession.login(port, "tasklist", OPERATOR, "admin");
        tasklist.get("/camunda/api/engine/engine/default/task/" + taskId); // the CSRF token of the signed-in session
        String engine = "/camunda/api/engine/engine/default";

        for (String value : new String[] {JAVA_SERIALIZED, JSON_OBJECT}) {
            String variables = "{\"variables\":{\"x\":" + value + "}}";
            assertRefused(tasklist.post(engine + "/task/" + taskId + "/submit-form", variables), value);
            assertRefused(tasklist.post(engine + "/process-definition/key/task-payout/submit-form", variables), value);
        }
        assertRefused(tasklist.post(engine + "/task/" + taskId + "/bpmnError", "{\"errorCode\":\"Anything\"}"), "bpmnError");
        assertRefused(tasklist.post(engine + "/process-definition/key/task-payout/start",
                "{\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"NoSuchStep\"}]}"), "start instruction");
        assertThat(taskService.createTaskQuery().taskId(taskId).count()).as("the step is still open").isEqualTo(1);
    }

    private static void assertRefused(HttpResponse<String> response, String what) {
        assertThat(response.statusCode()).as(what + ": " + response.body()).isEqualTo(400);
        assertThat(response.body()).as(what).contains("\"type\":\"InvalidRequestException\"");
    }

    private static void assertRefused(Http.Response response, String what) {
        assertThat(response.status()).as(what + ": " + response.text()).isEqualTo(400);
        assertThat(response.text()).as(what).contains("\"type\":\"InvalidRequestException\"");
    }

    private HttpResponse<String> engineRest(String method, String path, String json) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((OPERATOR + ":admin").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Basic " + credentials).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
