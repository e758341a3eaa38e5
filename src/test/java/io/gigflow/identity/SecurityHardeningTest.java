package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import java.util.List;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The engine hardening of the README's Security section, as configured in application.yaml, holds in the running engine. */
class SecurityHardeningTest extends WebTestBase {

    @Autowired ProcessEngine engine;
    @Autowired IdentityService identityService;

    @Test
    void theEngineRunsHardened() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

        assertThat(configuration.isAuthorizationEnabled()).isTrue();
        assertThat(configuration.isJavaSerializationFormatEnabled()).isFalse();
        assertThat(configuration.isEnableExpressionsInStoredQueries()).as("for the shipped Tasklist filters; see TasklistFiltersTest").isTrue();
        assertThat(configuration.isEnableExpressionsInAdhocQueries()).isFalse();
        assertThat(configuration.getQueryMaxResultsLimit()).isEqualTo(2000);
        assertThat(configuration.isEnableXxeProcessing()).isFalse();
        assertThat(identityService.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count()).isPositive();
    }

    @Test
    void cockpitListsDefinitionVersionsThoughUnboundedQueriesAreRefused() throws Exception {
        WebappSession operator = WebappSession.login(port, "cockpit", "admin", "admin");

        Http.Response versions = operator.get("/camunda/api/engine/engine/default/process-definition?key=task-payout&sortBy=version&sortOrder=desc");

        assertThat(versions.status()).as(versions.text()).isEqualTo(200);
        assertThat(versions.json()).isNotEmpty();
        String someone = new Fixtures(identityService).contractor("someone");
        Http.Response unbounded = new Http(port).get(someone, "/engine-rest/task");
        assertThat(unbounded.status()).isEqualTo(400);
        assertThat(unbounded.text()).contains("unbound number of results");
    }

    @Test
    void onlyOperatorsMayStartAtAnInnerStepMoveTokensWriteVariablesOrSuspendThroughTheEngineApi() throws Exception {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String start = "{\"variables\":{},\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"Task_PayContractor\"}]}";

        Http.Response inner = http.post(acme[1], "/engine-rest/process-definition/key/task-payout/start", start);
        Http.Response skipping = http.post(acme[1], "/engine-rest/process-definition/key/task-payout/start",
                "{\"variables\":{},\"skipCustomListeners\":true,"
                        + "\"startInstructions\":[{\"type\":\"startBeforeActivity\",\"activityId\":\"Task_RegisterTask\"}]}");
        Http.Response modification = http.post(acme[1], "/engine-rest/process-instance/any/modification", "{\"instructions\":[]}");
        Http.Response variables = http.post(acme[1], "/engine-rest/process-instance/any/variables", "{\"modifications\":{}}");
        Http.Response suspend = http.put(acme[1], "/engine-rest/process-instance/suspended", "{\"suspended\":true}");
        Http.Response assignee = http.post(acme[1], "/engine-rest/task/any/assignee", "{\"userId\":\"x\"}");
        WebappSession tasklist = WebappSession.login(port, "tasklist", acme[1], Fixtures.PASSWORD);
        Http.Response viaWebapp = tasklist.post("/camunda/api/engine/engine/default/process-instance/any/modification", "{\"instructions\":[]}");

        assertThat(List.of(inner, skipping, modification, variables, suspend, assignee, viaWebapp))
                .extracting(Http.Response::status).containsOnly(403);
        assertThat(inner.text()).contains("inner step");
        assertThat(http.post(acme[1], "/engine-rest/task?maxResults=10", "{}").status()).isEqualTo(200);
        assertThat(http.post(acme[1], "/engine-rest/process-definition/key/task-payout/start", "{\"variables\":{}}").status())
                .isEqualTo(400);
    }

    @Test
    void bothApisRequireCredentialsAndTheDatabaseConsoleIsNotExposed() {
        Http http = new Http(port);

        assertThat(http.get(null, "/api/me/balances").status()).isEqualTo(401);
        assertThat(http.get(null, "/api/me/balances").header("WWW-Authenticate")).as("no challenge a browser would remember").isNull();
        assertThat(http.get(null, "/engine-rest/process-definition").status()).isEqualTo(401);
        assertThat(http.get(null, "/engine-rest/process-definition").header("WWW-Authenticate")).startsWith("Basic");
        assertThat(http.get(null, "/h2-console").status()).isIn(401, 404);
        assertThat(http.get(null, "/h2-console/").status()).isIn(401, 404);
    }
}
