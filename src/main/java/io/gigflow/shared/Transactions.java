package io.gigflow.shared;

import java.util.function.Supplier;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a person's action in a transaction of its own, and runs it again when the engine
 * reports a concurrent change. Such a change is often harmless: a notification branch of
 * the same process ending a moment earlier rearranges the instance's executions. A real
 * conflict (a timer or the other party acted first) shows on the next attempt as a step
 * that is no longer open, which the use case answers with 409.
 */
@Component
public class Transactions {

    static final int ATTEMPTS = 3;

    private final TransactionTemplate template;

    public Transactions(PlatformTransactionManager transactionManager) {
        this.template = new TransactionTemplate(transactionManager);
    }

    public <T> T retryingOnConcurrentChange(Supplier<T> action) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            return action.get(); // part of a larger transaction: its owner decides about retries
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return template.execute(status -> action.get());
            } catch (OptimisticLockingException e) {
                if (attempt >= ATTEMPTS) {
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
