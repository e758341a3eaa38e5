package io.gigflow.idempotency;

import io.gigflow.shared.TimeSource;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The stored keys and their answers ({@code idempotency_key}); every call joins the caller's transaction. */
@Repository
class IdempotencyKeys {

    /** A key's stored request and answer. */
    record Stored(String requestHash, OffsetDateTime createdAt, int status, String contentType, String location, byte[] body) {
    }

    private final JdbcClient jdbc;
    private final TimeSource time;
    private final IdempotencySettings settings;
    /** On PostgreSQL a failed insert aborts the whole transaction; a savepoint keeps the request's alive. */
    private final TransactionTemplate savepoint;

    IdempotencyKeys(JdbcClient jdbc, TimeSource time, IdempotencySettings settings, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.time = time;
        this.settings = settings;
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Takes the key for this request: empty when it was free (or held only by an expired answer,
     * which is removed), else the answer stored for it. A request with the same key that has not
     * committed yet (on another node) holds the row: this waits until it commits or rolls back.
     */
    Optional<Stored> claim(String user, String key, String requestHash) {
        OffsetDateTime now = time.now();
        try {
            insert(user, key, requestHash, now);
            return Optional.empty();
        } catch (DuplicateKeyException taken) {
            Optional<Stored> stored = find(user, key);
            if (stored.isPresent() && !expired(stored.get(), now)) {
                return stored;
            }
            jdbc.sql("delete from idempotency_key where user_id = :user and idempotency_key = :key")
                    .param("user", user).param("key", key).update();
            insert(user, key, requestHash, now);
            return Optional.empty();
        }
    }

    private void insert(String user, String key, String requestHash, OffsetDateTime now) {
        savepoint.executeWithoutResult(status -> jdbc.sql("""
                insert into idempotency_key (user_id, idempotency_key, request_hash, created_at, status, body)
                values (:user, :key, :hash, :now, 0, :body)""")
                .param("user", user).param("key", key).param("hash", requestHash).param("now", now).param("body", new byte[0])
                .update());
    }

    /** Stores the answer on the key taken by {@link #claim}. */
    void answer(String user, String key, int status, String contentType, String location, byte[] body) {
        jdbc.sql("""
                update idempotency_key set status = :status, content_type = :type, location = :location, body = :body
                where user_id = :user and idempotency_key = :key""")
                .param("status", status).param("type", contentType).param("location", location).param("body", body)
                .param("user", user).param("key", key).update();
    }

    /** Gives the key taken by {@link #claim} back: the request's answer is not kept. */
    void release(String user, String key) {
        jdbc.sql("delete from idempotency_key where user_id = :user and idempotency_key = :key")
                .param("user", user).param("key", key).update();
    }

    Optional<Stored> find(String user, String key) {
        return jdbc.sql("""
                select request_hash, created_at, status, content_type, location, body from idempotency_key
                where user_id = :user and idempotency_key = :key""")
                .param("user", user).param("key", key)
                .query((rs, n) -> new Stored(rs.getString(1), rs.getObject(2, OffsetDateTime.class), rs.getInt(3), rs.getString(4),
                        rs.getString(5), rs.getBytes(6)))
                .optional();
    }

    boolean expired(Stored stored, OffsetDateTime now) {
        return !stored.createdAt().plus(settings.retention()).isAfter(now);
    }

    /** Removes the keys older than the retention; answers how many. */
    int removeExpired() {
        return jdbc.sql("delete from idempotency_key where created_at <= :before")
                .param("before", time.now().minus(settings.retention())).update();
    }
}
