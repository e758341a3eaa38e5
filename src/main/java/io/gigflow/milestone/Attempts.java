package io.gigflow.milestone;

import java.util.function.Supplier;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a user's action in a transaction of its own, again when it collided with a background
 * step of the same milestone. The asynchronous notification steps run beside the human steps:
 * approving a milestone in the very second its "ready for review" notice is sent ends the
 * execution that notice is ending too, and one of the two transactions fails with an
 * optimistic locking exception. The job executor retries its side by itself; this retries the
 * user's side, which then sees the process as the other transaction left it.
 */
final class Attempts {

    static final int MAX = 4;

    private final TransactionTemplate transaction;

    Attempts(PlatformTransactionManager transactionManager) {
        this.transaction = new TransactionTemplate(transactionManager);
    }

    <T> T inTransaction(Supplier<T> action) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.execute(status -> action.get());
            } catch (OptimisticLockingException e) {
                if (attempt >= MAX) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(50L * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying", e);
        }
    }
}
