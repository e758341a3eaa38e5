package io.gigflow.shared;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.camunda.bpm.engine.AuthorizationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a person's action in a transaction of its own, and runs it again when it fails for a
 * reason other than a business answer. Two transactions acting on one process instance at
 * the same moment do not always end in the engine's optimistic-locking exception: at READ
 * COMMITTED a transaction may see the other's commit half-way (an execution gone, a message
 * subscription removed) and fail inside the engine. Every attempt rolls back completely and
 * a person's action touches nothing outside the database, so running it again is safe; the
 * next attempt sees the other's result (the step closed), which the use case answers with 409.
 * Business answers (bad input, not found, forbidden, conflict) are never retried.
 *
 * <p>A whole request may run in one transaction of its own ({@link #wholeRequest}: a request with
 * an {@code Idempotency-Key}, whose key is stored in the same transaction as its change). Each
 * action inside it then runs in a savepoint: a failed attempt is undone to the savepoint (and
 * leaves the request's transaction usable, on PostgreSQL too), and is retried as above.
 */
@Component
public class Transactions {

    static final int ATTEMPTS = 3;

    private static final ThreadLocal<Boolean> WHOLE_REQUEST = new ThreadLocal<>();

    private final TransactionTemplate template;
    private final TransactionTemplate savepoint;

    public Transactions(PlatformTransactionManager transactionManager) {
        this.template = new TransactionTemplate(transactionManager);
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Runs {@code work} in a new transaction that spans everything it calls: the actions of
     * {@link #retryingOnConcurrentChange} inside it each run in a savepoint of it, retried on
     * their own. {@code work} decides through the status whether the transaction commits.
     */
    public <T> T wholeRequest(Function<TransactionStatus, T> work) {
        TransactionTemplate requiresNew = new TransactionTemplate(template.getTransactionManager());
        requiresNew.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        Boolean outer = WHOLE_REQUEST.get();
        WHOLE_REQUEST.set(Boolean.TRUE);
        try {
            return requiresNew.execute(work::apply);
        } finally {
            if (outer == null) {
                WHOLE_REQUEST.remove();
            } else {
                WHOLE_REQUEST.set(outer);
            }
        }
    }

    /** True inside {@link #wholeRequest}: what this thread changes commits only when the whole request does. */
    public static boolean inWholeRequest() {
        return Boolean.TRUE.equals(WHOLE_REQUEST.get()) && TransactionSynchronizationManager.isActualTransactionActive();
    }

    /** A failure that is the use case's answer to the person, not an accident of timing. */
    static boolean isAnswer(RuntimeException e) {
        return e instanceof InvalidInputException || e instanceof ConflictException || e instanceof UnprocessableException || e instanceof NotFoundException
                || e instanceof ForbiddenException || e instanceof AuthorizationException
                || e instanceof FaultInjector.InjectedFault || e instanceof org.camunda.bpm.engine.BadUserRequestException;
    }

    public <T> T retryingOnConcurrentChange(Supplier<T> action) {
        boolean wholeRequest = inWholeRequest();
        if (!wholeRequest && TransactionSynchronizationManager.isActualTransactionActive()) {
            return action.get(); // part of a larger transaction: its owner decides about retries
        }
        TransactionTemplate attempts = wholeRequest ? savepoint : template;
        for (int attempt = 1; ; attempt++) {
            AtomicBoolean committed = new AtomicBoolean();
            try {
                return attempts.execute(status -> {
                    if (!wholeRequest) {
                        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                            @Override
                            public void afterCommit() {
                                committed.set(true);
                            }
                        });
                    }
                    return action.get();
                });
            } catch (RuntimeException e) {
                // a failure after the commit (in what runs once it is done) must not run a committed action again
                if (attempt >= ATTEMPTS || isAnswer(e) || committed.get()) {
                    throw e;
                }
                try {
                    Thread.sleep(25L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
