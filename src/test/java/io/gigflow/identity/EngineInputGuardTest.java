package io.gigflow.identity;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.Ledger;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The engine takes from a person only what the lifecycles declare, through /engine-rest as
 * through every other door: a completion only its form's fields, a start only its start
 * variables, a message only a declared one with its variables; claims only for oneself; no
 * variable writes, no start at an inner step, no objects. Operators keep the whole engine.
 */
class EngineInputGuardTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired Ledger ledger;

    Http http;
    Fixtures fixtures;
    String company;
    String carol;
    String alice;
    String bob;

    @BeforeEach
    void givenACompanyWithMoneyAndTwoContractors() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        carol = acme[1];
        alice = fixtures.contractor("alice");
        bob = fixtures.contractor("bob");
        new Funding(http, fixtures).company(carol, company, "100.00", "EUR");
    }

    @Test
    void aStartWithAVariableNobodyDeclaredIsRefusedNamingItAndLeavesNothing() {
        String reference = Fixtures.unique("T");
        Http.Response start = http.post(carol, "/engine-rest/process-definition/key/task-payout/start", """
                {"businessKey":"%s","variables":{
                  "companyId":{"value":"%s"},"contractorId":{"value":"%s"},"title":{"value":"Logo"},
                  "amount":{"value":"10.00"},"currency":{"value":"EUR"},"autoPublish":{"value":true,"type":"Boolean"}}}
                """.formatted(reference, company, alice));

        assertThat(start.status()).as(start.text()).isEqualTo(400);
        assertThat(start.json().get("message").asText()).contains("autoPublish").contains("is not an input of process task-payout");
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(reference).count()).isZero();
        assertThat(http.get(carol, "/api/tasks/" + reference).status()).isEqualTo(404);
    }

    @Test
    void aStartAtAnInnerStepOrWithoutListenersIsForOperatorsOnly() {
        String reference = Fixtures.unique("T");
        String variables = """
                "variables":{"companyId":{"value":"%s"},"contractorId":{"value":"%s"},"title":{"value":"Logo"},
                  "amount":{"value":"10.00"},"currency":{"value":"EUR"}}""".formatted(company, alice);
        Http.Response inner = http.post(carol, "/engine-rest/process-definition/key/task-payout/start", """
                {"businessKey":"%s",%s,"startInstructions":[{"type":"startBeforeActivity","activityId":"Task_PayContractor"}]}
                """.formatted(reference, variables));
        Http.Response unheard = http.post(carol, "/engine-rest/process-definition/key/task-payout/start",
                "{\"businessKey\":\"%s\",%s,\"skipCustomListeners\":true}".formatted(reference, variables));

        assertThat(inner.status()).as(inner.text()).isEqualTo(403);
        // the engine itself refuses to skip the listeners of a start at the start event
        assertThat(unheard.status()).as(unheard.text()).isEqualTo(400);
        assertThat(unheard.json().get("message").asText()).contains("Cannot skip custom listeners");
        Http.Response unheardInner = http.post(carol, "/engine-rest/process-definition/key/task-payout/start", """
                {"businessKey":"%s",%s,"skipCustomListeners":true,
                 "startInstructions":[{"type":"startBeforeActivity","activityId":"Task_RegisterTask"}]}
                """.formatted(reference, variables));
        assertThat(unheardInner.status()).as(unheardInner.text()).isEqualTo(403);
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(reference).count()).isZero();
    }

    @Test
    void aCompletionThatPlantsAVariableBesideItsDecisionIsRefusedAndTheStepStaysOpen() {
        Task step = sentTaskAwaitingAlice();

        for (String planted : new String[] {"companyId", "amount", "contractorId", "acceptanceReminder", "status", "autoPublish"}) {
            Http.Response complete = http.post(alice, "/engine-rest/task/" + step.getId() + "/complete", """
                    {"variables":{"decision":{"value":"ACCEPT"},"%s":{"value":"contractors"}}}""".formatted(planted));
            Http.Response submit = http.post(alice, "/engine-rest/task/" + step.getId() + "/submit-form", """
                    {"variables":{"decision":{"value":"ACCEPT"},"%s":{"value":"contractors"}}}""".formatted(planted));

            assertThat(complete.status()).as(complete.text()).isEqualTo(400);
            assertThat(complete.json().get("message").asText()).contains(planted).contains("is not an input of step Task_AcceptTask");
            assertThat(submit.status()).as(submit.text()).isEqualTo(400);
        }
        assertThat(taskService.createTaskQuery().taskId(step.getId()).count()).isOne();
        // the task's terms are in its row, not in variables; none of the planted ones was written
        assertThat(runtimeService.getVariables(step.getProcessInstanceId())).doesNotContainKeys("companyId", "amount", "contractorId",
                "acceptanceReminder", "autoPublish").containsEntry("status", "AWAITING_CONTRACTOR");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void anObjectValueIsRefusedEvenForADeclaredField() {
        Task step = sentTaskAwaitingAlice();

        Http.Response complete = http.post(alice, "/engine-rest/task/" + step.getId() + "/complete", """
                {"variables":{"decision":{"value":"[\\"ACCEPT\\"]","type":"Object",
                  "valueInfo":{"objectTypeName":"java.util.ArrayList","serializationDataFormat":"application/json"}}}}""");

        assertThat(complete.status()).as(complete.text()).isEqualTo(400);
        assertThat(taskService.createTaskQuery().taskId(step.getId()).count()).isOne();
    }

    @Test
    void theDeclaredDecisionAloneCompletesTheStep() {
        Task step = sentTaskAwaitingAlice();
        String reference = businessKey(step);

        Http.Response complete = http.post(alice, "/engine-rest/task/" + step.getId() + "/complete",
                "{\"variables\":{\"decision\":{\"value\":\"ACCEPT\"}}}");

        assertThat(complete.status()).as(complete.text()).isEqualTo(204);
        Http.await("alice is paid", () -> "PAID".equals(http.get(alice, "/api/tasks/" + reference).json().get("status").asText()));
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void nobodyButAnOperatorWritesVariablesOrHandsAStepToSomebodyElse() {
        Task step = sentTaskAwaitingAlice();
        String instance = step.getProcessInstanceId();

        assertThat(http.put(alice, "/engine-rest/task/" + step.getId() + "/variables/decision",
                "{\"value\":\"ACCEPT\"}").status()).isEqualTo(403);
        assertThat(http.post(alice, "/engine-rest/task/" + step.getId() + "/localVariables",
                "{\"modifications\":{\"decision\":{\"value\":\"ACCEPT\"}}}").status()).isEqualTo(403);
        assertThat(http.post(alice, "/engine-rest/task/" + step.getId() + "/claim", "{\"userId\":\"" + bob + "\"}").status())
                .isEqualTo(403);
        assertThat(http.post(alice, "/engine-rest/task/" + step.getId() + "/assignee", "{\"userId\":\"" + bob + "\"}").status())
                .isEqualTo(403);
        assertThat(http.post(alice, "/engine-rest/task/" + step.getId() + "/delegate", "{\"userId\":\"" + bob + "\"}").status())
                .isEqualTo(403);
        assertThat(http.post(carol, "/engine-rest/process-instance/" + instance + "/variables",
                "{\"modifications\":{\"companyId\":{\"value\":\"contractors\"}}}").status()).isEqualTo(403);

        assertThat(taskService.createTaskQuery().taskId(step.getId()).singleResult().getAssignee()).isEqualTo(alice);
        assertThat(runtimeService.getVariables(instance)).doesNotContainKeys("companyId", "decision");

        // an operator repairs what needs repairing
        String operator = fixtures.person(Fixtures.unique("oscar"), "camunda-admin");
        assertThat(http.put(operator, "/engine-rest/process-instance/" + instance + "/variables/note",
                "{\"value\":\"checked\"}").status()).isEqualTo(204);
    }

    @Test
    void aMessageIsADeclaredOneWithItsVariablesForOneNamedInstance() {
        Task step = sentTaskAwaitingAlice();
        String reference = businessKey(step);

        Http.Response planted = http.post(carol, "/engine-rest/message", """
                {"messageName":"TaskCancelledByCompany","businessKey":"%s","processVariables":{"decision":{"value":"DECLINE"}}}
                """.formatted(reference));
        Http.Response undeclared = http.post(carol, "/engine-rest/message",
                "{\"messageName\":\"SomethingElse\",\"businessKey\":\"%s\"}".formatted(reference));
        Http.Response toAll = http.post(carol, "/engine-rest/message",
                "{\"messageName\":\"TaskCancelledByCompany\",\"all\":true}");
        Http.Response untargeted = http.post(carol, "/engine-rest/message", "{\"messageName\":\"TaskCancelledByCompany\"}");

        assertThat(planted.status()).as(planted.text()).isEqualTo(400);
        assertThat(planted.json().get("message").asText()).contains("decision");
        assertThat(undeclared.status()).as(undeclared.text()).isEqualTo(403);
        assertThat(toAll.status()).as(toAll.text()).isEqualTo(403);
        assertThat(untargeted.status()).as(untargeted.text()).isEqualTo(400);
        assertThat(taskService.createTaskQuery().taskId(step.getId()).count()).isOne();

        Http.Response cancel = http.post(carol, "/engine-rest/message",
                "{\"messageName\":\"TaskCancelledByCompany\",\"businessKey\":\"%s\"}".formatted(reference));
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(204);
        Http.await("the task is refunded", () -> "DECLINED_BY_COMPANY".equals(
                http.get(carol, "/api/tasks/" + reference).json().get("status").asText()));
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void aReadOfAStepOrInstanceThatIsNotThereAnswers404OnBothDoors() throws Exception {
        WebappSession tasklist = WebappSession.login(port, "tasklist", alice, Fixtures.PASSWORD);
        for (String path : new String[] {"/task/made0up/variables", "/task/made0up/localVariables", "/task/made0up/identity-links",
                "/process-instance/made0up/variables"}) {
            Http.Response rest = http.get(alice, "/engine-rest" + path);
            Http.Response webapp = tasklist.get("/camunda/api/engine/engine/default" + path);
            assertThat(rest.status()).as(path + " " + rest.text()).isEqualTo(404);
            assertThat(webapp.status()).as(path + " " + webapp.text()).isEqualTo(404);
        }
    }

    private String businessKey(Task step) {
        return runtimeService.createProcessInstanceQuery().processInstanceId(step.getProcessInstanceId()).singleResult().getBusinessKey();
    }

    private Task sentTaskAwaitingAlice() {
        Http.Response created = http.post(carol, "/api/companies/" + company + "/tasks",
                json(Map.of("contractorId", alice, "title", "Logo", "amount", "10.00", "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String reference = created.json().get("ref").asText();
        Http.Response sent = http.post(carol, "/api/tasks/" + reference + "/send", null);
        assertThat(sent.status()).as(sent.text()).isIn(200, 202);
        JsonNode task = http.get(carol, "/api/tasks/" + reference).json();
        assertThat(task.get("status").asText()).isEqualTo("AWAITING_CONTRACTOR");
        String instance = runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(reference).singleResult().getId();
        return taskService.createTaskQuery().processInstanceId(instance).taskDefinitionKey("Task_AcceptTask").singleResult();
    }
}
