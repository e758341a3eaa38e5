package io.gigflow.statement;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.ledger.LedgerStatements;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.PostgresDatabase;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Statements and the operators' account list on the production database: timestamps with time zone, sums, paging. */
@SpringBootTest(properties = {
        "camunda.bpm.admin-user.password=Postgres-Statement-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "camunda.bpm.job-execution.enabled=false",
        "logging.level.root=warn"})
@ActiveProfiles("postgres")
@DirtiesContext
class StatementOnPostgresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    @Autowired IdentityService identityService;
    @Autowired Ledger ledger;
    @Autowired LedgerStatements ledgerStatements;
    @Autowired Statements statements;

    @Test
    void aStatementHasTheSameOpeningRowsAndClosingAsOnH2() throws IOException {
        String company = new Fixtures(identityService).company("acme")[0];
        String escrow = "pg-statement:" + Fixtures.unique("T");
        AccountRef account = AccountRef.company(company);
        post("2025-12-31T23:59:59Z", AccountRef.external(), account, "1000.00", "Top-up");
        post("2026-01-01T00:00:00Z", account, AccountRef.escrow(escrow), "0.01", "+first cent");
        post("2026-01-31T23:59:59Z", account, AccountRef.escrow(escrow), "333.33", "Task, \"quoted\"");
        post("2026-02-01T00:00:00Z", account, AccountRef.escrow(escrow), "1.00", "Next month");

        byte[] csv = statements.statement(account, "Acme", StatementQuery.parse("EUR", "2026-01-01", "2026-01-31", "csv")).content();

        List<CSVRecord> rows = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(new String(csv, StandardCharsets.UTF_8))).getRecords();
        assertThat(rows).extracting(r -> r.get("date_time_utc") + " " + r.get("description") + " " + r.get("amount") + " " + r.get("balance_after"))
                .containsExactly(
                        "2026-01-01T00:00:00Z Opening balance  1000.00",
                        "2026-01-01T00:00:00Z '+first cent -0.01 999.99",
                        "2026-01-31T23:59:59Z Task, \"quoted\" -333.33 666.66",
                        "2026-02-01T00:00:00Z Closing balance  666.66");
        assertThat(ledgerStatements.accounts(AccountRef.OwnerType.ESCROW, 0, 100_000))
                .contains(new LedgerStatements.AccountBalance(AccountRef.escrow(escrow), Money.of("334.34", "EUR")));
        assertThat(ledgerStatements.accounts(AccountRef.OwnerType.COMPANY, 0, 100_000))
                .contains(new LedgerStatements.AccountBalance(account, Money.of("665.66", "EUR")));
    }

    private void post(String at, AccountRef from, AccountRef to, String amount, String description) {
        ClockUtil.setCurrentTime(Date.from(Instant.parse(at)));
        try {
            ledger.transfer(Fixtures.unique("pg-statement-"), from, to, Money.of(amount, "EUR"), description);
        } finally {
            ClockUtil.reset();
        }
    }
}
