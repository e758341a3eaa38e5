package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
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
        assertThat(configuration.isEnableExpressionsInStoredQueries()).isFalse();
        assertThat(configuration.isEnableExpressionsInAdhocQueries()).isFalse();
        assertThat(configuration.getQueryMaxResultsLimit()).isEqualTo(2000);
        assertThat(configuration.isEnableXxeProcessing()).isFalse();
        assertThat(identityService.createUserQuery().memberOfGroup(Groups.CAMUNDA_ADMIN).count()).isPositive();
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
