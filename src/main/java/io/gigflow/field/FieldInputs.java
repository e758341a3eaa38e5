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

/** How the field-assignment steps read what a person typed: each rule names the field it refuses (400). */
final class FieldInputs {

    private FieldInputs() {
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
