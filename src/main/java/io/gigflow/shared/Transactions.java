package io.gigflow.shared;

import java.util.function.Supplier;
import org.camunda.bpm.engine.AuthorizationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
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
 */
@Component
public class Transactions {

    static final int ATTEMPTS = 3;

    private final TransactionTemplate template;

    public Transactions(PlatformTransactionManager transactionManager) {
        this.template = new TransactionTemplate(transactionManager);
    }

    /** A failure that is the use case's answer to the person, not an accident of timing. */
    static boolean isAnswer(RuntimeException e) {
        return e instanceof InvalidInputException || e instanceof ConflictException || e instanceof UnprocessableException || e instanceof NotFoundException
                || e instanceof ForbiddenException || e instanceof AuthorizationException
                || e instanceof FaultInjector.InjectedFault || e instanceof org.camunda.bpm.engine.BadUserRequestException;
    }

    public <T> T retryingOnConcurrentChange(Supplier<T> action) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return action.get(); // part of a larger transaction: its owner decides about retries
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return template.execute(status -> action.get());
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || isAnswer(e)) {
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
