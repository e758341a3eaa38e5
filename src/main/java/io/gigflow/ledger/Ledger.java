package io.gigflow.ledger;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.Currencies;
import io.gigflow.shared.Money;
import io.gigflow.shared.TimeSource;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The double-entry ledger. A transfer writes two postings that sum to zero, is found again
 * by its idempotency key instead of being posted twice, and never takes an owner's balance
 * below zero. Balances are read from the postings. It joins the caller's transaction (the
 * engine's), so a step's money and its process state commit together.
 */
@Service
public class Ledger {

    private final JdbcClient jdbc;
    private final TimeSource time;
    private final CurrentUser currentUser;
    private final TransactionTemplate newTransaction;

    public Ledger(JdbcClient jdbc, TimeSource time, CurrentUser currentUser, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.time = time;
        this.currentUser = currentUser;
        this.newTransaction = new TransactionTemplate(transactionManager);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Moves {@code amount} from one account to another, once per idempotency key.
     *
     * @throws InsufficientBalanceException when {@code from} is an owner account holding less
     * @throws IllegalStateException when the key was used for a different transfer (a bug)
     */
    @Transactional(noRollbackFor = InsufficientBalanceException.class) // a rejection writes nothing; the caller's step goes on
    public Transfer transfer(String idempotencyKey, AccountRef from, AccountRef to, Money amount, String description) {
        if (!amount.isPositive()) {
            throw new IllegalArgumentException("a transfer moves a positive amount, not " + amount);
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("a transfer needs two different accounts, not " + from + " twice");
        }
        Optional<Transfer> existing = findTransfer(idempotencyKey);
        if (existing.isPresent()) {
            return replay(existing.get(), from, to, amount);
        }
        long fromId = accountId(from, amount.currency());
        long toId = accountId(to, amount.currency());
        // Row locks in id order serialise postings per account without deadlocks.
        jdbc.sql("select id from ledger_account where id in (:a, :b) order by id for update")
                .param("a", Math.min(fromId, toId)).param("b", Math.max(fromId, toId)).query(Long.class).list();
        existing = findTransfer(idempotencyKey);
        if (existing.isPresent()) {
            return replay(existing.get(), from, to, amount);
        }
        BigDecimal fromBalance = currentBalance(fromId);
        BigDecimal toBalance = currentBalance(toId);
        BigDecimal fromAfter = fromBalance.subtract(amount.amount());
        if (fromAfter.signum() < 0 && !from.mayGoNegative()) {
            throw new InsufficientBalanceException(from, new Money(fromBalance, amount.currency()), amount);
        }
        OffsetDateTime now = time.now();
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into ledger_transfer (idempotency_key, currency, amount, from_account_id, to_account_id,
                    description, created_at, created_by)
                values (:key, :currency, :amount, :from, :to, :description, :now, :by)""")
                .param("key", idempotencyKey).param("currency", amount.currencyCode()).param("amount", amount.amount())
                .param("from", fromId).param("to", toId).param("description", description)
                .param("now", now).param("by", currentUser.actor())
                .update(keys, "id");
        long transferId = keys.getKeyAs(Number.class).longValue();
        post(transferId, fromId, amount.amount().negate(), fromAfter, now);
        post(transferId, toId, amount.amount(), toBalance.add(amount.amount()), now);
        return new Transfer(transferId, idempotencyKey, from, to, amount, description, now, false);
    }

    public Optional<Transfer> findTransfer(String idempotencyKey) {
        return jdbc.sql("""
                select t.id, t.idempotency_key, t.currency, t.amount, t.description, t.created_at,
                       f.owner_type f_type, f.owner_id f_owner, o.owner_type t_type, o.owner_id t_owner
                from ledger_transfer t
                join ledger_account f on f.id = t.from_account_id
                join ledger_account o on o.id = t.to_account_id
                where t.idempotency_key = :key""")
                .param("key", idempotencyKey)
                .query((rs, n) -> {
                    Currency currency = Currencies.parse(rs.getString("currency"));
                    return new Transfer(rs.getLong("id"), rs.getString("idempotency_key"),
                            new AccountRef(AccountRef.OwnerType.valueOf(rs.getString("f_type")), rs.getString("f_owner")),
                            new AccountRef(AccountRef.OwnerType.valueOf(rs.getString("t_type")), rs.getString("t_owner")),
                            money(rs.getBigDecimal("amount"), currency), rs.getString("description"),
                            rs.getObject("created_at", OffsetDateTime.class), true);
                })
                .optional();
    }

    /** The owner's balance in one currency; zero when it never had an account there. */
    public Money balance(AccountRef owner, Currency currency) {
        return findAccount(owner, currency).map(id -> money(currentBalance(id), currency)).orElse(Money.zero(currency));
    }

    /** The owner's balance in every currency it has an account in, ordered by currency. */
    public List<Money> balances(AccountRef owner) {
        List<String> currencies = jdbc.sql("""
                select currency from ledger_account where owner_type = :type and owner_id = :owner order by currency""")
                .param("type", owner.type().name()).param("owner", owner.ownerId()).query(String.class).list();
        List<Money> balances = new ArrayList<>();
        for (String code : currencies) {
            balances.add(balance(owner, Currencies.parse(code)));
        }
        return balances;
    }

    /** The owner's postings, newest first, optionally in one currency. */
    public List<LedgerEntry> entries(AccountRef owner, Currency currency, int limit) {
        return jdbc.sql("""
                select p.id, p.transfer_id, p.amount, p.balance_after, p.created_at, a.currency, t.description,
                       c.owner_type c_type, c.owner_id c_owner
                from ledger_posting p
                join ledger_account a on a.id = p.account_id
                join ledger_transfer t on t.id = p.transfer_id
                join ledger_account c on c.id = case when t.from_account_id = a.id then t.to_account_id else t.from_account_id end
                where a.owner_type = :type and a.owner_id = :owner and (:currency = '' or a.currency = :currency)
                order by p.id desc fetch first :limit rows only""")
                .param("type", owner.type().name()).param("owner", owner.ownerId())
                .param("currency", currency == null ? "" : currency.getCurrencyCode()).param("limit", limit)
                .query((rs, n) -> {
                    Currency c = Currencies.parse(rs.getString("currency"));
                    return new LedgerEntry(rs.getLong("id"), rs.getLong("transfer_id"),
                            rs.getObject("created_at", OffsetDateTime.class), rs.getString("description"),
                            money(rs.getBigDecimal("amount"), c), money(rs.getBigDecimal("balance_after"), c),
                            new AccountRef(AccountRef.OwnerType.valueOf(rs.getString("c_type")), rs.getString("c_owner")));
                })
                .list();
    }

    /** The sum of the balances of all accounts of one owner type in one currency. */
    public record Total(AccountRef.OwnerType type, Currency currency, BigDecimal amount) {
    }

    /**
     * Per owner type and currency, the sum of the balances of its accounts (for operators' metrics:
     * the money held in escrow, in withdrawal holds, on the platform's fee account, and the external
     * account's negative of what came in net). Reads every posting: call it seldom.
     */
    public List<Total> totals() {
        return jdbc.sql("""
                select a.owner_type, a.currency, coalesce(sum(p.amount), 0) total from ledger_account a
                left join ledger_posting p on p.account_id = a.id
                group by a.owner_type, a.currency order by a.owner_type, a.currency""")
                .query((rs, n) -> new Total(AccountRef.OwnerType.valueOf(rs.getString(1)), Currencies.parse(rs.getString(2).strip()),
                        rs.getBigDecimal(3)))
                .list();
    }

    /**
     * Broken invariants, for tests and operators: per currency the postings sum to zero,
     * every transfer has two postings, no owner balance is below zero, and every posting's
     * balance after it (the balance shown) is the sum of its account's postings up to it. Empty
     * when sound. Reads every posting: call it seldom.
     */
    public List<String> invariantViolations() {
        List<String> violations = new ArrayList<>();
        jdbc.sql("""
                select a.currency, sum(p.amount) total from ledger_posting p join ledger_account a on a.id = p.account_id
                group by a.currency having sum(p.amount) <> 0""")
                .query((rs, n) -> rs.getString(1) + " postings sum to " + rs.getBigDecimal(2).toPlainString())
                .list().forEach(violations::add);
        jdbc.sql("""
                select t.idempotency_key, count(p.id) from ledger_transfer t left join ledger_posting p on p.transfer_id = t.id
                group by t.idempotency_key having count(p.id) <> 2""")
                .query((rs, n) -> "transfer " + rs.getString(1) + " has " + rs.getInt(2) + " postings")
                .list().forEach(violations::add);
        jdbc.sql("""
                select a.owner_type, a.owner_id, a.currency, sum(p.amount) from ledger_posting p
                join ledger_account a on a.id = p.account_id where a.owner_type <> 'EXTERNAL'
                group by a.owner_type, a.owner_id, a.currency having sum(p.amount) < 0""")
                .query((rs, n) -> rs.getString(1) + ":" + rs.getString(2) + " is at " + rs.getBigDecimal(4).toPlainString() + " " + rs.getString(3))
                .list().forEach(violations::add);
        jdbc.sql("""
                select a.owner_type, a.owner_id, a.currency, r.id, r.balance_after, r.running
                from (select p.id, p.account_id, p.balance_after,
                             sum(p.amount) over (partition by p.account_id order by p.id rows between unbounded preceding and current row) running
                      from ledger_posting p) r
                join ledger_account a on a.id = r.account_id
                where r.balance_after <> r.running order by r.id fetch first 20 rows only""")
                .query((rs, n) -> rs.getString(1) + ":" + rs.getString(2) + " shows " + rs.getBigDecimal(5).toPlainString() + " "
                        + rs.getString(3).strip() + " after posting " + rs.getLong(4) + ", but its postings up to it sum to "
                        + rs.getBigDecimal(6).toPlainString())
                .list().forEach(violations::add);
        return violations;
    }

    private Transfer replay(Transfer existing, AccountRef from, AccountRef to, Money amount) {
        if (!existing.from().equals(from) || !existing.to().equals(to) || !existing.amount().equals(amount)) {
            throw new IllegalStateException("idempotency key " + existing.idempotencyKey()
                    + " was used for another transfer (" + existing.from() + " -> " + existing.to() + ", " + existing.amount() + ")");
        }
        return existing;
    }

    private void post(long transferId, long accountId, BigDecimal amount, BigDecimal balanceAfter, OffsetDateTime now) {
        jdbc.sql("""
                insert into ledger_posting (transfer_id, account_id, amount, balance_after, created_at)
                values (:transfer, :account, :amount, :after, :now)""")
                .param("transfer", transferId).param("account", accountId).param("amount", amount)
                .param("after", balanceAfter).param("now", now).update();
    }

    /**
     * The balance after the account's newest posting: one entry of the (account_id, id) index, read
     * from its end. H2 does that only when the query orders by both columns and constrains both
     * ({@code id > 0} leaves out no posting); ordered by id alone, or joined with the account, it
     * read all the account's postings and sorted them, twice a transfer (EXPLAIN ANALYZE: 202 rows
     * for a customer with 200 postings, 1 row now). PostgreSQL reads the same index backwards.
     */
    private BigDecimal currentBalance(long accountId) {
        return jdbc.sql("""
                select balance_after from ledger_posting where account_id = :id and id > 0
                order by account_id desc, id desc fetch first 1 rows only""")
                .param("id", accountId).query(BigDecimal.class).optional().orElse(BigDecimal.ZERO);
    }

    /**
     * Finds or opens the account. Opening happens in a transaction of its own: an empty
     * account is harmless, and a duplicate insert by a concurrent transfer must not abort
     * the caller's transaction (PostgreSQL would).
     */
    private long accountId(AccountRef owner, Currency currency) {
        Optional<Long> id = findAccount(owner, currency);
        if (id.isPresent()) {
            return id.get();
        }
        try {
            newTransaction.executeWithoutResult(status -> jdbc.sql("""
                    insert into ledger_account (owner_type, owner_id, currency, created_at)
                    values (:type, :owner, :currency, :now)""")
                    .param("type", owner.type().name()).param("owner", owner.ownerId())
                    .param("currency", currency.getCurrencyCode()).param("now", time.now()).update());
        } catch (DuplicateKeyException raceLost) {
            // another transaction opened it first: use theirs
        }
        return findAccount(owner, currency).orElseThrow();
    }

    private Optional<Long> findAccount(AccountRef owner, Currency currency) {
        return findAccount(jdbc, owner, currency);
    }

    /** The id of the owner's account in the currency, if it ever had one. */
    static Optional<Long> findAccount(JdbcClient jdbc, AccountRef owner, Currency currency) {
        return jdbc.sql("select id from ledger_account where owner_type = :type and owner_id = :owner and currency = :currency")
                .param("type", owner.type().name()).param("owner", owner.ownerId()).param("currency", currency.getCurrencyCode())
                .query(Long.class).optional();
    }

    /** A stored amount (four decimals) as money of the currency (its own decimals). */
    static Money money(BigDecimal stored, Currency currency) {
        return new Money(stored.setScale(currency.getDefaultFractionDigits(), java.math.RoundingMode.UNNECESSARY), currency);
    }
}
