package io.gigflow.document;

import io.gigflow.shared.Money;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What a closing document says. {@code reference} and {@code type} identify it: issuing the
 * same pair again returns the document already issued (for example
 * {@code task-payout:T-42} and {@code ACCEPTANCE_CERTIFICATE}).
 *
 * @param number      the document number printed on it, unique, e.g. {@code ACT-T-42}
 * @param type        e.g. {@code ACCEPTANCE_CERTIFICATE}, {@code INVOICE}
 * @param reference   what it closes, e.g. {@code task-payout:T-42}
 * @param title       e.g. {@code Acceptance certificate}
 * @param subject     what the work was (the task's title)
 * @param notes       extra lines printed below the amount
 */
public record DocumentRequest(String number, String type, String reference, String title, String companyId,
        String companyName, String partyUserId, String partyName, String subject, Money amount, LocalDate date,
        List<String> notes) {

    public DocumentRequest {
        requireText(number, "number");
        requireText(type, "type");
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
