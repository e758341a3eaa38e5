package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.gigflow.support.Fixtures;
import io.gigflow.support.SignInClient;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.Http;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The per-address throttle in front of every door, over real HTTP with the default settings
 * (20 failures in 5 minutes). Each test signs in from addresses of its own (X-Forwarded-For,
 * trusted from the loopback proxy), so the tests' own failures from 127.0.0.1 count nowhere.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoginThrottleTest extends WebTestBase {

    private static final int LIMIT = 20;

    @Autowired IdentityService identityService;

    @Test
    void anAddressThatFailedTooOftenGets429ForEverySignInEvenTheRightOneWhileOthersSignInAsUsual(CapturedOutput output) {
        String alice = new Fixtures(identityService).contractor("alice");
        SignInClient guesser = new SignInClient(port, "203.0.113.7");
        SignInClient neighbour = new SignInClient(port, "203.0.113.8");

        for (int i = 0; i < LIMIT; i++) {
            assertThat(guesser.get("nobody" + i, "guess" + i, "/api/me/balances").status()).as("failure %d", i + 1).isEqualTo(401);
        }
        Http.Response throttled = guesser.get(alice, Fixtures.PASSWORD, "/api/me/balances");
        Http.Response throttledEngine = guesser.get(alice, Fixtures.PASSWORD, "/engine-rest/task?maxResults=1");
        Http.Response throttledWebapp = guesser.webappLogin(alice, Fixtures.PASSWORD);

        for (Http.Response response : new Http.Response[] {throttled, throttledEngine, throttledWebapp}) {
            assertThat(response.status()).as(response.text()).isEqualTo(429);
            assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, 300L);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("status").asInt()).isEqualTo(429);
        }
        assertThat(neighbour.get(alice, Fixtures.PASSWORD, "/api/me/balances").status()).isEqualTo(200);
        assertThat(output.getOut() + output.getErr()).containsOnlyOnce("Sign-ins from 203.0.113.7 are refused");
    }

    @Test
    void failedWebappLoginsCountAndThrottleTheEngineApiToo() {
        SignInClient guesser = new SignInClient(port, "198.51.100.21");

        for (int i = 0; i < LIMIT; i++) {
            assertThat(guesser.webappLogin("nobody", "guess" + i).status()).as("failure %d", i + 1).isEqualTo(401);
        }

        assertThat(guesser.get("nobody", "guess", "/engine-rest/task?maxResults=1").status()).isEqualTo(429);
        assertThat(guesser.webappLogin("nobody", "guess").status()).isEqualTo(429);
    }

    @Test
    void successfulRequestsAreNeitherCountedNorSlowedAndRequestsWithoutCredentialsAreNoGuesses() {
        String bob = new Fixtures(identityService).contractor("bob");
        SignInClient busy = new SignInClient(port, "198.51.100.30");

        for (int i = 0; i < LIMIT - 1; i++) {
            assertThat(busy.get("nobody", "guess", "/api/me/balances").status()).isEqualTo(401);
        }
        for (int i = 0; i < 3 * LIMIT; i++) {
            assertThat(busy.get(bob, Fixtures.PASSWORD, "/api/me/balances").status()).as("request %d", i + 1).isEqualTo(200);
        }
        Http.Response anonymous = new Http(port).get(null, "/api/me/balances");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(busy.get(bob, Fixtures.PASSWORD, "/engine-rest/task?maxResults=1").status()).isEqualTo(200);
        assertThat(busy.get("nobody", "guess", "/api/me/balances").status()).as("the 20th failure is still answered").isEqualTo(401);
        assertThat(busy.get(bob, Fixtures.PASSWORD, "/api/me/balances").status()).as("then the address waits").isEqualTo(429);
    }

    @Test
    void theWindowSlidesAnAddressMayTryAgainAsItsOldestFailureLeavesIt() {
        AtomicLong nanos = new AtomicLong();
        Ticker ticker = nanos::get;
        LoginThrottle throttle = new LoginThrottle(new LoginThrottleSettings(3, Duration.ofMinutes(5), 100), ticker);

        throttle.failed("a");
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        throttle.failed("a");
        throttle.failed("a");
        assertThat(throttle.retryAfter("a")).isEqualTo(Duration.ofMinutes(4));
        assertThat(throttle.retryAfter("b")).isZero();

        nanos.addAndGet(Duration.ofMinutes(4).toNanos());
        assertThat(throttle.retryAfter("a")).as("the first failure left the window").isZero();
        throttle.failed("a");
        assertThat(throttle.retryAfter("a")).as("the second failure is now the oldest").isEqualTo(Duration.ofMinutes(1));

        nanos.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(throttle.retryAfter("a")).isZero();
    }

    @Test
    void anIpv6ClientCountsPerSlash64() {
        assertThat(LoginThrottleFilter.clientOf("2001:db8:1:2:aaaa::1")).isEqualTo(LoginThrottleFilter.clientOf("2001:db8:1:2:bbbb::9"))
                .isNotEqualTo(LoginThrottleFilter.clientOf("2001:db8:1:3::1"));
        assertThat(LoginThrottleFilter.clientOf("203.0.113.7")).isEqualTo("203.0.113.7");
    }
}
