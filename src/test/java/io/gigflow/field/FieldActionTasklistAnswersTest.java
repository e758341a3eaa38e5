package io.gigflow.field;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A client's action refused through Tasklist's own engine API (its start form, as the page
 * submits it) answers like /engine-rest: 404 for an assignment the client cannot see, 409 for
 * one whose state refuses the action; no 500, no stack trace in the answer or the log, and no
 * action instance left behind.
 */
@ExtendWith(OutputCaptureExtension.class)
class FieldActionTasklistAnswersTest extends WebTestBase {

    private static final String SUBMIT = "/camunda/api/engine/engine/default/process-definition/key/"
            + FieldActionProcess.CLIENT_KEY + "/submit-form";

    @Autowired IdentityService identityService;
    @Autowired HistoryService historyService;
    @Autowired FieldAssignmentService assignments;
    @Autowired Ledger ledger;
    @Autowired RepositoryService repositoryService;

    @Test
    void aRefusedClientActionInTasklistAnswers404Or409LikeEngineRestWithoutAStackTrace(CapturedOutput output) throws Exception {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String client = acme[1];
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.company(acme[0]), Money.of("1000.00", "EUR"), "Top-up");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3);
        String cancelled = fixtures.as(client, () -> assignments.publish(acme[0], new FieldAssignmentService.NewAssignment(
                "Replace the meter", null, "Main St 1", start.toString(), start.plusHours(8).toString(), "500.00", "EUR", 14,
                false, List.of(), List.of(), "Site manager", null, null, null, List.of(), null))).ref();
        fixtures.as(client, () -> assignments.cancel(cancelled, null, "Not needed"));
        String stranger = fixtures.company("globex")[1];
        long actionsBefore = historyService.createHistoricProcessInstanceQuery().processDefinitionKey(FieldActionProcess.CLIENT_KEY).count();
        int logBefore = output.getAll().length();

        WebappSession tasklist = WebappSession.login(port, "tasklist", client, Fixtures.PASSWORD);
        tasklist.get("/camunda/api/engine/engine/default/task?maxResults=1"); // the session's CSRF token
        Http.Response unknown = tasklist.post(SUBMIT, cancel("F-does-not-exist"));
        Http.Response settled = tasklist.post(SUBMIT, cancel(cancelled));
        // the start form's page submits to the definition by id
        String definitionId = repositoryService.createProcessDefinitionQuery().processDefinitionKey(FieldActionProcess.CLIENT_KEY)
                .latestVersion().singleResult().getId();
        Http.Response settledById = tasklist.post("/camunda/api/engine/engine/default/process-definition/" + definitionId
                + "/submit-form", cancel(cancelled));
        WebappSession strangersTasklist = WebappSession.login(port, "tasklist", stranger, Fixtures.PASSWORD);
        strangersTasklist.get("/camunda/api/engine/engine/default/task?maxResults=1");
        Http.Response someoneElses = strangersTasklist.post(SUBMIT, cancel(cancelled));
        Http.Response settledOnEngineRest = new Http(port).post(client, "/engine-rest/process-definition/key/"
                + FieldActionProcess.CLIENT_KEY + "/submit-form", cancel(cancelled));

        assertThat(someoneElses.status()).as(someoneElses.text()).isEqualTo(404);
        assertThat(someoneElses.json().get("message").asText()).isEqualTo("No assignment " + cancelled);
        assertThat(unknown.status()).as(unknown.text()).isEqualTo(404);
        assertThat(unknown.json().get("type").asText()).isEqualTo("NotFoundException");
        assertThat(unknown.json().get("message").asText()).isEqualTo("No assignment F-does-not-exist");
        assertThat(settled.status()).as(settled.text()).isEqualTo(409);
        assertThat(settled.json().get("type").asText()).isEqualTo("ConflictException");
        assertThat(settled.text()).contains(cancelled).doesNotContain("\tat ", "Exception:");
        assertThat(settledById.status()).as(settledById.text()).isEqualTo(409);
        assertThat(settledById.json()).isEqualTo(settled.json());
        assertThat(settledOnEngineRest.status()).isEqualTo(409);
        assertThat(settledOnEngineRest.json()).isEqualTo(settled.json());
        assertThat(historyService.createHistoricProcessInstanceQuery().processDefinitionKey(FieldActionProcess.CLIENT_KEY).count())
                .isEqualTo(actionsBefore);
        String log = output.getAll().substring(logBefore);
        assertThat(log).doesNotContain("\tat org.camunda", " ERROR ", "ENGINE-16004", "F-does-not-exist");
    }

    private static String cancel(String ref) {
        return "{\"variables\":{\"assignmentRef\":{\"value\":\"" + ref + "\",\"type\":\"String\"},"
                + "\"action\":{\"value\":\"CANCEL\",\"type\":\"String\"}}}";
    }
}
