package io.gigflow.notification;

import io.gigflow.shared.TimeSource;
import jakarta.annotation.PreDestroy;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends the emails of the notification table (a transactional outbox): a notification whose
 * email is due is written {@code PENDING} in the transaction of the step it reports, so the email
 * exists exactly when the step commits. One thread per node looks for what is due, right after
 * such a commit and every {@code poll-interval} (for retries and for what another node or a crash
 * left behind), and {@code senders} threads send the emails it found, each over an SMTP
 * connection of its own, kept open between emails ({@link SmtpConnections}): one email at a
 * time, or a new connection for each, took longer than the lifecycles took to write the emails.
 * A node whose job executor is off
 * ({@code camunda.bpm.job-execution.enabled=false}) does no background work: it does not poll
 * ({@code gigflow.mail.outbox.poll-enabled} says otherwise), and looks for due emails only after
 * its own commits that wrote one.
 *
 * <p>Claiming works on every node of a cluster without locks held while sending: a sender moves
 * a due email's next attempt past the lease ({@code lease}, 5 minutes) with an update that only
 * succeeds if nobody moved it since it was read; the node that succeeded sends it. A node that
 * dies after claiming leaves it due again when the lease ends. A failed attempt is retried after
 * {@code retry-delay}; after {@code max-attempts} the email is {@code FAILED}: operators see it in
 * {@code gigflow_outbox_failed}, list it at {@code GET /api/operator/emails?status=FAILED} and send
 * it again with {@code POST /api/operator/emails/{id}/retry}. Sending stays at least once (an SMTP
 * server that took an email from a node that died before recording it gets it again, with the
 * same Message-ID).
 */
@Component
class EmailOutbox {

    private static final Logger log = LoggerFactory.getLogger(EmailOutbox.class);

    /** How many due emails one pass reads at a time. */
    private static final int BATCH = 50;

