package io.gigflow.shared;

import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The node's {@code @Scheduled} work (the email outbox's poll, {@link H2Replanning}) runs on a scheduler of
 * its own, {@code gigflow-scheduled-1} ({@code spring.task.scheduling.*} sizes it). Without a
 * {@code TaskScheduler} bean Spring runs it on the only {@code ScheduledExecutorService} bean it finds, the
 * mail library's timer for SMTP writes ({@code notification/EmailConfiguration}): a long poll would hold up
 * the timeouts of every SMTP connection, and a write timing out would hold up the poll.
 */
@Configuration
@EnableScheduling
public class Scheduling {

    /** The name of the scheduler's threads: the prefix, then a number. */
    public static final String THREAD_NAME_PREFIX = "gigflow-scheduled-";

    @Bean
    ThreadPoolTaskScheduler taskScheduler(ThreadPoolTaskSchedulerBuilder builder) {
        return builder.threadNamePrefix(THREAD_NAME_PREFIX).build();
    }
}
