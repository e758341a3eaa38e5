package io.gigflow.shared;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.camunda.bpm.engine.delegate.DelegateTask;

/**
 * What a human step tells its person in Tasklist: the task's name, written by the step's listener
 * from the domain row when the step opens ("Accept task PAY-12 · Logo design (Acme Ltd)"), so that
 * two steps of the same kind are told apart in the list; and the names and formats of the values its
 * form shows, which the lifecycle's {@link TaskFormFacts} read from the rows when the form is opened.
 */
public final class StepDisplay {

    /** The step's reference (PAY-12, ORD-7, ...), as its form shows it. */
    public static final String REF = "ref";
    /** Who asks: the company or customer that the step's decision answers. */
    public static final String ASKED_BY = "askedBy";
    /** The party the step is about, when it is not the one who asks (the contractor of a draft, the provider). */
    public static final String PARTY = "party";
    /** The step's amount with its currency, {@code 1,250.00 EUR}. */
    public static final String AMOUNT = "amountText";

    /** Long enough for a reference, a title and a name, short enough for one line of Tasklist's list. */
    static final int NAME_LIMIT = 120;
    private static final int TITLE_LIMIT = 48;
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private StepDisplay() {
    }

    /**
     * Names the task "{@code step ref · title (party)}"; the title is cut to fit one line, the party
     * (the one who asks, or the one it is about) is left out when unknown.
     */
    public static void name(DelegateTask task, String step, String ref, String title, String party) {
        task.setName(name(step, ref, title, party));
    }

    static String name(String step, String ref, String title, String party) {
        StringBuilder name = new StringBuilder(step);
        if (ref != null && !ref.isBlank()) {
            name.append(' ').append(ref);
        }
        if (title != null && !title.isBlank()) {
            name.append(" · ").append(cut(title.strip(), TITLE_LIMIT));
        }
        if (party != null && !party.isBlank()) {
            name.append(" (").append(party.strip()).append(')');
        }
        return cut(name.toString(), NAME_LIMIT);
    }

    /**
     * An instant as a form's date-and-time field takes it: ISO 8601 in UTC, which the browser shows in
     * its own time zone. Empty for none, so that the field stays empty.
     */
    public static String instant(Instant instant) {
        return instant == null ? "" : UTC.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** {@link #instant(Instant)} of an offset date-time. */
    public static String instant(OffsetDateTime dateTime) {
        return dateTime == null ? "" : instant(dateTime.toInstant());
    }

    private static String cut(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 1).strip() + "…";
    }
}
