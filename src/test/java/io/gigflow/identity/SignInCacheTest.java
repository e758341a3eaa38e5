package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gigflow.identity.CamundaUsers.CamundaUser;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.SignInClient;
import io.gigflow.support.WebTestBase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Successful sign-ins are remembered, and forgotten as soon as the identity changes through any
 * door, over real HTTP with the default settings (60 seconds). {@link CamundaUsers#checks()}
 * counts the sign-ins Camunda checked; every other one was a remembered success. Each test signs
 * in from an address of its own, so its failures count for nobody else's throttle. The old
 * password is tried before the new one: a success with the new one would replace the remembered
 * old one anyway. Its failure locks the user for the back-off, which the test ends by moving the
 * lock's expiry into the past, as LoginBackOffTest does.
 */
class SignInCacheTest extends WebTestBase {

    private static final String NEW_PASSWORD = "Another-Horse-43";

    @Autowired IdentityService identityService;
    @Autowired CamundaUsers users;
    @Autowired JdbcClient jdbc;

    @Test
    void theRightPasswordIsCheckedByCamundaOnceAndThenRemembered() {
        String alice = new Fixtures(identityService).contractor("alice");
        SignInClient client = new SignInClient(port, "192.0.2.71");
        long before = users.checks();

        for (int i = 0; i < 5; i++) {
            assertThat(client.get(alice, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        }

        assertThat(users.checks() - before).isEqualTo(1);
    }

    @Test
    void aWrongPasswordAlwaysGoesToCamundaAndTheBackOffAppliesAfterARememberedSuccess() {
        String bob = new Fixtures(identityService).contractor("bob");
        SignInClient client = new SignInClient(port, "192.0.2.72");
        long before = users.checks();

        assertThat(client.get(bob, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(client.get(bob, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(client.get(bob, "wrong-1", "/api/me/balances").status()).isEqualTo(401);
        assertThat(client.get(bob, "wrong-2", "/api/me/balances").status()).isEqualTo(401);

        assertThat(users.checks() - before).as("the first success and both failures").isEqualTo(3);
        assertThat(attempts(bob)).as("the failure outside the lock counted").isEqualTo(1);
        assertThat(client.get(bob, Fixtures.PASSWORD, "/api/me/balances").status()).as("locked during the back-off, remembered or not")
                .isEqualTo(401);
        assertThat(users.checks() - before).isEqualTo(4);

        endTheBackOff(bob);
        assertThat(client.get(bob, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(client.get(bob, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(users.checks() - before).as("checked once after the lock, then remembered again").isEqualTo(5);
        assertThat(attempts(bob)).isZero();
    }

    @Test
    void afterAnOwnPasswordChangeTheOldPasswordIsRefusedAtOnce() {
        String carl = new Fixtures(identityService).customer("carl");
        SignInClient client = new SignInClient(port, "192.0.2.73");
        assertThat(client.get(carl, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);

        assertThat(client.put(carl, Fixtures.PASSWORD, "/api/me/password",
                Http.json(Map.of("currentPassword", Fixtures.PASSWORD, "newPassword", NEW_PASSWORD))).status()).isEqualTo(204);

        assertThat(client.get(carl, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(401);
        endTheBackOff(carl); // of the old password's failure
        assertThat(client.get(carl, NEW_PASSWORD, "/api/me/balances").status()).isEqualTo(200);
    }

    @Test
    void afterAnOwnPasswordChangeThroughTheEngineApiTheOldPasswordIsRefusedAtOnce() {
        String dora = new Fixtures(identityService).contractor("dora");
        SignInClient client = new SignInClient(port, "192.0.2.74");
        assertThat(client.get(dora, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);

        Http.Response changed = client.put(dora, Fixtures.PASSWORD, "/engine-rest/user/" + dora + "/credentials",
                Http.json(Map.of("password", NEW_PASSWORD, "authenticatedUserPassword", Fixtures.PASSWORD)));

        assertOnlyTheNewPasswordWorks(changed, client, dora);
    }

    @Test
    void afterAnOperatorSetsAPasswordThroughTheEngineApiTheOldOneIsRefusedAtOnce() {
        Fixtures fixtures = new Fixtures(identityService);
        String operator = fixtures.person(Fixtures.unique("op"), Groups.CAMUNDA_ADMIN);
        String erin = fixtures.contractor("erin");
        SignInClient client = new SignInClient(port, "192.0.2.75");
        assertThat(client.get(erin, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);

        Http.Response changed = new Http(port).put(operator, "/engine-rest/user/" + erin + "/credentials",
                Http.json(Map.of("password", NEW_PASSWORD, "authenticatedUserPassword", Fixtures.PASSWORD)));

        assertOnlyTheNewPasswordWorks(changed, client, erin);
    }

    /** The change answered 204; the old password is refused at once (not served from the cache), the new one works. */
    private void assertOnlyTheNewPasswordWorks(Http.Response change, SignInClient client, String user) {
        assertThat(change.status()).as(change.text()).isEqualTo(204);
        assertThat(client.get(user, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(401);
        endTheBackOff(user); // of the old password's failure
        assertThat(client.get(user, NEW_PASSWORD, "/api/me/balances").status()).isEqualTo(200);
    }

    @Test
    void aUserTheOperatorDeletesIsRefusedAtOnce() {
        Fixtures fixtures = new Fixtures(identityService);
        String operator = fixtures.person(Fixtures.unique("op"), Groups.CAMUNDA_ADMIN);
        String fred = fixtures.contractor("fred");
        SignInClient client = new SignInClient(port, "192.0.2.76");
        assertThat(client.get(fred, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);

        assertThat(new Http(port).delete(operator, "/engine-rest/user/" + fred).status()).isEqualTo(204);

        assertThat(client.get(fred, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(401);
    }

    @Test
    void aGroupTheOperatorRemovesSomebodyFromNoLongerCountsForThem() {
        Fixtures fixtures = new Fixtures(identityService);
        String operator = fixtures.person(Fixtures.unique("op"), Groups.CAMUNDA_ADMIN);
        String former = fixtures.person(Fixtures.unique("formerop"), Groups.CAMUNDA_ADMIN);
        SignInClient client = new SignInClient(port, "192.0.2.77");
        long before = users.checks();
        assertThat(client.get(former, Fixtures.PASSWORD, "/engine-rest/deployment?maxResults=1").status()).isEqualTo(200);
        assertThat(client.get(former, Fixtures.PASSWORD, "/engine-rest/deployment?maxResults=1").status()).isEqualTo(200);
        assertThat(users.checks() - before).as("remembered with the group").isEqualTo(1);

        assertThat(new Http(port).delete(operator, "/engine-rest/group/" + Groups.CAMUNDA_ADMIN + "/members/" + former).status())
                .isEqualTo(204);

        assertThat(client.get(former, Fixtures.PASSWORD, "/engine-rest/deployment?maxResults=1").status())
                .as("not on the allow-list for parties").isEqualTo(403);
    }

    @Test
    void writesThroughTheJavaApiForgetTheRememberedSignInsGroupDeletionsIncluded() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("gone");
        String member = company[1];
        SignInClient client = new SignInClient(port, "192.0.2.78");
        long before = users.checks();
        assertThat(client.get(member, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(client.get(member, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(users.checks() - before).isEqualTo(1);

        identityService.deleteGroup(company[0]);

        assertThat(client.get(member, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(users.checks() - before).as("checked again, with the groups as they are now").isEqualTo(2);
    }

    @Test
    void aSuccessIsRememberedForItsTimeOnlyAndNotAtAllWhenTheTimeIsZero() {
        AtomicLong now = new AtomicLong();
        AtomicInteger checks = new AtomicInteger();
        CamundaUser alice = new CamundaUser("alice", List.of("contractors"));
        SignInCache cache = new SignInCache(new SignInCacheSettings(Duration.ofSeconds(60), 100), now::get);
        SignInCache off = new SignInCache(new SignInCacheSettings(Duration.ZERO, 100), now::get);

        cache.signIn("alice", "secret", () -> counted(checks, alice));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.signIn("alice", "secret", () -> counted(checks, alice))).isEqualTo(alice);
        assertThat(checks).hasValue(1);
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        cache.signIn("alice", "secret", () -> counted(checks, alice));
        assertThat(checks).as("checked again after 60 s").hasValue(2);

        off.signIn("alice", "secret", () -> counted(checks, alice));
        off.signIn("alice", "secret", () -> counted(checks, alice));
        assertThat(checks).hasValue(4);
    }

    @Test
    void anotherPasswordIsCheckedAndASuccessCheckedWhileTheIdentityChangedIsNotRemembered() {
        AtomicInteger checks = new AtomicInteger();
        CamundaUser alice = new CamundaUser("alice", List.of("contractors"));
        SignInCache cache = new SignInCache(new SignInCacheSettings(Duration.ofSeconds(60), 100), () -> 0L);

        cache.signIn("alice", "secret", () -> counted(checks, alice));
        assertThat(cache.signIn("alice", "guess", () -> counted(checks, null))).isNull();
        assertThat(cache.signIn("bob", "secret", () -> counted(checks, null))).as("another user, the same password").isNull();
        assertThat(checks).hasValue(3);

        cache.signIn("alice", "secret", () -> {
            cache.forgetAll(); // a password change commits while Camunda checks the old one
            return counted(checks, alice);
        });
        cache.signIn("alice", "secret", () -> counted(checks, alice));
        assertThat(checks).as("the success read before the change was not kept").hasValue(5);
    }

    @Test
    void aNegativeTimeOrNoRoomIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new SignInCacheSettings(Duration.ofSeconds(-1), 100)).hasMessageContaining("gigflow.security.sign-in-cache");
        assertThatThrownBy(() -> new SignInCacheSettings(Duration.ofSeconds(60), 0)).hasMessageContaining("max-users");
    }

    private static CamundaUser counted(AtomicInteger checks, CamundaUser answer) {
        checks.incrementAndGet();
        return answer;
    }

    private void endTheBackOff(String user) {
        jdbc.sql("update act_id_user set lock_exp_time_ = ? where id_ = ?")
                .param(Timestamp.from(Instant.now().minusSeconds(1))).param(user).update();
    }

    private int attempts(String user) {
        return jdbc.sql("select attempts_ from act_id_user where id_ = ?").param(user).query(Integer.class).single();
    }
}
