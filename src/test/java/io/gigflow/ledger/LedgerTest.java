package io.gigflow.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class LedgerTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

    @Test
    void postsATransferOnceWhateverHowOftenItIsRepeated() {
        AccountRef company = AccountRef.company(Fixtures.unique("co"));
        String key = Fixtures.unique("top-up");

        Transfer first = ledger.transfer(key, AccountRef.external(), company, Money.of("10.00", "EUR"), "Top-up");
        Transfer again = ledger.transfer(key, AccountRef.external(), company, Money.of("10.00", "EUR"), "Top-up");

        assertThat(first.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(ledger.balance(company, EUR).toDecimalString()).isEqualTo("10.00");
        assertThatThrownBy(() -> ledger.transfer(key, AccountRef.external(), company, Money.of("11.00", "EUR"), "Top-up"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesToTakeAnOwnerBelowZeroAndPostsNothing() {
        AccountRef company = AccountRef.company(Fixtures.unique("co"));
        ledger.transfer(Fixtures.unique("k"), AccountRef.external(), company, Money.of("5.00", "EUR"), "Top-up");
        String key = Fixtures.unique("k");

        assertThatThrownBy(() -> ledger.transfer(key, company, AccountRef.escrow("x:" + key), Money.of("5.01", "EUR"), "Reserve"))
                .isInstanceOf(InsufficientBalanceException.class).hasMessageContaining("5.00 EUR").hasMessageContaining("5.01 EUR");

        assertThat(ledger.findTransfer(key)).isEmpty();
        assertThat(ledger.balance(company, EUR).toDecimalString()).isEqualTo("5.00");
    }

    @Test
    void keepsEveryBalanceAfterInStepWithTheEntries() {
        AccountRef company = AccountRef.company(Fixtures.unique("co"));
        ledger.transfer(Fixtures.unique("k"), AccountRef.external(), company, Money.of("100.00", "EUR"), "In");
        ledger.transfer(Fixtures.unique("k"), company, AccountRef.user(Fixtures.unique("u")), Money.of("30.25", "EUR"), "Out");

        List<LedgerEntry> entries = ledger.entries(company, EUR, 10);

        assertThat(entries).extracting(e -> e.amount().toDecimalString()).containsExactly("-30.25", "100.00");
        assertThat(entries).extracting(e -> e.balanceAfter().toDecimalString()).containsExactly("69.75", "100.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void namesAPostingWhoseBalanceAfterIsNotTheSumOfTheAccountsPostings() {
        AccountRef company = AccountRef.company(Fixtures.unique("co"));
        ledger.transfer(Fixtures.unique("k"), AccountRef.external(), company, Money.of("100.00", "EUR"), "In");
        String out = Fixtures.unique("k");
        ledger.transfer(out, company, AccountRef.user(Fixtures.unique("u")), Money.of("30.25", "EUR"), "Out");
        assertThat(ledger.invariantViolations()).isEmpty();
        long transfer = ledger.findTransfer(out).orElseThrow().id();
        // a balance computed from a stale read: the 100.00 that came in is missing
        jdbc.sql("update ledger_posting set balance_after = -30.25 where transfer_id = :t and amount < 0").param("t", transfer).update();
        try {
            assertThat(ledger.invariantViolations()).singleElement().asString()
                    .startsWith("COMPANY:" + company.ownerId() + " shows -30.2500 EUR after posting ")
                    .endsWith("but its postings up to it sum to 69.7500");
        } finally {
            jdbc.sql("update ledger_posting set balance_after = 69.75 where transfer_id = :t and amount < 0").param("t", transfer).update();
        }
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void neverOverdrawsUnderConcurrentTransfers() throws Exception {
        AccountRef company = AccountRef.company(Fixtures.unique("co"));
        ledger.transfer(Fixtures.unique("k"), AccountRef.external(), company, Money.of("10.00", "EUR"), "In");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            attempts.add(() -> {
                try {
                    ledger.transfer(Fixtures.unique("race"), company, AccountRef.user(Fixtures.unique("u")), Money.of("1.00", "EUR"), "Out");
                    return true;
                } catch (InsufficientBalanceException e) {
                    return false;
                }
            });
        }
        long succeeded = 0;
        for (Future<Boolean> result : pool.invokeAll(attempts)) {
            succeeded += result.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(succeeded).isEqualTo(10);
        assertThat(ledger.balance(company, EUR).toDecimalString()).isEqualTo("0.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    /**
     * The balance an owner is shown is the balance after its newest posting; under transfers out of
     * and back into one account from many threads at once (a withdrawal's hold and its return), it
     * stays the sum of the account's postings: the account locks serialise them.
     */
    @Test
    void theBalanceShownIsTheSumOfThePostingsUnderConcurrentTransfersBothWays() throws Exception {
        AccountRef user = AccountRef.user(Fixtures.unique("u"));
        ledger.transfer(Fixtures.unique("k"), AccountRef.external(), user, Money.of("10000.00", "EUR"), "In");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Callable<Void>> work = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int n = i;
            work.add(() -> {
                String ref = Fixtures.unique("w");
                ledger.transfer(ref + ":hold", user, AccountRef.withdrawal(ref), Money.of((1 + n % 7) + ".25", "EUR"), "hold");
                ledger.transfer(ref + ":returned", AccountRef.withdrawal(ref), user, Money.of((1 + n % 7) + ".25", "EUR"), "back");
                return null;
            });
        }
        for (Future<Void> f : pool.invokeAll(work)) {
            f.get();
        }
        pool.shutdown();
        BigDecimal sum = jdbc.sql("""
                select sum(p.amount) from ledger_posting p join ledger_account a on a.id = p.account_id
                where a.owner_type = :t and a.owner_id = :o""").param("t", user.type().name()).param("o", user.ownerId())
                .query(BigDecimal.class).single();
        assertThat(sum).isEqualByComparingTo("10000.00");
        assertThat(ledger.balance(user, Currency.getInstance("EUR")).toDecimalString()).isEqualTo("10000.00");
    }
}
