package io.gigflow.document;

import io.gigflow.shared.Sequences;
import java.util.Map;

/**
 * Document numbers: one series per document type ({@code INV-000042}, {@code ACT-000042}), each
 * drawn from a database sequence of its own when the document is issued. Nothing a party
 * chooses (a business key, a title) goes into a number, so no reference can take the number
 * another document needs, and every number is unique and increasing within its type. A
 * sequence hands out numbers without holding a lock until the issuing transaction commits;
 * the price is that an issue that fails after drawing (a rendering error, a retried step)
 * leaves a gap in the series: the number belongs to no document.
 *
 * <p>Numbers issued before the series existed were the prefix and the reference
 * ({@code INV-T-1001}, {@code INV-FA-F-7001}); a series number is the prefix and digits only, so
 * the two never meet.
 */
final class DocumentNumbers {

    private record Series(String prefix, String sequence) {
    }

    private static final Map<String, Series> SERIES = Map.of(
            DocumentRequest.INVOICE, new Series("INV-", "invoice_number_seq"),
            DocumentRequest.ACCEPTANCE_CERTIFICATE, new Series("ACT-", "acceptance_certificate_number_seq"));

    private final Sequences sequences;

    DocumentNumbers(Sequences sequences) {
        this.sequences = sequences;
    }

    static boolean numbers(String type) {
        return SERIES.containsKey(type);
    }

    String next(String type) {
        Series series = SERIES.get(type);
        if (series == null) {
            throw new IllegalArgumentException("no number series for documents of type " + type);
        }
        return series.prefix() + String.format("%06d", sequences.next(series.sequence()));
    }
}
