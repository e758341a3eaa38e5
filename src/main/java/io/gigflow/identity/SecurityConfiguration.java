package io.gigflow.identity;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.camunda.bpm.engine.authorization.Groups;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.web.util.ServletRequestPathUtils;

/**
 * The HTTP security of every door, as Spring Security filter chains:
 * <ul>
 * <li>/engine-rest: HTTP Basic against the Camunda identity, the engine's allow-list
 * ({@link EngineApiAllowList}) for everybody but operators;</li>
 * <li>/camunda/api: the webapps' own session sign-in, the same allow-list for their engine API,
 * Cockpit's and Admin's APIs for operators;</li>
 * <li>/api: HTTP Basic without a challenge that a browser would remember, and state-changing
 * calls only as JSON or from this site ({@link CrossSiteRequestFilter});</li>
 * <li>/api/webhooks/payments: no sign-in, the payment provider's signature over the raw body instead;</li>
 * <li>/actuator: the health probes open, everything else (Prometheus) for operators, HTTP Basic;</li>
 * <li>everything else (the webapps' pages and files, the API documentation) open as it is.</li>
 * </ul>
 * Before any of them, Spring Security's strict firewall refuses paths that routing could read
 * differently from the checks ({@code ;} parameters, encoded {@code /}, {@code .} or {@code %},
 * {@code //}, {@code ..}) with 400. Every answer carries the security headers (frames and
 * referrers from this site only, no content sniffing; HSTS in the {@code postgres} profile).
 * Spring Security's own CSRF tokens are off: the webapps have their own CSRF cookie and header,
 * the APIs use HTTP Basic and the JSON rule.
 */
