package io.gigflow.ledger;

import io.gigflow.shared.Currencies;
import io.gigflow.shared.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only views of the ledger for statements and operators: every account with its balance,
 * and one account's postings in a period with its balance before and after. Balances here are
 * sums of postings, so a period's opening balance plus its postings is always its closing balance.
 */
@Service
public class LedgerStatements {

    /** One account and its balance now. */
    public record AccountBalance(AccountRef owner, Money balance) {
    }

    /**
     * An account's postings with {@code from <= created_at < to}, in the order they were posted,
     * with the balance at {@code from} (opening) and at {@code to} (closing).
     */
    public record Period(AccountRef owner, Currency currency, Instant from, Instant to, Money opening, Money closing,
            List<LedgerEntry> entries) {
    }

    private final JdbcClient jdbc;

    public LedgerStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every account (optionally of one owner type), ordered by type, owner and currency. */
    @Transactional(readOnly = true)
    public List<AccountBalance> accounts(AccountRef.OwnerType type, int offset, int limit) {
        return jdbc.sql("""
                select a.owner_type, a.owner_id, a.currency, coalesce(sum(p.amount), 0) balance
                from ledger_account a left join ledger_posting p on p.account_id = a.id
                where (:type = '' or a.owner_type = :type)
                group by a.id, a.owner_type, a.owner_id, a.currency
                order by a.owner_type, a.owner_id, a.currency
                offset :offset rows fetch next :limit rows only""")
                .param("type", type == null ? "" : type.name()).param("offset", offset).param("limit", limit)
                .query((rs, n) -> {
                    Currency currency = Currencies.parse(rs.getString("currency").strip());
                    return new AccountBalance(new AccountRef(AccountRef.OwnerType.valueOf(rs.getString("owner_type")),
                            rs.getString("owner_id")), money(rs.getBigDecimal("balance"), currency));
                })
                .list();
    }

    /** Whether the owner has ever had an account in the currency. */
    @Transactional(readOnly = true)
    public boolean exists(AccountRef owner, Currency currency) {
        return accountId(owner, currency).isPresent();
    }

    /**
     * The owner's postings in {@code [from, to)} (at most {@code maxEntries}, else
     * {@link TooManyEntriesException}), with opening and closing balance. An owner without
     * an account in the currency has an empty period at zero.
     */
    @Transactional(readOnly = true)
    public Period period(AccountRef owner, Currency currency, Instant from, Instant to, int maxEntries) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("a period ends after it starts, not " + from + " to " + to);
        }
        Optional<Long> account = accountId(owner, currency);
        if (account.isEmpty()) {
            Money zero = Money.zero(currency);
            return new Period(owner, currency, from, to, zero, zero, List.of());
        }
        long id = account.get();
        OffsetDateTime start = OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
        OffsetDateTime end = OffsetDateTime.ofInstant(to, ZoneOffset.UTC);
        BigDecimal opening = sumBefore(id, start);
        List<Row> rows = jdbc.sql("""
                select p.id, p.transfer_id, p.amount, p.created_at, t.description, c.owner_type c_type, c.owner_id c_owner
                from ledger_posting p
                join ledger_transfer t on t.id = p.transfer_id
                join ledger_account c on c.id = case when t.from_account_id = p.account_id then t.to_account_id else t.from_account_id end
                where p.account_id = :account and p.created_at >= :start and p.created_at < :end
                order by p.created_at, p.id
                fetch first :limit rows only""")
                .param("account", id).param("start", start).param("end", end).param("limit", maxEntries + 1)
                .query((rs, n) -> new Row(rs.getLong("id"), rs.getLong("transfer_id"), rs.getBigDecimal("amount"),
                        rs.getObject("created_at", OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC),
                        rs.getString("description"),
                        new AccountRef(AccountRef.OwnerType.valueOf(rs.getString("c_type")), rs.getString("c_owner"))))
                .list();
        if (rows.size() > maxEntries) {
            throw new TooManyEntriesException(maxEntries);
        }
        BigDecimal running = opening;
        List<LedgerEntry> entries = new java.util.ArrayList<>(rows.size());
        for (Row row : rows) {
            running = running.add(row.amount());
            entries.add(new LedgerEntry(row.postingId(), row.transferId(), row.at(), row.description(),
                    money(row.amount(), currency), money(running, currency), row.counterparty()));
        }
        return new Period(owner, currency, from, to, money(opening, currency), money(running, currency), entries);
    }

    /** A period holds more postings than a statement may show. Nothing was read for it. */
    public static class TooManyEntriesException extends RuntimeException {

        private final int max;

        TooManyEntriesException(int max) {
            super("The period holds more than " + max + " postings; choose a shorter one");
            this.max = max;
        }

        public int max() {
            return max;
        }
    }

    private record Row(long postingId, long transferId, BigDecimal amount, OffsetDateTime at, String description,
            AccountRef counterparty) {
    }

    private BigDecimal sumBefore(long accountId, OffsetDateTime instant) {
        BigDecimal sum = jdbc.sql("select coalesce(sum(amount), 0) from ledger_posting where account_id = :account and created_at < :at")
                .param("account", accountId).param("at", instant).query(BigDecimal.class).single();
        return sum == null ? BigDecimal.ZERO : sum;
    }

    private Optional<Long> accountId(AccountRef owner, Currency currency) {
        return Ledger.findAccount(jdbc, owner, currency);
    }

    private static Money money(BigDecimal stored, Currency currency) {
        return Ledger.money(stored, currency);
    }
}
