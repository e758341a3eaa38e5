package io.gigflow.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gigflow.security.login-throttle}: how many failed sign-ins one client address may make
 * within a sliding window before its sign-ins are refused with 429.
 */
@ConfigurationProperties("gigflow.security.login-throttle")
record LoginThrottleSettings(@DefaultValue("20") int maxFailures, @DefaultValue("PT5M") Duration window,
        @DefaultValue("100000") long maxAddresses) {

    LoginThrottleSettings {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || maxAddresses < 1) {
            throw new IllegalArgumentException("gigflow.security.login-throttle needs max-failures >= 1, a positive window "
                    + "and max-addresses >= 1");
        }
    }
}