    private final JdbcClient jdbc;
    private final TimeSource timeSource;
    private final Duration retryDelay;
    private final Duration lease;
    private final int maxAttempts;
    private final boolean polling;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "email-outbox");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService senders;
    /** Whether a pass is queued and has not started yet: more kicks meanwhile need no second one. */
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile NotificationService notifications;
    private final SmtpConnections connections;

    EmailOutbox(JdbcClient jdbc, TimeSource timeSource,
            @Value("${gigflow.mail.outbox.retry-delay:PT1M}") Duration retryDelay,
            @Value("${gigflow.mail.outbox.lease:PT5M}") Duration lease,
            @Value("${gigflow.mail.outbox.max-attempts:4}") int maxAttempts,
            @Value("${gigflow.mail.outbox.senders:4}") int senders,
            @Value("${gigflow.mail.outbox.keep-open:PT10S}") Duration keepOpen,
            @Value("${gigflow.mail.outbox.poll-enabled:${camunda.bpm.job-execution.enabled:true}}") boolean polling) {
        this.polling = polling;
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("gigflow.mail.outbox.max-attempts must be at least 1");
        }
        if (senders < 1) {
            throw new IllegalArgumentException("gigflow.mail.outbox.senders must be at least 1");
        }
        AtomicInteger number = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(senders, runnable -> {
            Thread thread = new Thread(runnable, "email-outbox-sender-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.jdbc = jdbc;
        this.timeSource = timeSource;
        this.retryDelay = retryDelay;
        this.lease = lease;
        this.maxAttempts = maxAttempts;
        this.connections = new SmtpConnections(keepOpen);
    }

    void attach(NotificationService service) {
        this.notifications = service;
    }

    /** Sends the new email soon after the caller's transaction commits (at once when there is none). */
    void sendAfterCommit() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    kick();
                }
            });
        } else {
            kick();
        }
    }

    /** Retries, and what a crash or another node left due. */
    @Scheduled(fixedDelayString = "${gigflow.mail.outbox.poll-interval:PT5S}", initialDelayString = "${gigflow.mail.outbox.poll-interval:PT5S}")
    void poll() {
        connections.closeIdle();
        if (polling) {
            kick();
        }
    }

    /** Sends one email over an SMTP connection kept open between emails ({@link SmtpConnections}). */
    void send(JavaMailSender sender, MimeMessage message) {
        connections.send(sender, message);
    }

    private void kick() {
        if (notifications != null && queued.compareAndSet(false, true)) {
            try {
                sender.execute(() -> {
                    queued.set(false);
                    sendDue();
                });
            } catch (RejectedExecutionException shuttingDown) {
                queued.set(false);
            }
        }
    }

    /** Sends every email that is due now, a batch at a time. */
    void sendDue() {
        try {
            List<Due> due;
            do {
                due = due();
                List<Future<?>> sending = new ArrayList<>();
                for (Due email : due) {
                    // claimed by the sender thread just before it sends: a node holds no more claims than it
                    // has senders, so a node that dies leaves at most that many emails to their lease
                    sending.add(senders.submit(() -> claim(email) && attempt(email.id())));
                }
                for (Future<?> one : sending) {
                    one.get();
                }
            } while (due.size() == BATCH);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException e) {
            // the database is away, the node is stopping: the next poll tries again (a claimed email after its lease)
            log.warn("Email outbox pass stopped: {}", e.toString());
        }
    }

    private record Due(long id, OffsetDateTime nextAttemptAt) {
    }

    private List<Due> due() {
        return jdbc.sql("""
                        select id, email_next_attempt_at from notification
                        where email_status = :pending and email_next_attempt_at <= :now
                        order by email_next_attempt_at, id
                        fetch first %d rows only""".formatted(BATCH))
                .param("pending", NotificationService.PENDING).param("now", timeSource.now())
                .query((rs, n) -> new Due(rs.getLong(1), rs.getObject(2, OffsetDateTime.class)))
                .list();
    }

    /** Moves the email's next attempt past the lease, unless another sender did since it was read. */
    private boolean claim(Due email) {
        return jdbc.sql("""
                        update notification set email_next_attempt_at = :leaseEnd
                        where id = :id and email_status = :pending and email_next_attempt_at = :seen""")
                .param("leaseEnd", timeSource.now().plus(lease)).param("id", email.id())
                .param("pending", NotificationService.PENDING).param("seen", email.nextAttemptAt())
                .update() == 1;
    }

    /**
     * Sends one email by a sender thread once the caller's transaction committed (at once when
     * there is none): an email process instance started before emails left the engine. The claim
     * and the mark of SENT must not run in the engine's transaction: it would hold the row while
     * the mark, in a transaction of its own, waits for it.
     */
    void sendNowAfterCommit(long id) {
        Runnable send = () -> {
            try {
                senders.execute(() -> sendNow(id));
            } catch (RejectedExecutionException shuttingDown) {
                // the next poll on some node sends it
            }
        };
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    send.run();
                }
            });
        } else {
            send.run();
        }
    }

    /**
     * Claims and sends one email if it is still due, outside any transaction. True if this call
     * sent it or it was sent already.
     */
    boolean sendNow(long id) {
        Due email = jdbc.sql("select id, email_next_attempt_at from notification where id = :id and email_status = :pending")
                .param("id", id).param("pending", NotificationService.PENDING)
                .query((rs, n) -> new Due(rs.getLong(1), rs.getObject(2, OffsetDateTime.class))).optional().orElse(null);
        if (email == null) {
            return true;
        }
        return claim(email) && attempt(id);
    }

    /** One attempt at a claimed email: SENT, or the next attempt scheduled, or FAILED after the last. */
    private boolean attempt(long id) {
        try {
            notifications.sendEmail(id);
            return true;
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (error.length() > 1000) {
                error = error.substring(0, 1000);
            }
            // one statement: the attempt counted, and either the next one scheduled or the email FAILED
            int updated = jdbc.sql("""
                            update notification set email_attempts = email_attempts + 1, email_last_error = :error,
                                email_status = case when email_attempts + 1 >= :max then :failed else email_status end,
                                email_next_attempt_at = case when email_attempts + 1 >= :max then email_next_attempt_at else :next end
                            where id = :id and email_status = :pending""")
                    .param("error", error).param("max", maxAttempts).param("failed", NotificationService.FAILED)
                    .param("next", timeSource.now().plus(retryDelay)).param("id", id).param("pending", NotificationService.PENDING)
                    .update();
            if (updated == 1) {
                boolean failed = jdbc.sql("select email_status from notification where id = :id").param("id", id).query(String.class)
                        .optional().map(NotificationService.FAILED::equals).orElse(false);
                if (failed) {
                    log.warn("Email of notification {} failed {} times and waits for an operator: {}", id, maxAttempts, e.toString());
                } else {
                    log.info("Email of notification {} failed, tried again in {}: {}", id, retryDelay, e.toString());
                }
            }
            return false;
        }
    }

    /** An operator sends a failed email again: due at once, attempts from zero. False if it is not FAILED. */
    boolean retry(long id) {
        int updated = jdbc.sql("""
                        update notification set email_status = :pending, email_attempts = 0, email_next_attempt_at = :now
                        where id = :id and email_status = :failed""")
                .param("pending", NotificationService.PENDING).param("now", timeSource.now()).param("id", id)
                .param("failed", NotificationService.FAILED).update();
        if (updated == 1) {
            sendAfterCommit();
        }
        return updated == 1;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(10, TimeUnit.SECONDS);
        senders.shutdown();
        senders.awaitTermination(10, TimeUnit.SECONDS);
        connections.closeAll();
    }
}
