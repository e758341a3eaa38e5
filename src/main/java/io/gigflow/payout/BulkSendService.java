package io.gigflow.payout;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.Transactions;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.IdentityService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends many drafts to payment. The request is stored, then worked off in the background,
 * one task a transaction, so thousands of tasks neither time out a request nor become one
 * giant transaction; each task's outcome is recorded for the caller, and a batch cut off by
 * a restart carries on at the next start.
 */
@Service
public class BulkSendService {

    private static final Logger log = LoggerFactory.getLogger(BulkSendService.class);

    public static final int MAX_TASKS = 10_000;

    public record BatchView(long id, String companyId, String requestedBy, OffsetDateTime createdAt,
            @Nullable OffsetDateTime finishedAt, int total, int pending, int sent, int refused, List<SendOutcome> items) {

        public boolean finished() {
            return finishedAt != null;
        }
    }

    private final JdbcClient jdbc;
    private final TaskPayoutService payouts;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final IdentityService identityService;
    private final PayoutSettings settings;
    private final TimeSource time;
    private final JdbcTemplate jdbcTemplate;
    private final TransactionTemplate transaction;
    private final Transactions transactions;
    /** Works off the batches one after the other, and sweeps for batches nobody works off. */
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "gigflow-bulk-send");
        thread.setDaemon(true);
        return thread;
    });
    /** The batches this node has queued or is working off. */
    private final Set<Long> working = ConcurrentHashMap.newKeySet();

    BulkSendService(JdbcClient jdbc, TaskPayoutService payouts, Parties parties, CurrentUser currentUser,
            IdentityService identityService, PayoutSettings settings, TimeSource time, JdbcTemplate jdbcTemplate,
            PlatformTransactionManager transactionManager, Transactions transactions) {
        this.transactions = transactions;
        this.jdbcTemplate = jdbcTemplate;
        this.transaction = new TransactionTemplate(transactionManager);
        this.jdbc = jdbc;
        this.payouts = payouts;
        this.parties = parties;
        this.currentUser = currentUser;
        this.identityService = identityService;
        this.settings = settings;
        this.time = time;
    }

    /** Stores the request and starts working it off; waits briefly so that small batches answer at once. */
    public BatchView submit(String companyId, List<String> refs) {
        String user = currentUser.require();
        parties.requireMembership(user, companyId);
        FieldErrors errors = new FieldErrors();
        if (refs == null || refs.isEmpty()) {
            errors.add("taskRefs", "required", "must name at least one task");
        } else if (refs.size() > MAX_TASKS) {
            errors.add("taskRefs", "size", "must name at most " + MAX_TASKS + " tasks, not " + refs.size());
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < refs.size(); i++) {
                String ref = refs.get(i);
                if (ref == null || ref.isBlank() || ref.length() > 64) {
                    errors.add("taskRefs[" + i + "]", "format", "must be a task reference such as T-1001");
                } else if (!seen.add(ref)) {
                    errors.add("taskRefs[" + i + "]", "unique", ref + " is listed twice");
                }
            }
        }
        errors.throwIfAny("Invalid bulk send");
        long batchId = store(companyId, user, refs);
        if (Transactions.inWholeRequest()) {
            // a request with an Idempotency-Key commits the batch together with its key only once it is answered:
            // the batch is worked off from then on, and the answer is 202 with the batch to poll
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    workOff(batchId);
                }
            });
            return view(batchId);
        }
        workOff(batchId);
        return awaitBriefly(batchId, settings.bulkSendWait());
    }

    public BatchView get(String companyId, long batchId) {
        parties.requireMembership(currentUser.require(), companyId);
        BatchView batch = view(batchId);
        if (batch == null || !batch.companyId().equals(companyId)) {
            throw new NotFoundException("No bulk send " + batchId + " of company " + companyId);
        }
        return batch;
    }

    /**
     * At start-up, and then every {@code gigflow.task-payout.bulk-send-sweep}, every unfinished
     * batch that this node does not work off already is worked off: one cut off by a restart,
     * or by another node that crashed. A batch that another node is still working off may be
     * worked by both; each item's row lock lets one of them send it (see {@link #sendUnlessDone}).
     */
    @EventListener(ApplicationReadyEvent.class)
    void startSweeping() {
        long sweep = settings.bulkSendSweep().toMillis();
        worker.scheduleWithFixedDelay(this::resumeUnfinished, 0, sweep, TimeUnit.MILLISECONDS);
    }

    void resumeUnfinished() {
        try {
            List<Long> unfinished = jdbc.sql("select id from payout_send_batch where finished_at is null order by id")
                    .query(Long.class).list();
            for (long id : unfinished) {
                if (!working.contains(id)) {
                    log.info("Resuming bulk send {}, which no one here works off (cut off by a restart or a crashed node)", id);
                    workOff(id);
                }
            }
        } catch (RuntimeException e) {
            // the sweep runs again; a failure here must not cancel the schedule
            log.warn("Sweep for unfinished bulk sends failed", e);
        }
    }

    private void workOff(long batchId) {
        if (working.add(batchId)) {
            worker.submit(() -> {
                try {
                    work(batchId);
                } finally {
                    working.remove(batchId);
                }
            });
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        worker.shutdownNow();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }

    private long store(String companyId, String user, List<String> refs) {
        return transaction.execute(status -> storeInTransaction(companyId, user, refs));
    }

    private long storeInTransaction(String companyId, String user, List<String> refs) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("insert into payout_send_batch (company_id, requested_by, created_at) values (:company, :user, :now)")
                .param("company", companyId).param("user", user).param("now", time.now()).update(keys, "id");
        long batchId = keys.getKeyAs(Number.class).longValue();
        List<Object[]> rows = new ArrayList<>(refs.size());
        for (int i = 0; i < refs.size(); i++) {
            rows.add(new Object[] {batchId, i, refs.get(i)});
        }
        jdbcTemplate.batchUpdate("insert into payout_send_item (batch_id, position, task_ref, outcome) values (?, ?, ?, 'PENDING')", rows);
        return batchId;
    }

    private void work(long batchId) {
        String requester = jdbc.sql("select requested_by from payout_send_batch where id = :id").param("id", batchId)
                .query(String.class).single();
        identityService.setAuthentication(requester, parties.groupsOf(requester));
        try {
            List<String> pending = jdbc.sql("select task_ref from payout_send_item where batch_id = :batch and outcome = 'PENDING' order by position")
                    .param("batch", batchId).query(String.class).list();
            for (String ref : pending) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                try {
                    transactions.retryingOnConcurrentChange(() -> sendUnlessDone(batchId, ref));
                } catch (RuntimeException e) {
                    log.warn("Bulk send {}: task {} failed", batchId, ref, e);
                    record(batchId, ref, new SendOutcome(ref, SendOutcome.Result.CONFLICT, "Could not be sent now; try again", null));
                }
            }
            // finished only once no item is pending, so that a batch is never reported finished with an item unsent
            jdbc.sql("""
                    update payout_send_batch set finished_at = :now where id = :id and finished_at is null
                    and not exists (select 1 from payout_send_item where batch_id = :id and outcome = 'PENDING')""")
                    .param("now", time.now()).param("id", batchId).update();
        } catch (RuntimeException e) {
            log.error("Bulk send {} stopped; the next sweep resumes it", batchId, e);
        } finally {
            identityService.clearAuthentication();
        }
    }

    /**
     * Sends one task of the batch and records its outcome in the same transaction, unless the
     * item is no longer pending: in a cluster another node may work the same batch (every node's
     * sweep resumes the unfinished batches it does not work off itself), and the item's row lock lets one of them send the
     * task and record SENT while the other finds it done, instead of recording NOT_A_DRAFT over it.
     */
    private Void sendUnlessDone(long batchId, String ref) {
        String outcome = jdbc.sql("select outcome from payout_send_item where batch_id = :batch and task_ref = :ref for update")
                .param("batch", batchId).param("ref", ref).query(String.class).single();
        if ("PENDING".equals(outcome)) {
            record(batchId, ref, payouts.send(ref));
        }
        return null;
    }

    private void record(long batchId, String ref, SendOutcome outcome) {
        jdbc.sql("update payout_send_item set outcome = :outcome, message = :message where batch_id = :batch and task_ref = :ref and outcome = 'PENDING'")
                .param("outcome", outcome.result().name()).param("message", truncate(outcome.message()))
                .param("batch", batchId).param("ref", ref).update();
    }

    private BatchView awaitBriefly(long batchId, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        BatchView batch = view(batchId);
        while (!batch.finished() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            batch = view(batchId);
        }
        return batch;
    }

    private BatchView view(long batchId) {
        record Head(String companyId, String requestedBy, OffsetDateTime createdAt, OffsetDateTime finishedAt) {
        }
        Head head = jdbc.sql("select company_id, requested_by, created_at, finished_at from payout_send_batch where id = :id")
                .param("id", batchId)
                .query((rs, n) -> new Head(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getObject(4, OffsetDateTime.class)))
                .optional().orElse(null);
        if (head == null) {
            return null;
        }
        List<SendOutcome> items = new ArrayList<>();
        int pending = 0;
        int sent = 0;
        int refused = 0;
        for (var row : jdbc.sql("select task_ref, outcome, message from payout_send_item where batch_id = :batch order by position")
                .param("batch", batchId).query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).list()) {
            if ("PENDING".equals(row[1])) {
                pending++;
                items.add(new SendOutcome(row[0], SendOutcome.Result.PENDING, null, null));
            } else {
                SendOutcome.Result result = SendOutcome.Result.valueOf(row[1]);
                if (result == SendOutcome.Result.SENT) {
                    sent++;
                } else {
                    refused++;
                }
                items.add(new SendOutcome(row[0], result, row[2], null));
            }
        }
        return new BatchView(batchId, head.companyId(), head.requestedBy(), head.createdAt(), head.finishedAt(),
                items.size(), pending, sent, refused, items);
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 500 ? message : message.substring(0, 500);
    }
}
