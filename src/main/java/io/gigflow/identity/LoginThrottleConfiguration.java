package io.gigflow.identity;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class LoginThrottleConfiguration {

    /** Ahead of every authentication: Spring Security's filter chain (order -100) and the filters of the webapps and both APIs. */
    static final int ORDER = -200;

    @Bean
    LoginThrottle loginThrottle(LoginThrottleSettings settings) {
        return new LoginThrottle(settings, Ticker.systemTicker());
    }

    @Bean
    FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle, CamundaBpmProperties camunda,
            MeterRegistry meters) {
        // for operators (docs/operations.md): a rising rate of failures is somebody guessing passwords
        Counter failures = Counter.builder("gigflow.login.failures")
                .description("Failed sign-ins (a 401 answer to a request with credentials, or a failed webapp login)")
                .register(meters);
        Counter refused = Counter.builder("gigflow.login.refused")
                .description("Sign-ins refused with 429 because their client address failed too often")
                .register(meters);
        FilterRegistrationBean<LoginThrottleFilter> registration = new FilterRegistrationBean<>(
                new LoginThrottleFilter(throttle, failures::increment, refused::increment));
        registration.setName("gigflow-login-throttle");
        registration.addUrlPatterns("/api/*", "/engine-rest/*", "/actuator/*", camunda.getWebapp().getApplicationPath() + "/api/*");
        registration.setOrder(ORDER);
        return registration;
    }
}
