package io.gigflow.identity;

import com.github.benmanes.caffeine.cache.Ticker;
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
    FilterRegistrationBean<LoginThrottleFilter> loginThrottleFilter(LoginThrottle throttle, CamundaBpmProperties camunda) {
        FilterRegistrationBean<LoginThrottleFilter> registration = new FilterRegistrationBean<>(new LoginThrottleFilter(throttle));
        registration.setName("gigflow-login-throttle");
        registration.addUrlPatterns("/api/*", "/engine-rest/*", camunda.getWebapp().getApplicationPath() + "/api/*");
        registration.setOrder(ORDER);
        return registration;
    }
}
