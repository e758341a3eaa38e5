package io.gigflow.statement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.ledger.Transfer;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class StatementApiTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired Ledger ledger;

    Http http;
    Fixtures fixtures;
    String company;
    String member;
    String escrow;
    final List<Long> transfers = new ArrayList<>();

    /**
     * A company's EUR account: 1000.00 in before January 2026, two postings in January (one
     * with a description a spreadsheet would run, one with a comma, quotes and a line break),
     * one in February.
     */
    @BeforeEach
    void aCompanyWithPostingsBeforeInAndAfterJanuary() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        member = acme[1];
        escrow = "statement-test:" + Fixtures.unique("T");
        AccountRef account = AccountRef.company(company);
        post("2025-12-20T09:00:00Z", AccountRef.external(), account, "1000.00", "Top-up bank-1");
        post("2026-01-05T10:15:30Z", account, AccountRef.escrow(escrow), "250.50", "=HYPERLINK(\"http://evil.test\",\"click\")");
        post("2026-01-10T23:59:59Z", AccountRef.external(), account, "99.99", "Top-up, \"second\"\nwith a line break");
        post("2026-02-01T00:00:00Z", account, AccountRef.escrow(escrow), "10.00", "February's task");
    }

    private void post(String at, AccountRef from, AccountRef to, String amount, String description) {
        ClockUtil.setCurrentTime(Date.from(Instant.parse(at)));
        try {
            Transfer transfer = ledger.transfer(Fixtures.unique("statement-test-"), from, to, Money.of(amount, "EUR"), description);
            transfers.add(transfer.id());
        } finally {
            ClockUtil.reset();
        }
    }

    @Test
    void aMemberDownloadsTheCompanysJanuaryAsCsvWithOpeningAndClosingToTheCent() {
        Http.Response response = http.get(member, "/api/companies/" + company + "/statement?currency=EUR&from=2026-01-01&to=2026-01-31&format=csv");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("text/csv;charset=UTF-8");
        assertThat(response.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"statement-company-" + company + "-EUR-2026-01-01-2026-01-31.csv\"");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.text()).startsWith("date_time_utc,transfer_id,description,counterparty,amount,balance_after\r\n");
        List<CSVRecord> rows = csv(response.text());
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).values()).containsExactly("2026-01-01T00:00:00Z", "", "Opening balance", "", "", "1000.00");
        assertThat(rows.get(1).values()).containsExactly("2026-01-05T10:15:30Z", transfers.get(1).toString(),
                "'=HYPERLINK(\"http://evil.test\",\"click\")", "ESCROW:" + escrow, "-250.50", "749.50");
        assertThat(rows.get(2).values()).containsExactly("2026-01-10T23:59:59Z", transfers.get(2).toString(),
                "Top-up, \"second\"\nwith a line break", "EXTERNAL:world", "99.99", "849.49");
        assertThat(rows.get(3).values()).containsExactly("2026-02-01T00:00:00Z", "", "Closing balance", "", "", "849.49");
    }

    @Test
    void theSameStatementAsPdfIsARealPdfWithTheTable() {
        Http.Response response = http.get(member, "/api/companies/" + company + "/statement?currency=EUR&from=2026-01-01&to=2026-01-31&format=pdf");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(response.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"statement-company-" + company + "-EUR-2026-01-01-2026-01-31.pdf\"");
        String text = pdfText(response.body());
        assertThat(text).contains("Statement of account", "Account: COMPANY:" + company + " (acme Ltd)", "Currency: EUR",
                "Period: 2026-01-01 to 2026-01-31",
                "Opening balance (2026-01-01T00:00:00Z): 1000.00 EUR", "Closing balance (2026-02-01T00:00:00Z): 849.49 EUR",
                "Money in: 99.99 EUR; money out: 250.50 EUR; postings: 2",
                "Date and time (UTC)", "Balance after",
                "2026-01-05T10:15:30Z", "-250.50", "749.50", "=HYPERLINK", "ESCROW:" + escrow, "99.99", "849.49");
        assertThat(text).doesNotContain("February's task");
    }

    @Test
    void aPeriodWithoutPostingsHasOpeningEqualToClosingAndNoRows() {
        Http.Response quiet = http.get(member, "/api/companies/" + company + "/statement?currency=EUR&from=2026-01-11&to=2026-01-31");
        Http.Response before = http.get(member, "/api/companies/" + company + "/statement?currency=EUR&from=2025-01-01&to=2025-01-31");
        Http.Response otherCurrency = http.get(member, "/api/companies/" + company + "/statement?currency=JPY&from=2026-01-01&to=2026-01-31");

        assertThat(csv(quiet.text())).extracting(CSVRecord::values).containsExactly(
                new String[] {"2026-01-11T00:00:00Z", "", "Opening balance", "", "", "849.49"},
                new String[] {"2026-02-01T00:00:00Z", "", "Closing balance", "", "", "849.49"});
        assertThat(csv(before.text())).extracting(r -> r.get("balance_after")).containsExactly("0.00", "0.00");
        assertThat(csv(otherCurrency.text())).extracting(r -> r.get("balance_after")).containsExactly("0", "0");
    }

    @Test
    void aPersonDownloadsItsOwnStatement() {
        String contractor = fixtures.contractor("carla");
        post("2026-03-03T12:00:00Z", AccountRef.escrow(escrow), AccountRef.user(contractor), "40.00", "Payout for task @home");

        Http.Response response = http.get(contractor, "/api/me/statement?currency=EUR&from=2026-03-01&to=2026-03-31");
        Http.Response pdf = http.get(contractor, "/api/me/statement?currency=EUR&from=2026-03-01&to=2026-03-31&format=pdf");

        assertThat(response.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"statement-user-" + contractor + "-EUR-2026-03-01-2026-03-31.csv\"");
        List<CSVRecord> rows = csv(response.text());
        assertThat(rows.get(1).values()).containsExactly("2026-03-03T12:00:00Z", transfers.get(4).toString(),
                "Payout for task @home", "ESCROW:" + escrow, "40.00", "40.00");
        assertThat(rows.get(2).get("balance_after")).isEqualTo("40.00");
        assertThat(pdfText(pdf.body())).contains("Account: USER:" + contractor + " (" + Character.toUpperCase(contractor.charAt(0)));
    }

    @Test
    void strangersGetTheCompanyEndpointsNotFoundAndNonOperatorsAreRefusedTheOperatorViews() {
        String stranger = fixtures.contractor("eve");
        String path = "/api/companies/" + company + "/statement?currency=EUR&from=2026-01-01&to=2026-01-31";

        assertThat(http.get(stranger, path).status()).isEqualTo(404);
        assertThat(http.get(null, path).status()).isEqualTo(401);
        assertThat(http.get(null, "/api/me/statement?currency=EUR&from=2026-01-01&to=2026-01-31").status()).isEqualTo(401);
        assertThat(http.get(member, "/api/operator/accounts").status()).isEqualTo(403);
        assertThat(http.get(stranger, "/api/operator/accounts?type=ESCROW").status()).isEqualTo(403);
        assertThat(http.get(member, "/api/operator/accounts/COMPANY/" + company + "/statement?currency=EUR&from=2026-01-01&to=2026-01-31")
                .status()).isEqualTo(403);
        assertThat(http.get(null, "/api/operator/accounts").status()).isEqualTo(401);
    }

    @Test
    void anOperatorSeesEveryAccountIncludingEscrowHoldsAndTheOutsideWorld() {
        String operator = fixtures.person(Fixtures.unique("operator"), Groups.CAMUNDA_ADMIN);
        String hold = Fixtures.unique("W-");
        post("2026-01-20T08:00:00Z", AccountRef.company(company), AccountRef.withdrawal(hold), "100.00", "Withdrawal held");

        JsonNode escrows = http.get(operator, "/api/operator/accounts?type=ESCROW&limit=50").json();
        JsonNode external = http.get(operator, "/api/operator/accounts?type=EXTERNAL").json();

        assertThat(escrows).isNotEmpty().allMatch(a -> a.get("type").asText().equals("ESCROW"));
        assertThat(external).allMatch(a -> a.get("type").asText().equals("EXTERNAL") && a.get("ownerId").asText().equals("world"));
        // other test classes share the database: the accounts are found page by page
        assertThat(account(operator, "type=ESCROW&", "ESCROW", escrow))
                .isEqualTo("{\"type\":\"ESCROW\",\"ownerId\":\"" + escrow + "\",\"currency\":\"EUR\",\"balance\":\"260.50\"}");
        assertThat(account(operator, "type=WITHDRAWAL&", "WITHDRAWAL", hold))
                .isEqualTo("{\"type\":\"WITHDRAWAL\",\"ownerId\":\"" + hold + "\",\"currency\":\"EUR\",\"balance\":\"100.00\"}");
        assertThat(account(operator, "", "COMPANY", company))
                .isEqualTo("{\"type\":\"COMPANY\",\"ownerId\":\"" + company + "\",\"currency\":\"EUR\",\"balance\":\"739.49\"}");

        Http.Response statement = http.get(operator, "/api/operator/accounts/ESCROW/" + escrow + "/statement?currency=EUR&from=2026-01-01&to=2026-02-28");
        assertThat(statement.status()).isEqualTo(200);
        assertThat(statement.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"statement-escrow-statement-test_" + escrow.substring("statement-test:".length())
                        + "-EUR-2026-01-01-2026-02-28.csv\"");
        assertThat(csv(statement.text())).extracting(r -> r.get("amount") + " " + r.get("balance_after"))
                .containsExactly(" 0.00", "250.50 250.50", "10.00 260.50", " 260.50");
        Http.Response pdf = http.get(operator, "/api/operator/accounts/WITHDRAWAL/" + hold + "/statement?currency=EUR&from=2026-01-01&to=2026-01-31&format=pdf");
        assertThat(pdfText(pdf.body())).contains("Account: WITHDRAWAL:" + hold, "100.00");

        assertThat(http.get(operator, "/api/operator/accounts/ESCROW/nothing-here/statement?currency=EUR&from=2026-01-01&to=2026-01-31").status())
                .isEqualTo(404);
        assertThat(http.get(operator, "/api/operator/accounts/ESCROW/" + escrow + "/statement?currency=USD&from=2026-01-01&to=2026-01-31").status())
                .isEqualTo(404);
        assertErrors(http.get(operator, "/api/operator/accounts/BANK/x/statement?currency=EUR&from=2026-01-01&to=2026-01-31"), "type", "oneOf");
        assertErrors(http.get(operator, "/api/operator/accounts?type=escrow"), "type", "oneOf");
        assertErrors(http.get(operator, "/api/operator/accounts?limit=0"), "limit", "range");
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        String path = "/api/companies/" + company + "/statement?";

        assertErrors(http.get(member, path + "from=2026-01-01&to=2026-01-31"), "currency", "required");
        assertErrors(http.get(member, path + "currency=EURO&from=2026-01-01&to=2026-01-31"), "currency", "currency");
        assertErrors(http.get(member, path + "currency=ABC&from=2026-01-01&to=2026-01-31"), "currency", "currency");
        assertErrors(http.get(member, path + "currency=EUR&to=2026-01-31"), "from", "required");
        assertErrors(http.get(member, path + "currency=EUR&from=2026-01-01"), "to", "required");
        assertErrors(http.get(member, path + "currency=EUR&from=2026-02-30&to=2026-03-31"), "from", "date");
        assertErrors(http.get(member, path + "currency=EUR&from=01.01.2026&to=2026-03-31"), "from", "date");
        assertErrors(http.get(member, path + "currency=EUR&from=2026-01-01&to=tomorrow"), "to", "date");
        assertErrors(http.get(member, path + "currency=EUR&from=2026-02-01&to=2026-01-31"), "to", "order");
        assertErrors(http.get(member, path + "currency=EUR&from=2025-01-01&to=2026-01-02"), "to", "range");
        assertErrors(http.get(member, path + "currency=EUR&from=2026-01-01&to=2026-01-31&format=xlsx"), "format", "oneOf");
        assertErrors(http.get(member, "/api/me/statement?currency=EUR&from=0001-01-01&to=0001-01-31"), "from", "range");
        // a leap year's 366 days are one statement
        assertThat(http.get(member, path + "currency=EUR&from=2024-01-01&to=2024-12-31").status()).isEqualTo(200);
    }

    /** The operator's view of one account, looked for page by page (100 a page). */
    private String account(String operator, String filter, String type, String ownerId) {
        for (int offset = 0; ; offset += 100) {
            JsonNode page = http.get(operator, "/api/operator/accounts?" + filter + "offset=" + offset + "&limit=100").json();
            for (JsonNode account : page) {
                if (account.get("type").asText().equals(type) && account.get("ownerId").asText().equals(ownerId)) {
                    return account.toString();
                }
            }
            if (page.size() < 100) {
                return null;
            }
        }
    }

    private static void assertErrors(Http.Response response, String field, String rule) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asText()).isEqualTo(field);
        assertThat(response.json().get("errors").get(0).get("rule").asText()).isEqualTo(rule);
    }

    private static List<CSVRecord> csv(String text) {
        try {
            CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
            return StreamSupport.stream(format.parse(new StringReader(text)).spliterator(), false).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pdfText(byte[] pdf) {
        assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
