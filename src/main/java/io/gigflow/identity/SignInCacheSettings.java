package io.gigflow.identity;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gigflow.security.sign-in-cache}: how long a successful HTTP Basic sign-in is remembered
 * after Camunda checked it ({@link SignInCache}), and for how many users at most. A time to live
 * of zero turns the cache off: every request is checked by Camunda.
 */
@ConfigurationProperties("gigflow.security.sign-in-cache")
record SignInCacheSettings(@DefaultValue("PT60S") Duration timeToLive, @DefaultValue("10000") long maxUsers) {

    SignInCacheSettings {
        if (timeToLive.isNegative() || maxUsers < 1) {
            throw new IllegalArgumentException("gigflow.security.sign-in-cache needs a time-to-live of zero (off) or more "
                    + "and max-users >= 1, not " + timeToLive + " and " + maxUsers);
        }
    }

    boolean enabled() {
        return !timeToLive.isZero();
    }
}
