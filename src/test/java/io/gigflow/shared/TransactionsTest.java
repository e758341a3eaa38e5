package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** A person's action is run again after a failure in its transaction, never after its transaction committed. */
class TransactionsTest {

    private final JdbcDataSource dataSource = new JdbcDataSource();
    private final Transactions transactions;
    private final JdbcClient jdbc;

    TransactionsTest() {
        dataSource.setURL("jdbc:h2:mem:transactions-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        transactions = new Transactions(new DataSourceTransactionManager(dataSource));
        jdbc = JdbcClient.create(dataSource);
        jdbc.sql("create table created (id int)").update();
    }

    @Test
    void aFailureInTheTransactionRunsTheActionAgainWithNothingOfTheFirstAttemptLeft() {
        AtomicInteger attempts = new AtomicInteger();
        int answer = transactions.retryingOnConcurrentChange(() -> {
            jdbc.sql("insert into created values (1)").update();
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("a concurrent change seen half-way");
            }
            return 42;
        });
        assertThat(answer).isEqualTo(42);
        assertThat(attempts).hasValue(2);
        assertThat(jdbc.sql("select count(*) from created").query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aFailureAfterTheCommitDoesNotRunTheCommittedActionAgain() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> transactions.retryingOnConcurrentChange(() -> {
            attempts.incrementAndGet();
            jdbc.sql("insert into created values (1)").update();
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    throw new IllegalStateException("what runs after the commit failed");
                }
            });
            return null;
        })).hasMessageContaining("after the commit");
        assertThat(attempts).as("the action ran once").hasValue(1);
        assertThat(jdbc.sql("select count(*) from created").query(Long.class).single()).isEqualTo(1);
    }
}
