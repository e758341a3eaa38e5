package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.test.context.ActiveProfiles;

/**
 * {@code @Scheduled} methods run on the node's own scheduler ({@link Scheduling}), not on the mail library's
 * timer for SMTP writes, the only {@code ScheduledExecutorService} bean Spring would find otherwise.
 */
@SpringBootTest
@ActiveProfiles("test")
class SchedulingTest {

    @Autowired Probe probe;

    @Test
    void scheduledWorkRunsOnTheNodesOwnScheduler() throws InterruptedException {
        assertThat(probe.ran.await(10, TimeUnit.SECONDS)).as("a scheduled method ran").isTrue();
        assertThat(probe.threads).allSatisfy(thread -> assertThat(thread).startsWith(Scheduling.THREAD_NAME_PREFIX));
    }

    @TestConfiguration
    static class ProbeConfiguration {
        @Bean
        Probe probe() {
            return new Probe();
        }
    }

    static class Probe {
        final CountDownLatch ran = new CountDownLatch(2);
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Scheduled(fixedDelay = 50)
        void run() {
            threads.add(Thread.currentThread().getName());
            ran.countDown();
        }
    }
}
