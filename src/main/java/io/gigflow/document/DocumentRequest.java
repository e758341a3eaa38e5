package io.gigflow.document;

import io.gigflow.shared.Money;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What a closing document says. {@code reference} and {@code type} identify it: issuing the
 * same pair again returns the document already issued (for example
 * {@code task-payout:T-42} and {@code ACCEPTANCE_CERTIFICATE}). The document number is not part
 * of the request: {@link DocumentService} draws it from the type's own series when it issues
 * the document, so no reference a user chooses can decide or take a number.
 *
 * @param type        {@value #ACCEPTANCE_CERTIFICATE} or {@value #INVOICE}
 * @param reference   what it closes, e.g. {@code task-payout:T-42}
 * @param title       e.g. {@code Acceptance certificate}
 * @param subject     what the work was (the task's title)
 * @param notes       extra lines printed below the amount
 */
public record DocumentRequest(String type, String reference, String title, String companyId,
        String companyName, String partyUserId, String partyName, String subject, Money amount, LocalDate date,
        List<String> notes) {

    public static final String ACCEPTANCE_CERTIFICATE = "ACCEPTANCE_CERTIFICATE";
    public static final String INVOICE = "INVOICE";

    public DocumentRequest {
        requireText(type, "type");
        if (!DocumentNumbers.numbers(type)) {
            throw new IllegalArgumentException("no number series for documents of type " + type);
        }
        requireText(reference, "reference");
        requireText(title, "title");
        requireText(companyId, "companyId");
        requireText(partyUserId, "partyUserId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(date, "date");
        companyName = companyName == null || companyName.isBlank() ? companyId : companyName;
        partyName = partyName == null || partyName.isBlank() ? partyUserId : partyName;
        subject = subject == null ? "" : subject;
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " of a document is required");
        }
    }
}
