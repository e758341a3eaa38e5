package io.gigflow.notification;

import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Runs {@link EmailOutbox}'s poll, and finishes the email process instances of an earlier version.
 * Emails were once sent by a process instance each ({@code notification}, one asynchronous step);
 * the outbox replaced it because each cost a lifecycle about sixty statements (its start, job,
 * variables, history and end) for one update of the notification's row. Instances started before
 * the upgrade still call {@code sendEmailDelegate}: it sends through the outbox's claim once the
 * step committed, so the email goes out once whichever of the two gets to it first (a row of
 * that version has no HTML and is sent as the plain text it was).
 */
@Configuration
@EnableScheduling
class EmailConfiguration {

    @Bean
    JavaDelegate sendEmailDelegate(@Lazy EmailOutbox outbox) {
        return execution -> outbox.sendNowAfterCommit(((Number) execution.getVariable("notificationId")).longValue());
    }
}
