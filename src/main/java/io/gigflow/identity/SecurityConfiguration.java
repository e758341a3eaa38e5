package io.gigflow.identity;

import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.camunda.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Both APIs require HTTP Basic against the Camunda identity. The engine REST starter has
 * no switch for this, so Camunda's own authentication filter is put in front of it.
 */
@Configuration
class SecurityConfiguration {

    @Bean
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication(CamundaBpmProperties properties) {
        FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
        registration.setName("gigflow-engine-rest-authentication");
        registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
                HttpBasicAuthenticationProvider.class.getName());
        registration.addInitParameter("rest-url-pattern-prefix", "/engine-rest");
        registration.addUrlPatterns("/engine-rest/*");
        registration.setOrder(10);
        return registration;
    }

    /** After the engine API's authentication (the person is known), before the API itself. */
    @Bean
    FilterRegistrationBean<EngineApiGuard> engineApiGuard(IdentityService identityService) {
        FilterRegistrationBean<EngineApiGuard> registration = new FilterRegistrationBean<>(new EngineApiGuard(identityService));
        registration.setName("gigflow-engine-api-guard");
        registration.addUrlPatterns("/engine-rest/*", "/camunda/api/engine/*");
        registration.setOrder(org.springframework.core.Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }

    @Bean
    FilterRegistrationBean<WebappQueryLimitFilter> webappQueryLimit(ProcessEngine processEngine) {
        int limit = ((ProcessEngineConfigurationImpl) processEngine.getProcessEngineConfiguration()).getQueryMaxResultsLimit();
        FilterRegistrationBean<WebappQueryLimitFilter> registration = new FilterRegistrationBean<>(new WebappQueryLimitFilter(limit));
        registration.setName("gigflow-webapp-query-limit");
        registration.addUrlPatterns("/camunda/api/engine/*");
        registration.setOrder(12);
        return registration;
    }

    @Bean
    FilterRegistrationBean<ApiAuthenticationFilter> apiAuthentication(Parties parties, IdentityService identityService) {
        FilterRegistrationBean<ApiAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ApiAuthenticationFilter(parties, identityService));
        registration.setName("gigflow-api-authentication");
        registration.addUrlPatterns("/api/*");
        registration.setOrder(11);
        return registration;
    }
}
