package io.gigflow.shared;

import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Serialises work that every node of a cluster does on the shared database and that must not
 * run on two nodes at once: the start-up tasks that create or update groups, authorizations
 * and Tasklist filters. Two nodes started together would otherwise update the same filter at
 * once (one of them fails to start with an optimistic-locking error) or create a filter twice.
 *
 * <p>The lock is a row lock on the engine's own start-up lock row ({@code ACT_GE_PROPERTY}
 * {@code startup.lock}, which the engine takes only while it boots), held until the
 * transaction ends: the work runs in the caller's transaction or, without one, in a new one.
 * The same on H2 and PostgreSQL; on one node it costs one uncontended row lock.
 */
@Component
public class ClusterLock {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    public ClusterLock(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    public <T> T exclusively(Supplier<T> work) {
        return transaction.execute(status -> {
            jdbc.sql("select value_ from act_ge_property where name_ = 'startup.lock' for update").query(String.class).list();
            return work.get();
        });
    }

    public void exclusively(Runnable work) {
        exclusively(() -> {
            work.run();
            return null;
        });
    }
}
