package io.gigflow.identity;

import java.util.List;
import org.camunda.bpm.engine.identity.PasswordPolicyRule;
import org.camunda.bpm.engine.impl.identity.DefaultPasswordPolicyImpl;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * The {@code postgres} profile does not start without a real administrator password. Camunda
 * creates the administrator on the first start from {@code camunda.bpm.admin-user.password},
 * and binds an unset {@code ${GIGFLOW_ADMIN_PASSWORD}} as that very text: the administrator
 * of a production database would have a password written in this repository.
 *
 * <p>It is an {@link EnvironmentPostProcessor} (registered in {@code META-INF/spring.factories})
 * because that runs once the configuration is read and before any bean exists: the start
 * fails before a database connection is opened, so the engine never creates a user with the
 * placeholder as password, whichever bean would otherwise come first. The password is read as
 * Camunda's properties binding reads it, so a placeholder that does not resolve is seen as the
 * text Camunda would store.
 *
 * <p>Where the password policy is on, the password must also satisfy Camunda's default
 * policy: the engine would refuse to create the administrator otherwise, with a message that
 * names no rule.
 */
public class AdminPasswordCheck implements EnvironmentPostProcessor, Ordered {

    static final String PROFILE = "postgres";
    static final String PASSWORD = "camunda.bpm.admin-user.password";
    static final String POLICY = "camunda.bpm.generic-properties.properties.enable-password-policy";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of(PROFILE))) {
            return;
        }
        Binder binder = Binder.get(environment);
        String password = binder.bind(PASSWORD, String.class).orElse(null);
        if (password == null || password.isBlank() || password.contains("${")) {
            throw new MissingAdminPasswordException("The postgres profile needs an administrator password: set the "
                    + "environment variable GIGFLOW_ADMIN_PASSWORD (or " + PASSWORD + "). "
                    + (password == null || password.isBlank() ? "It is missing or blank." : "It is an unresolved placeholder: " + password));
        }
        if (binder.bind(POLICY, Boolean.class).orElse(false)) {
            List<PasswordPolicyRule> violated = new DefaultPasswordPolicyImpl().getRules().stream()
                    .filter(rule -> !"PASSWORD_POLICY_USER_DATA".equals(rule.getPlaceholder()) && !rule.execute(password))
                    .toList();
            if (!violated.isEmpty()) {
                throw new MissingAdminPasswordException("GIGFLOW_ADMIN_PASSWORD (" + PASSWORD + ") does not meet the password policy: it "
                        + PasswordRules.describe(violated) + ".");
            }
        }
    }

    /** After Spring Boot has read the configuration files and activated their profiles. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The start fails with this; its message says what to set. */
    public static class MissingAdminPasswordException extends IllegalStateException {

        MissingAdminPasswordException(String message) {
            super(message);
        }
    }
}
