package io.gigflow.statement;

import io.gigflow.document.Reports;
import io.gigflow.document.TableReport;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.LedgerEntry;
import io.gigflow.ledger.LedgerStatements;
import io.gigflow.shared.Money;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.UnprocessableException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes an account's statement for a period as CSV or PDF. Both show the same rows: the opening
 * balance at the start of the period, one row per posting in the order posted (amount signed,
 * the balance after it), and the closing balance at the end of the period.
 */
@Service
class Statements {

    /** More postings than this in one statement are refused: a shorter period is asked for. */
    static final int MAX_ENTRIES = 20_000;

    static final List<String> CSV_HEADER = List.of("date_time_utc", "transfer_id", "description", "counterparty", "amount",
            "balance_after");
    static final String OPENING = "Opening balance";
    static final String CLOSING = "Closing balance";

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    /** A made statement: its bytes, content type and file name. */
    record Download(byte[] content, String contentType, String fileName) {
    }

    private final LedgerStatements ledger;
    private final Reports reports;
    private final TimeSource time;

    Statements(LedgerStatements ledger, Reports reports, TimeSource time) {
        this.ledger = ledger;
        this.reports = reports;
        this.time = time;
    }

    /** The statement of {@code owner}, who is called {@code ownerName} on the PDF. */
    @Transactional(readOnly = true)
    Download statement(AccountRef owner, String ownerName, StatementQuery query) {
        LedgerStatements.Period period;
        try {
            period = ledger.period(owner, query.currency(), query.start(), query.end(), MAX_ENTRIES);
        } catch (LedgerStatements.TooManyEntriesException e) {
            throw new UnprocessableException(e.getMessage());
        }
        String fileName = fileName(owner, query);
        return switch (query.format()) {
            case CSV -> new Download(csv(period), "text/csv; charset=UTF-8", fileName);
            case PDF -> new Download(pdf(period, ownerName, query), "application/pdf", fileName);
        };
    }

    /**
     * RFC 4180 (CRLF, fields with commas, quotes or line breaks quoted), UTF-8; text cells that a
     * spreadsheet would take for a formula are prefixed with an apostrophe.
     */
    static byte[] csv(LedgerStatements.Period period) {
        StringWriter out = new StringWriter();
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader(CSV_HEADER.toArray(String[]::new)).get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            for (List<String> row : rows(period)) {
                printer.printRecord(row.get(0), row.get(1), safeText(row.get(2)), safeText(row.get(3)), row.get(4), row.get(5));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a StringWriter does not fail", e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The opening row, one row per posting and the closing row, as both formats show them. */
    static List<List<String>> rows(LedgerStatements.Period period) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of(UTC.format(period.from()), "", OPENING, "", "", period.opening().toDecimalString()));
        for (LedgerEntry entry : period.entries()) {
            rows.add(List.of(UTC.format(entry.at()), Long.toString(entry.transferId()), entry.description(),
                    entry.counterparty().toString(), entry.amount().toDecimalString(),
                    entry.balanceAfter().toDecimalString()));
        }
        rows.add(List.of(UTC.format(period.to()), "", CLOSING, "", "", period.closing().toDecimalString()));
        return rows;
    }

    /**
     * A text cell as a spreadsheet must not run it: one starting with {@code = + - @}, a tab or a
     * carriage return is prefixed with {@code '} (numbers are written by the statement itself and
     * are not text cells).
     */
    static String safeText(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        char first = text.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + text : text;
    }

    private byte[] pdf(LedgerStatements.Period period, String ownerName, StatementQuery query) {
        List<TableReport.Column> columns = List.of(
                new TableReport.Column("Date and time (UTC)", 16, false),
                new TableReport.Column("Transfer", 8, false),
                new TableReport.Column("Description", 36, false),
                new TableReport.Column("Counterparty", 22, false),
                new TableReport.Column("Amount", 13, true),
                new TableReport.Column("Balance after", 13, true));
        Money totalIn = Money.zero(query.currency());
        Money totalOut = Money.zero(query.currency());
        for (LedgerEntry entry : period.entries()) {
            if (entry.amount().isNegative()) {
                totalOut = totalOut.plus(entry.amount().negate());
            } else {
                totalIn = totalIn.plus(entry.amount());
            }
        }
        String currency = query.currency().getCurrencyCode();
        List<String> lines = List.of(
                "Account: " + period.owner() + (ownerName == null || ownerName.isBlank() ? "" : " (" + ownerName + ")"),
                "Currency: " + currency,
                "Period: " + query.from() + " to " + query.to() + " (UTC, both days included)",
                "Opening balance (" + UTC.format(period.from()) + "): " + period.opening().toDecimalString() + " " + currency,
                "Closing balance (" + UTC.format(period.to()) + "): " + period.closing().toDecimalString() + " " + currency,
                "Money in: " + totalIn.toDecimalString() + " " + currency + "; money out: " + totalOut.toDecimalString() + " "
                        + currency + "; postings: " + period.entries().size());
        Instant now = time.now().toInstant().truncatedTo(ChronoUnit.SECONDS);
        return reports.pdf(new TableReport("Statement of account", lines, columns, rows(period),
                List.of("Made by gigflow at " + UTC.format(now) + " from the ledger's postings; amounts in " + currency + ".")));
    }

    /** {@code statement-<type>-<owner>-<currency>-<from>-<to>.<ext>}, ASCII letters, digits, '.', '_' and '-' only. */
    static String fileName(AccountRef owner, StatementQuery query) {
        String name = "statement-" + owner.type().name().toLowerCase(java.util.Locale.ROOT) + "-" + owner.ownerId() + "-"
                + query.currency().getCurrencyCode() + "-" + query.from() + "-" + query.to();
        return name.replaceAll("[^A-Za-z0-9._-]", "_") + "." + query.format().extension;
    }
}
