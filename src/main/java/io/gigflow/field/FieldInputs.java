package io.gigflow.field;

import io.gigflow.shared.FieldErrors;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;

/** How the field-assignment steps read what a person typed: each rule names the field it refuses (400). */
final class FieldInputs {

    /**
     * Every variable a party may send into a field-assignment instance: the fields of every
     * step's form and the variables of every message. Each is read only by the step or message it
     * belongs to, in the same transaction; a step that took its own then drops all of them, so
     * that one party's completion cannot leave a value behind for another party's step to read
     * (a cancellation payment, a hold reason, a request amount).
     */
    static final Set<String> OUTSIDE_INPUTS = Set.of(
            FieldAssignmentProcess.VAR_APPLICATION_KIND, FieldAssignmentProcess.VAR_APPLICATION_MESSAGE,
            FieldAssignmentProcess.VAR_PROPOSED_PRICE, FieldAssignmentProcess.VAR_PROPOSED_START, FieldAssignmentProcess.VAR_PROPOSED_END,
            FieldAssignmentProcess.VAR_QUESTION_ANSWER, FieldAssignmentProcess.VAR_CHOSEN_APPLICATION_ID, FieldAssignmentProcess.VAR_CONFIRM,
            FieldAssignmentProcess.VAR_CHECK_IN, FieldAssignmentProcess.VAR_CHECK_OUT, FieldAssignmentProcess.VAR_DELIVERABLES_TEXT,
            FieldAssignmentProcess.VAR_CUSTOM_FIELDS_TEXT, FieldAssignmentProcess.VAR_REQUEST_DECISION,
            FieldAssignmentProcess.VAR_REQUEST_ANSWER_REASON, FieldAssignmentProcess.VAR_REVIEW_DECISION,
            FieldAssignmentProcess.VAR_NOT_SATISFIED_REASON, FieldAssignmentProcess.VAR_NEW_START, FieldAssignmentProcess.VAR_NEW_END,
            FieldAssignmentProcess.VAR_RESCHEDULE_ANSWER, FieldAssignmentProcess.VAR_FAST_FUNDS,
            FieldAssignmentProcess.VAR_CANCEL_PAYMENT, FieldAssignmentProcess.VAR_CANCEL_REASON, FieldAssignmentProcess.VAR_HOLD_REASON,
            FieldAssignmentProcess.VAR_HOLD_NOTE, FieldAssignmentProcess.VAR_REQUEST_KIND, FieldAssignmentProcess.VAR_REQUEST_AMOUNT,
            FieldAssignmentProcess.VAR_REQUEST_NEW_START, FieldAssignmentProcess.VAR_REQUEST_NEW_END,
            FieldAssignmentProcess.VAR_REQUEST_REASON);

    private FieldInputs() {
    }

    /** Removes every {@link #OUTSIDE_INPUTS outside input} from the instance, but those named (a later step of this transaction reads them). */
    static void dropOutsideInputs(DelegateExecution execution, String... keep) {
        Set<String> kept = Set.of(keep);
        for (String name : OUTSIDE_INPUTS) {
            // a name may sit in several scopes: each removal takes the nearest
            for (int scope = 0; scope < 10 && !kept.contains(name) && execution.hasVariable(name); scope++) {
                execution.removeVariable(name);
            }
        }
    }

    static Long chosenApplication(Object raw) {
        if (raw instanceof Number number) {
            return number.longValue();
        }
        if (raw instanceof String text && text.strip().matches("#?[0-9]{1,18}")) {
            return Long.parseLong(text.strip().replace("#", ""));
        }
        return null;
    }

    static Object blankToNull(Object value) {
        return value instanceof String s && s.isBlank() ? null : value;
    }

