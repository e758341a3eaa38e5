package io.gigflow.ledger;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * The balance an owner is shown is the balance after its newest posting; under transfers out of
 * and back into one account from many threads at once (a withdrawal's hold and its return), it
 * stays the sum of the account's postings: the account locks serialise them.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class LedgerRunningBalanceTest {

    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

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
