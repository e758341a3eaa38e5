package io.gigflow.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.Ledger;
import io.gigflow.support.Fixtures;
import io.gigflow.support.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Idempotency-Key rules on PostgreSQL (where a failed statement aborts the transaction and
 * row locks make a second node wait), through real HTTP; and the second node's view of a key whose
 * request has not committed yet.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "camunda.bpm.admin-user.password=Postgres-Idempotency-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "camunda.bpm.job-execution.enabled=false",
        "logging.level.root=warn"})
@ActiveProfiles("postgres")
@DirtiesContext // close the engine before its database is dropped
class IdempotentRequestsOnPostgresTest implements IdempotencyRules {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    @LocalServerPort int port;
    @Autowired IdentityService identityService;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;
    @Autowired IdempotencyKeys keys;
    @Autowired PlatformTransactionManager transactionManager;

    Fixtures fixtures;

    @BeforeEach
    void givenFixtures() {
        fixtures = new Fixtures(identityService);
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Fixtures fixtures() {
        return fixtures;
    }

    @Override
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public JdbcClient jdbc() {
        return jdbc;
    }

    /** What a second node sees: it waits for the first node's transaction, then gets its answer (or the key, if that rolled back). */
    @Test
    void aKeyTakenByAnotherNodesRunningRequestIsAnsweredOnceThatRequestCommitsOrFreedWhenItRollsBack() throws Exception {
        String user = Fixtures.unique("pguser");
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        ExecutorService secondNode = Executors.newSingleThreadExecutor();
        try {
            for (boolean commits : new boolean[] {true, false}) {
                String key = Fixtures.unique("pgkey");
                CountDownLatch claimed = new CountDownLatch(1);
                CountDownLatch finish = new CountDownLatch(1);
                Future<Optional<IdempotencyKeys.Stored>> second;
                Thread first = new Thread(() -> transaction.executeWithoutResult(status -> {
                    assertThat(keys.claim(user, key, "hash")).isEmpty();
                    keys.answer(user, key, 201, "application/json", "/api/tasks/T-1", "{}".getBytes(StandardCharsets.UTF_8));
                    claimed.countDown();
                    try {
                        finish.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    if (!commits) {
                        status.setRollbackOnly();
                    }
                }));
                first.start();
                assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();
                second = secondNode.submit(() -> transaction.execute(status -> keys.claim(user, key, "hash")));
                Thread.sleep(500);
                assertThat(second.isDone()).as("the second claim waits for the first transaction").isFalse();
                finish.countDown();
                first.join(30_000);
                Optional<IdempotencyKeys.Stored> seen = second.get(30, TimeUnit.SECONDS);
                if (commits) {
                    assertThat(seen).isPresent();
                    assertThat(seen.get().status()).isEqualTo(201);
                    assertThat(seen.get().location()).isEqualTo("/api/tasks/T-1");
                } else {
                    assertThat(seen).as("the key is free again once the first request rolled back").isEmpty();
                }
            }
        } finally {
            secondNode.shutdownNow();
        }
    }
}
