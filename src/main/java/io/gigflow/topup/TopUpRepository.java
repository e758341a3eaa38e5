package io.gigflow.topup;

import io.gigflow.ledger.AccountRef;
import io.gigflow.shared.Money;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

@Repository
class TopUpRepository {

    private static final String COLUMNS = """
            id, reference, owner_type, owner_id, registered_by, method, currency, amount, status, process_instance_id, expires_at,
            created_at, updated_at, received_amount, bank_reference, provider_payment, confirmed_via, decided_by, decided_at,
            rejection_reason, credited_at""";

    private final JdbcClient jdbc;

    TopUpRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(String reference, AccountRef owner, String registeredBy, TopUpMethod method, Money amount, OffsetDateTime expiresAt,
            OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into top_up (reference, owner_type, owner_id, registered_by, method, currency, amount, status, expires_at,
                    created_at, updated_at)
                values (:reference, :ownerType, :ownerId, :by, :method, :currency, :amount, 'AWAITING_FUNDS', :expires, :now, :now)""")
                .param("reference", reference).param("ownerType", owner.type().name()).param("ownerId", owner.ownerId())
                .param("by", registeredBy).param("method", method.name()).param("currency", amount.currencyCode())
                .param("amount", amount.amount()).param("expires", expiresAt).param("now", now)
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    boolean referenceExists(String reference) {
        return jdbc.sql("select count(*) from top_up where reference = :reference").param("reference", reference)
                .query(Integer.class).single() > 0;
    }

    Optional<TopUp> find(long id) {
        return jdbc.sql("select " + COLUMNS + " from top_up where id = :id").param("id", id).query(TopUpRepository::map).optional();
    }

    Optional<TopUp> findByReference(String reference) {
        return jdbc.sql("select " + COLUMNS + " from top_up where reference = :reference").param("reference", reference)
                .query(TopUpRepository::map).optional();
    }

    Optional<TopUp> findByProcessInstance(String processInstanceId) {
        return jdbc.sql("select " + COLUMNS + " from top_up where process_instance_id = :pi").param("pi", processInstanceId)
                .query(TopUpRepository::map).optional();
    }

    /** Reads the top-up and locks its row: every change of a top-up serialises here. */
    Optional<TopUp> lock(long id) {
        return jdbc.sql("select " + COLUMNS + " from top_up where id = :id for update").param("id", id)
                .query(TopUpRepository::map).optional();
    }

    Optional<TopUp> lockByReference(String reference) {
        return jdbc.sql("select " + COLUMNS + " from top_up where reference = :reference for update").param("reference", reference)
                .query(TopUpRepository::map).optional();
    }

    List<TopUp> ofOwner(AccountRef owner, TopUpStatus status, int offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from top_up where owner_type = :type and owner_id = :owner"
                        + (status == null ? "" : " and status = :status")
                        + " order by id desc offset :offset rows fetch next :limit rows only")
                .param("type", owner.type().name()).param("owner", owner.ownerId()).param("status", status == null ? null : status.name())
                .param("offset", offset).param("limit", limit)
                .query(TopUpRepository::map).list();
    }

    List<TopUp> withStatus(TopUpStatus status, int offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from top_up where status = :status order by id offset :offset rows fetch next :limit rows only")
                .param("status", status.name()).param("offset", offset).param("limit", limit)
                .query(TopUpRepository::map).list();
    }

    void update(long id, String assignments, OffsetDateTime now, Object... params) {
        var statement = jdbc.sql("update top_up set " + assignments + ", updated_at = :now where id = :id").param("now", now).param("id", id);
        for (int i = 0; i < params.length; i += 2) {
            statement = statement.param((String) params[i], params[i + 1]);
        }
        statement.update();
    }

    // ---- payment provider events

    record PaymentEvent(String eventId, String eventType, Long topUpId, String outcome) {
    }

    Optional<PaymentEvent> event(String eventId) {
        return jdbc.sql("select event_id, event_type, top_up_id, outcome from payment_event where event_id = :id").param("id", eventId)
                .query((rs, n) -> new PaymentEvent(rs.getString(1), rs.getString(2), (Long) rs.getObject(3, Long.class), rs.getString(4)))
                .optional();
    }

    void addEvent(String eventId, String eventType, Long topUpId, String outcome, OffsetDateTime now) {
        jdbc.sql("insert into payment_event (event_id, event_type, top_up_id, outcome, received_at) values (:id, :type, :topUp, :outcome, :now)")
                .param("id", eventId).param("type", eventType).param("topUp", topUpId).param("outcome", outcome).param("now", now)
                .update();
    }

    private static TopUp map(ResultSet rs, int row) throws SQLException {
        Currency currency = Currency.getInstance(rs.getString("currency"));
        return new TopUp(rs.getLong("id"), rs.getString("reference"), AccountRef.OwnerType.valueOf(rs.getString("owner_type")),
                rs.getString("owner_id"), rs.getString("registered_by"), TopUpMethod.valueOf(rs.getString("method")),
                money(rs.getBigDecimal("amount"), currency), TopUpStatus.valueOf(rs.getString("status")),
                rs.getString("process_instance_id"), rs.getObject("expires_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                money(rs.getBigDecimal("received_amount"), currency), rs.getString("bank_reference"), rs.getString("provider_payment"),
                rs.getString("confirmed_via"), rs.getString("decided_by"), rs.getObject("decided_at", OffsetDateTime.class),
                rs.getString("rejection_reason"), rs.getObject("credited_at", OffsetDateTime.class));
    }

    private static Money money(BigDecimal stored, Currency currency) {
        return stored == null ? null : new Money(stored.setScale(currency.getDefaultFractionDigits(), java.math.RoundingMode.UNNECESSARY), currency);
    }
}
