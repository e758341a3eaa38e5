package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The hardening of DESIGN.md section 4, as configured in application.yaml, holds in the running engine. */
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
    void bothApisRequireCredentialsAndTheDatabaseConsoleIsNotExposed() {
        Http http = new Http(port);

        assertThat(http.get(null, "/api/me/balances").status()).isEqualTo(401);
        assertThat(http.get(null, "/api/me/balances").header("WWW-Authenticate")).startsWith("Basic");
        assertThat(http.get(null, "/engine-rest/process-definition").status()).isEqualTo(401);
        assertThat(http.get(null, "/h2-console").status()).isIn(401, 404);
        assertThat(http.get(null, "/h2-console/").status()).isIn(401, 404);
    }
}
