package io.gigflow.statement;

import io.gigflow.shared.Currencies;
import io.gigflow.shared.FieldErrors;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.Locale;

/**
 * What a statement request asks for: a currency, a period of whole days in UTC from {@code from}
 * to {@code to} (both included, at most {@value #MAX_DAYS} days) and a format. Every broken rule
 * is named by its field in one 400.
 */
record StatementQuery(Currency currency, LocalDate from, LocalDate to, Format format) {

    static final int MAX_DAYS = 366;

    enum Format {
        CSV("csv"), PDF("pdf");

        final String extension;

        Format(String extension) {
            this.extension = extension;
        }
    }

    /** The start of {@code from}, 00:00 UTC. */
    Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The end of {@code to}: 00:00 UTC of the next day (excluded). */
    Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static StatementQuery parse(String currencyCode, String fromText, String toText, String formatText) {
        FieldErrors errors = new FieldErrors();
        Currency currency = null;
        if (currencyCode == null || currencyCode.isBlank()) {
            errors.add("currency", "required", "is required, e.g. currency=EUR");
        } else {
            try {
                currency = Currencies.parse(currencyCode);
            } catch (IllegalArgumentException e) {
                errors.add("currency", "currency", e.getMessage());
            }
        }
        LocalDate from = date("from", fromText, errors);
        LocalDate to = date("to", toText, errors);
        if (from != null && to != null) {
            if (to.isBefore(from)) {
                errors.add("to", "order", "must not be before from (" + from + ")");
            } else if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
                errors.add("to", "range", "a statement covers at most " + MAX_DAYS + " days; from " + from + " to " + to
                        + " are " + (ChronoUnit.DAYS.between(from, to) + 1));
            }
        }
        Format format = Format.CSV;
        if (formatText != null) {
            try {
                format = Format.valueOf(formatText.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                errors.add("format", "oneOf", "must be csv or pdf");
            }
        }
        errors.throwIfAny("Invalid statement request");
        return new StatementQuery(currency, from, to, format);
    }

    private static LocalDate date(String field, String text, FieldErrors errors) {
        if (text == null || text.isBlank()) {
            errors.add(field, "required", "is required, a date such as 2026-01-31");
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(text.strip(), DateTimeFormatter.ISO_LOCAL_DATE);
            if (date.getYear() < 1970 || date.getYear() > 9998) {
                errors.add(field, "range", "must be a date between 1970-01-01 and 9998-12-31");
                return null;
            }
            return date;
        } catch (DateTimeParseException e) {
            errors.add(field, "date", "must be a date in the form YYYY-MM-DD, such as 2026-01-31");
            return null;
        }
    }
}
