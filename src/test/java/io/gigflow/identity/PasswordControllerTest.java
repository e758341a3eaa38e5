package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.SignInClient;
import io.gigflow.support.WebTestBase;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngineConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** PUT /api/me/password in the default profile (password policy off); the policy is shown in PostgresProfileTest. */
class PasswordControllerTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired ProcessEngineConfiguration engine;

    @Test
    void aPersonChangesTheirOwnPasswordAndTheOldOneNoLongerSignsIn() {
        String alice = new Fixtures(identityService).contractor("alice");
        SignInClient client = new SignInClient(port, "192.0.2.61");

        Http.Response changed = client.put(alice, Fixtures.PASSWORD, "/api/me/password",
                Http.json(Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "Another-Horse-43")));

        assertThat(changed.status()).as(changed.text()).isEqualTo(204);
        assertThat(client.get(alice, "Another-Horse-43", "/api/me/balances").status()).isEqualTo(200);
        assertThat(client.get(alice, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(401);
    }

    @Test
    void aWrongCurrentPasswordOrAMissingNewOneIs400NamingTheFieldAndChangesNothing() {
        String bob = new Fixtures(identityService).contractor("bob");
        SignInClient client = new SignInClient(port, "192.0.2.62");

        Http.Response missing = client.put(bob, Fixtures.PASSWORD, "/api/me/password", Http.json(Map.of("currentPassword", Fixtures.PASSWORD)));
        Http.Response wrong = client.put(bob, Fixtures.PASSWORD, "/api/me/password",
                Http.json(Map.of("currentPassword", "not-it", "newPassword", "Another-Horse-43")));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("newPassword");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.json().get("errors").get(0).get("field").asText()).isEqualTo("currentPassword");
        assertThat(identityService.checkPassword(bob, "Another-Horse-43")).isFalse();
    }

    @Test
    void theDemoProfileKeepsThePolicyOffSoItsDocumentedPasswordsStayValid() {
        String carl = new Fixtures(identityService).customer("carl");
        SignInClient client = new SignInClient(port, "192.0.2.63");

        assertThat(engine.isEnablePasswordPolicy()).isFalse();
        assertThat(client.put(carl, Fixtures.PASSWORD, "/api/me/password",
                Http.json(Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", "demo"))).status()).isEqualTo(204);
    }

    @Test
    void nobodyChangesAPasswordWithoutSigningIn() {
        assertThat(new Http(port).put(null, "/api/me/password",
                Http.json(Map.of("currentPassword", "x", "newPassword", "Another-Horse-43"))).status()).isEqualTo(401);
    }
}
