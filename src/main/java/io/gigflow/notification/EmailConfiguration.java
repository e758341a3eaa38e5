package io.gigflow.notification;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Runs {@link EmailOutbox}'s poll, and finishes the email process instances of an earlier version.
 * Emails were once sent by a process instance each ({@code notification}, one asynchronous step);
 * the outbox replaced it because each cost a lifecycle about sixty statements (its start, job,
 * variables, history and end) for one update of the notification's row. Instances started before
 * the upgrade still call {@code sendEmailDelegate}: it sends through the outbox's claim once the
 * step committed, so the email goes out once whichever of the two gets to it first (a row of
 * that version has no HTML and is sent as the plain text it was).
 *
 * <p>Also sets up the mail library for many emails rather than one: with a write timeout
 * ({@code mail.smtp.writetimeout}) it would start a thread of its own for every SMTP connection,
 * so one shared timer thread watches the writes of all of them; and it would look its stream
 * provider up through {@link java.util.ServiceLoader} for every message part (a scan of the
 * class path that took a third of the senders' CPU), so the provider is named once.
 */
@Configuration
@EnableScheduling
class EmailConfiguration {

    /** Angus Mail's own stream provider, the one its service file names. */
    static final String STREAM_PROVIDER = "org.eclipse.angus.mail.util.MailStreamProvider";

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService smtpWriteTimeouts() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "smtp-write-timeout");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    static BeanPostProcessor sharedSmtpWriteTimeouts(@Lazy ScheduledExecutorService smtpWriteTimeouts) {
        if (System.getProperty("jakarta.mail.util.StreamProvider") == null) {
            System.setProperty("jakarta.mail.util.StreamProvider", STREAM_PROVIDER);
        }
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof JavaMailSenderImpl sender) {
                    // a ScheduledExecutorService value, not a string: the library takes it as the timer for writes
                    sender.getJavaMailProperties().put("mail.smtp.executor.writetimeout", smtpWriteTimeouts);
                    sender.getJavaMailProperties().put("mail.smtps.executor.writetimeout", smtpWriteTimeouts);
                }
                return bean;
            }
        };
    }

    @Bean
    JavaDelegate sendEmailDelegate(@Lazy EmailOutbox outbox) {
        return execution -> outbox.sendNowAfterCommit(((Number) execution.getVariable("notificationId")).longValue());
    }
}