@Configuration
@EnableWebSecurity
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** The payment provider's webhook, open without sign-in: its events are signed. */
    static final String PAYMENT_WEBHOOK = "/api/webhooks/payments";

    private final boolean production;

    SecurityConfiguration(Environment environment) {
        this.production = environment.acceptsProfiles(Profiles.of("postgres"));
    }

    /**
     * The one way to sign in over HTTP Basic. As a bean it also keeps Spring Boot from creating
     * its default user with a generated password.
     */
    @Bean
    CamundaUsers camundaUsers(Parties parties, SignInCache signIns) {
        return new CamundaUsers(parties, signIns);
    }

    /**
     * Spring Security's own observations off: with an observation registry (the actuator's) it
     * wraps every filter of the chain, every sign-in and every access decision in an observation
     * of its own (a dozen a request), for spans and timers that no dashboard or alert of gigflow
     * reads. The requests' own latency ({@code http_server_requests_seconds}) is measured by
     * Spring MVC and stays.
     */
    @Bean
    static SecurityObservationSettings securityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    EngineApiGuard engineApiGuard(Parties parties) {
        return new EngineApiGuard(parties);
    }

    /** The strict firewall (Spring Security's default, stated so nobody loosens it) and its answer: 400, not 500. */
    @Bean
    WebSecurityCustomizer strictFirewall(StrictHttpFirewall firewall, RequestRejectedHandler rejected) {
        return web -> web.httpFirewall(firewall).requestRejectedHandler(rejected);
    }

    @Bean
    StrictHttpFirewall firewall() {
        return new StrictHttpFirewall();
    }

    @Bean
    RequestRejectedHandler requestRejected() {
        return (request, response, exception) -> {
            log.debug("refused a request the firewall does not let through: {}", exception.getMessage());
            SecurityAnswers.problem(response, HttpStatus.BAD_REQUEST, "The request's path is not in canonical form: no ';' parameters,"
                    + " encoded '/', '.' or '%', '//' or '..' (" + exception.getMessage() + ")");
        };
    }

    /**
     * The firewall once more, in front of Spring Security: its filter chain parses the path for
     * its matchers before its firewall runs, and a path whose servlet part is spelled differently
     * ({@code /engine-rest;x/...}, {@code /%65ngine-rest/...}) failed that parsing with 500.
     */
    @Bean
    FilterRegistrationBean<Filter> firewallFirst(StrictHttpFirewall firewall, RequestRejectedHandler rejected) {
        Filter filter = (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            try {
                firewall.getFirewalledRequest(http);
                ServletRequestPathUtils.parseAndCache(http);
            } catch (IllegalArgumentException misaligned) {
                rejected.handle(http, (HttpServletResponse) response, new RequestRejectedException(
                        "the servlet's path is spelled differently in the URL"));
                return;
            } catch (RequestRejectedException refused) {
                rejected.handle(http, (HttpServletResponse) response, refused);
                return;
            } finally {
                ServletRequestPathUtils.clearParsedRequestPath(http);
            }
            chain.doFilter(request, response);
        };
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
        registration.setName("gigflow-firewall-first");
        registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER - 1);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }

    @Bean
    @Order(1)
    SecurityFilterChain engineRestChain(HttpSecurity http, CamundaUsers users, EngineApiGuard guard, IdentityService identityService)
            throws Exception {
        AuthenticationEntryPoint signIn = (request, response, exception) -> {
            // engine clients (and Camunda's own clients) sign in when challenged: keep the challenge here
            response.setHeader("WWW-Authenticate", "Basic realm=\"default\"");
            SecurityAnswers.engineError(response, HttpStatus.UNAUTHORIZED, "AuthenticationException",
                    "Sign in with HTTP Basic as a gigflow user");
        };
        AccessDeniedHandler refuse = (request, response, exception) -> SecurityAnswers.engineError(response, HttpStatus.FORBIDDEN,
                "AuthorizationException", notOnTheAllowList(request));
        http.securityMatcher(matcher(EngineApiGuard.ENGINE_REST + "/**"))
                .authenticationManager(new ProviderManager(users))
                .httpBasic(basic -> basic.authenticationEntryPoint(signIn))
                .authorizeHttpRequests(requests -> requests.anyRequest().access(guard.engineRest()))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(signIn).accessDeniedHandler(refuse))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAfter(new CrossSiteRequestFilter(false, false), AuthorizationFilter.class)
                .addFilterAfter(new EngineIdentityFilter(identityService), CrossSiteRequestFilter.class);
        return common(http).build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webappApiChain(HttpSecurity http, EngineApiGuard guard) throws Exception {
        // to Spring Security everybody here is anonymous (the webapps keep their own sign-in), so a refusal reaches the entry point
        AuthenticationEntryPoint refuse = (request, response, exception) -> SecurityAnswers.engineError(response, HttpStatus.FORBIDDEN,
                "AuthorizationException", notOnTheAllowList(request));
        http.securityMatcher(matcher(EngineApiGuard.WEBAPP_API + "/**"))
                .authorizeHttpRequests(requests -> requests.anyRequest().access(guard.webapps()))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(refuse))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()));
        return common(http).build();
    }

    /**
     * The payment provider's webhook: no sign-in and no JSON-or-same-site rule, since the provider
     * is neither a browser nor a user; every event must carry a valid HMAC signature over its raw
     * body instead, which the webhook checks before it reads anything (io.gigflow.topup).
     */
    @Bean
    @Order(3)
    SecurityFilterChain paymentWebhookChain(HttpSecurity http) throws Exception {
        http.securityMatcher(matcher(PAYMENT_WEBHOOK))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()));
        return common(http).build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain domainApiChain(HttpSecurity http, CamundaUsers users, IdentityService identityService) throws Exception {
        // no WWW-Authenticate: a browser would ask for and then remember the credentials, and send them along with
        // requests that other sites make it send
        AuthenticationEntryPoint signIn = (request, response, exception) -> SecurityAnswers.problem(response, HttpStatus.UNAUTHORIZED,
                "Sign in with HTTP Basic as a gigflow user");
        http.securityMatcher(matcher("/api/**"))
                .authenticationManager(new ProviderManager(users))
                .httpBasic(basic -> basic.authenticationEntryPoint(signIn))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(signIn))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAfter(new CrossSiteRequestFilter(true, true), AuthorizationFilter.class)
                .addFilterAfter(new EngineIdentityFilter(identityService), CrossSiteRequestFilter.class);
        return common(http).build();
    }

    /**
     * The operators' door, {@value #ACTUATOR}: the health probes open to everybody (their details
     * only for operators), everything else (Prometheus, metrics, info) for operators (camunda-admin)
     * only, over HTTP Basic without a challenge: 401 without valid credentials, 403 for a party.
     */
    @Bean
    @Order(5)
    SecurityFilterChain actuatorChain(HttpSecurity http, CamundaUsers users) throws Exception {
        AuthenticationEntryPoint signIn = (request, response, exception) -> SecurityAnswers.problem(response, HttpStatus.UNAUTHORIZED,
                "Sign in with HTTP Basic as an operator");
        AccessDeniedHandler refuse = (request, response, exception) -> SecurityAnswers.problem(response, HttpStatus.FORBIDDEN,
                "Only operators (camunda-admin) may read " + request.getRequestURI());
        http.securityMatcher(matcher(ACTUATOR + "/**"))
                .authenticationManager(new ProviderManager(users))
                .httpBasic(basic -> basic.authenticationEntryPoint(signIn))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(matcher(HttpMethod.GET, ACTUATOR + "/health"), matcher(HttpMethod.GET, ACTUATOR + "/health/**"))
                        .permitAll()
                        .anyRequest().hasAuthority(Groups.CAMUNDA_ADMIN))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(signIn).accessDeniedHandler(refuse))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return common(http).build();
    }

    static final String ACTUATOR = "/actuator";

    /** The webapps' pages and files, the API documentation, the start page and the error page: open, with the headers. */
    @Bean
    @Order(6)
    SecurityFilterChain everythingElseChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
                // the webapps and the documentation set their own caching of static files
                .headers(headers -> headers.cacheControl(cache -> cache.disable()));
        return common(http).build();
    }

    private HttpSecurity common(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .headers(headers -> headers
                        .frameOptions(frames -> frames.sameOrigin())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN))
                        .httpStrictTransportSecurity(hsts -> {
                            if (production) {
                                hsts.maxAgeInSeconds(31_536_000).includeSubDomains(true);
                            } else {
                                hsts.disable();
                            }
                        }));
    }

    private static String notOnTheAllowList(HttpServletRequest request) {
        log.debug("refused {} {}: not on the engine API's allow-list for parties", request.getMethod(), request.getRequestURI());
        return request.getMethod() + " " + request.getRequestURI()
                + " is not among the engine API calls open to parties; only operators (camunda-admin) may make it";
    }

    private static PathPatternRequestMatcher matcher(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    private static PathPatternRequestMatcher matcher(HttpMethod method, String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(method, pattern);
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
}