    static String oneOf(FieldErrors errors, String field, Object value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            errors.add(field, "oneOf", "must be " + String.join(" or ", List.of(allowed).stream().map(a -> "\"" + a + "\"").toList())
                    + ", not " + (value == null ? "missing" : "\"" + value + "\""));
            return null;
        }
        return (String) value;
    }

    /** A date-time with offset (String, e.g. 2026-03-05T08:00:00+01:00) or a Date. */
    static OffsetDateTime dateTime(FieldErrors errors, String field, Object value, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(field, "required", "is required, a date-time with offset such as 2026-03-05T08:00:00+01:00");
            }
            return null;
        }
        if (value instanceof Date date) {
            return OffsetDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
        }
        if (!(value instanceof String text)) {
            errors.add(field, "type", "must be a date-time string such as 2026-03-05T08:00:00+01:00, not " + value.getClass().getSimpleName());
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip());
        } catch (DateTimeParseException e) {
            errors.add(field, "format", "must be a date-time with offset such as 2026-03-05T08:00:00+01:00");
            return null;
        }
    }

    /**
     * What a Camunda Form's date-and-time field sends (form-js {@code datetime}, subtype datetime):
     * the date, the time to the minute and the offset of the zone it was picked in,
     * {@code 2026-12-09T15:45+05:30} ({@code timeSerializingFormat} utc_offset), or the same instant
     * in UTC, {@code 2026-12-09T10:15Z} (utc_normalized). Seconds and their fraction may follow the
     * minutes (ISO 8601, as the domain API passes its own date-times on). Anything else is refused
     * naming the field: a date-time without offset (no_timezone, which would be read in the
     * server's zone, not the person's), a date or a time alone, or a value that is not a string.
     */
    static final java.util.regex.Pattern FORM_DATE_TIME =
            java.util.regex.Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}:[0-9]{2})");

    static OffsetDateTime formDateTime(FieldErrors errors, String field, Object value) {
        String example = "a date and time with the offset of its zone, as the form's date-and-time field sends it:"
                + " 2026-12-09T15:45+05:30 or 2026-12-09T10:15Z";
        if (value == null || value instanceof String blank && blank.isBlank()) {
            errors.add(field, "required", "is required, " + example);
            return null;
        }
        if (!(value instanceof String text)) {
            errors.add(field, "type", "must be " + example + ", not a " + value.getClass().getSimpleName());
            return null;
        }
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        if (!FORM_DATE_TIME.matcher(text).matches()) {
            errors.add(field, "format", "must be " + example + ", not \"" + shown + "\"");
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            errors.add(field, "format", "must be " + example + "; \"" + shown + "\" is no date and time of the calendar");
            return null;
        }
    }

    static void schedule(FieldErrors errors, String startField, String endField, OffsetDateTime start, OffsetDateTime end,
            OffsetDateTime now) {
        if (start != null && !start.isAfter(now)) {
            errors.add(startField, "future", "must be in the future");
        } else if (start != null && start.isAfter(now.plusYears(10))) {
            errors.add(startField, "range", "must be at most ten years ahead");
        }
        if (start != null && end != null && !end.isAfter(start)) {
            errors.add(endField, "after", "must be after " + startField);
        }
    }

    static List<String> names(FieldErrors errors, String field, Object raw) {
        String text = errors.optionalText(field, raw, 4000);
        if (text == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.strip();
            if (name.isEmpty() || name.length() > 200 || name.contains(":")) {
                errors.add(field, "format", "must be names separated by commas, each 1 to 200 characters without ':'");
                return List.of();
            }
            if (names.contains(name)) {
                errors.add(field, "unique", "\"" + name + "\" is listed twice");
            }
            names.add(name);
        }
        if (names.size() > 50) {
            errors.add(field, "size", "must list at most 50 names");
        }
        return names;
    }

    /** Lines "name: value"; blank lines are skipped. */
    static Map<String, String> lines(FieldErrors errors, String field, Object raw) {
        String text = errors.optionalText(field, raw, 20000);
        Map<String, String> values = new LinkedHashMap<>();
        if (text == null) {
            return values;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(colon + 1).isBlank()) {
                errors.add(field, "format", "each line must be \"name: value\", not \"" + (line.length() > 40 ? line.substring(0, 40) : line) + "\"");
                continue;
            }
            String value = line.substring(colon + 1).strip();
            if (value.length() > 2000) {
                errors.add(field, "length", "a value must be at most 2000 characters");
                continue;
            }
            values.put(line.substring(0, colon).strip(), value);
        }
        return values;
    }

    static String duration(FieldErrors errors, String field, Object raw, String fallback) {
        String text = errors.optionalText(field, raw, 40);
        if (text == null) {
            return fallback;
        }
        try {
            if (Duration.parse(text).isNegative()) {
                errors.add(field, "positive", "must not be negative");
            }
        } catch (DateTimeParseException e) {
            errors.add(field, "format", "must be an ISO-8601 duration such as PT24H, not \"" + text + "\"");
        }
        return text;
    }
}
