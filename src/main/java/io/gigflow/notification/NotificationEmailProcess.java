package io.gigflow.notification;

import io.gigflow.shared.ProcessInputs;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * bpmn/notification.bpmn: one instance per email, whose only step sends it asynchronously.
 * Emails leave the lifecycles this way so that a lifecycle's instance has no concurrent
 * branches for its notifications (a branch ending while a person acts on the instance makes
 * that person's action fail), and so that an email whose retries ran out is an incident of
 * its own that an operator retries in Cockpit.
 */
@Configuration
class NotificationEmailProcess {

    static final String KEY = "notification";
    static final String VAR_NOTIFICATION_ID = "notificationId";

    private final RuntimeService runtimeService;
    private final IdentityService identityService;

    NotificationEmailProcess(@Lazy RuntimeService runtimeService, @Lazy IdentityService identityService) {
        this.runtimeService = runtimeService;
        this.identityService = identityService;
    }

    /** Starts the sending in the caller's transaction, as the system: no person needs the right to start it. */
    void startSending(long notificationId, String recipientId, String subject) {
        Authentication caller = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            runtimeService.startProcessInstanceByKey(KEY, "notification-" + notificationId, Map.of(
                    VAR_NOTIFICATION_ID, notificationId, "recipientId", recipientId, "subject", subject));
        } finally {
            if (caller != null) {
                identityService.setAuthentication(caller);
            }
        }
    }

    /** Started by the platform alone (as the system); nobody else starts it with anything. */
    @Bean
    ProcessInputs notificationInputs() {
        return ProcessInputs.of(KEY).start(VAR_NOTIFICATION_ID, "recipientId", "subject").build();
    }

    @Bean
    JavaDelegate sendEmailDelegate(@Lazy NotificationService notifications) {
        return execution -> notifications.sendEmail(((Number) execution.getVariable(VAR_NOTIFICATION_ID)).longValue());
    }
}
