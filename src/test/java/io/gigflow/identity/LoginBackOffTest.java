package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.SignInClient;
import io.gigflow.support.WebTestBase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Wrong passwords lock a user for a while, with a back-off, and never for good: Camunda's
 * permanent lock after 10 failures would let anybody lock any account, the administrator's
 * included. The back-off of each failure is real; to reach 15 counted failures without
 * waiting out 3 + 6 + ... seconds, the test ends each lock by moving its expiry into the past,
 * which is what the passing of time does.
 */
class LoginBackOffTest extends WebTestBase {

    /** The test profile's administrator (camunda.bpm.admin-user in application-test.yaml). */
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin";
    private static final int FAILURES = 15;

    @Autowired IdentityService identityService;
    @Autowired ProcessEngine engine;
    @Autowired JdbcClient jdbc;

    @AfterEach
    void theAdministratorIsNeverLeftLocked() {
        jdbc.sql("update act_id_user set attempts_ = 0, lock_exp_time_ = null where id_ = ?").param(ADMIN).update();
    }

    @Test
    void theEngineNeverLocksForGoodAndBoundsTheDelay() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();

        assertThat(configuration.getLoginMaxAttempts()).isEqualTo(Integer.MAX_VALUE);
        assertThat(configuration.getLoginDelayMaxTime()).isEqualTo(60);
        assertThat(configuration.getLoginDelayBase()).isEqualTo(3);
        assertThat(configuration.getLoginDelayFactor()).isEqualTo(2);
    }

    @Test
    void fifteenWrongPasswordsLockAUserForAWhileAndTheRightOneWorksAfterTheBackOff() {
        String alice = new Fixtures(identityService).contractor("alice");
        SignInClient client = new SignInClient(port, "192.0.2.51");

        failRepeatedly(client, alice, "/api/me/balances");

        assertThat(client.get(alice, Fixtures.PASSWORD, "/api/me/balances").status()).as("locked during the back-off").isEqualTo(401);
        endTheBackOff(alice);
        assertThat(client.get(alice, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(attempts(alice)).as("a successful sign-in starts the count over").isZero();
    }

    @Test
    void theAdministratorToo() {
        SignInClient client = new SignInClient(port, "192.0.2.52");

        failRepeatedly(client, ADMIN, "/engine-rest/user?maxResults=1");

        assertThat(client.get(ADMIN, ADMIN_PASSWORD, "/engine-rest/user?maxResults=1").status()).isEqualTo(401);
        endTheBackOff(ADMIN);
        assertThat(client.get(ADMIN, ADMIN_PASSWORD, "/engine-rest/user?maxResults=1").status()).isEqualTo(200);
    }

    /** {@value #FAILURES} counted failures, each locking the user for at most a minute. */
    private void failRepeatedly(SignInClient client, String user, String path) {
        for (int i = 1; i <= FAILURES; i++) {
            assertThat(client.get(user, "wrong-" + i, path).status()).isEqualTo(401);
            assertThat(attempts(user)).as("failures counted").isEqualTo(i);
            Duration lock = Duration.between(Instant.now(), lockExpiry(user));
            assertThat(lock).as("the back-off after failure %d", i)
                    .isLessThanOrEqualTo(Duration.ofSeconds(60)).isGreaterThan(Duration.ZERO);
            if (i < FAILURES) {
                endTheBackOff(user);
            }
        }
    }

    private void endTheBackOff(String user) {
        jdbc.sql("update act_id_user set lock_exp_time_ = ? where id_ = ?")
                .param(Timestamp.from(Instant.now().minusSeconds(1))).param(user).update();
    }

    private int attempts(String user) {
        return jdbc.sql("select attempts_ from act_id_user where id_ = ?").param(user).query(Integer.class).single();
    }

    private Instant lockExpiry(String user) {
        return jdbc.sql("select lock_exp_time_ from act_id_user where id_ = ?").param(user).query(Timestamp.class).single().toInstant();
    }
}
