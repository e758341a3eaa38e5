package io.gigflow.withdrawal;

import io.gigflow.shared.Currencies;
import io.gigflow.shared.Money;
import io.gigflow.shared.Sequences;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The withdrawal rows, and the per-person row that serialises a person's requests. */
@Repository
class WithdrawalRepository {

    private static final String COLUMNS = """
            w.id, w.ref, w.requester_id, w.currency, w.amount, w.destination_id, w.destination_kind, w.destination,
            w.destination_masked, w.status, w.decision, w.decided_by, w.decided_at, w.bank_reference, w.reason,
            w.process_instance_id, w.requested_at, w.updated_at""";

    private final JdbcClient jdbc;
    private final Sequences sequences;
    private final TransactionTemplate newTransaction;

    WithdrawalRepository(JdbcClient jdbc, Sequences sequences, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.sequences = sequences;
        this.newTransaction = new TransactionTemplate(transactionManager);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    String nextRef() {
        return "W-" + sequences.next("withdrawal_ref_seq");
    }

    /**
     * Locks the person's requester row (opening it first, in a transaction of its own, as the
     * ledger opens accounts): a person's requests take turns from here to their commit, so two
     * of them cannot both pass the daily maximum or the balance.
     */
    void lockRequester(String userId, OffsetDateTime now) {
        if (jdbc.sql("select count(*) from withdrawal_requester where user_id = :u").param("u", userId).query(Integer.class).single() == 0) {
            try {
                newTransaction.executeWithoutResult(status -> jdbc.sql("insert into withdrawal_requester (user_id, created_at) values (:u, :now)")
                        .param("u", userId).param("now", now).update());
            } catch (DuplicateKeyException raceLost) {
                // a concurrent request opened it first
            }
        }
        jdbc.sql("select user_id from withdrawal_requester where user_id = :u for update").param("u", userId).query(String.class).single();
    }

    /** What the person asked to withdraw in this currency since {@code from}, not counting rejected and cancelled withdrawals. */
    BigDecimal requestedSince(String userId, Currency currency, OffsetDateTime from, OffsetDateTime to) {
        return jdbc.sql("""
                select coalesce(sum(amount), 0) from withdrawal where requester_id = :u and currency = :c
                and requested_at >= :from and requested_at < :to and status not in ('REJECTED', 'CANCELLED')""")
                .param("u", userId).param("c", currency.getCurrencyCode()).param("from", from).param("to", to)
                .query(BigDecimal.class).single();
    }

    long insert(String ref, String requesterId, Money amount, PayoutDestinations.Destination destination, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into withdrawal (ref, requester_id, currency, amount, destination_id, destination_kind, destination,
                    destination_masked, status, requested_at, updated_at)
                values (:ref, :requester, :currency, :amount, :destinationId, :kind, :destination, :masked, 'REQUESTED', :now, :now)""")
                .param("ref", ref).param("requester", requesterId).param("currency", amount.currencyCode())
                .param("amount", amount.amount()).param("destinationId", destination.id()).param("kind", destination.kind().name())
                .param("destination", destination.full()).param("masked", destination.masked()).param("now", now)
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    /** Binds the row to the one instance started for it; false when it is bound already (or missing). */
    boolean bind(String ref, String processInstanceId, OffsetDateTime now) {
        return jdbc.sql("update withdrawal set process_instance_id = :pi, updated_at = :now where ref = :ref and process_instance_id is null")
                .param("pi", processInstanceId).param("now", now).param("ref", ref).update() == 1;
    }

    Optional<Withdrawal> find(String ref) {
        return jdbc.sql("select " + COLUMNS + " from withdrawal w where w.ref = :ref").param("ref", ref)
                .query(WithdrawalRepository::map).optional();
    }

    Optional<Withdrawal> findByProcessInstance(String processInstanceId) {
        return jdbc.sql("select " + COLUMNS + " from withdrawal w where w.process_instance_id = :pi").param("pi", processInstanceId)
                .query(WithdrawalRepository::map).optional();
    }

    /** Reads the withdrawal and locks its row: the steps that change a withdrawal serialise here. */
    Optional<Withdrawal> lock(String ref) {
        return jdbc.sql("select " + COLUMNS + " from withdrawal w where w.ref = :ref for update").param("ref", ref)
                .query(WithdrawalRepository::map).optional();
    }

    List<Withdrawal> ofRequester(String userId, WithdrawalStatus status, int offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from withdrawal w where w.requester_id = :u"
                        + (status == null ? "" : " and w.status = :status")
                        + " order by w.id desc offset :offset rows fetch next :limit rows only")
                .param("u", userId).param("status", status == null ? "" : status.name())
                .param("offset", offset).param("limit", limit).query(WithdrawalRepository::map).list();
    }

    List<Withdrawal> all(WithdrawalStatus status, int offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from withdrawal w"
                        + (status == null ? "" : " where w.status = :status")
                        + " order by w.id offset :offset rows fetch next :limit rows only")
                .param("status", status == null ? "" : status.name())
                .param("offset", offset).param("limit", limit).query(WithdrawalRepository::map).list();
    }

    void decide(String ref, String decision, String by, String bankReference, String reason, OffsetDateTime now) {
        jdbc.sql("""
                update withdrawal set decision = :decision, decided_by = :by, decided_at = :now, bank_reference = :bank,
                    reason = :reason, updated_at = :now where ref = :ref""")
                .param("decision", decision).param("by", by).param("now", now).param("bank", bankReference)
                .param("reason", reason).param("ref", ref).update();
    }

    void status(String ref, WithdrawalStatus status, OffsetDateTime now) {
        jdbc.sql("update withdrawal set status = :status, updated_at = :now where ref = :ref")
                .param("status", status.name()).param("now", now).param("ref", ref).update();
    }

    private static Withdrawal map(ResultSet rs, int row) throws SQLException {
        Currency currency = Currencies.parse(rs.getString("currency"));
        return new Withdrawal(rs.getLong("id"), rs.getString("ref"), rs.getString("requester_id"),
                new Money(rs.getBigDecimal("amount").setScale(currency.getDefaultFractionDigits(), RoundingMode.UNNECESSARY), currency),
                rs.getLong("destination_id"), rs.getString("destination_kind"), rs.getString("destination"),
                rs.getString("destination_masked"), WithdrawalStatus.valueOf(rs.getString("status")), rs.getString("decision"),
                rs.getString("decided_by"), rs.getObject("decided_at", OffsetDateTime.class), rs.getString("bank_reference"),
                rs.getString("reason"), rs.getString("process_instance_id"), rs.getObject("requested_at", OffsetDateTime.class),
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
