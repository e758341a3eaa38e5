package io.gigflow.shared;

import java.util.ArrayList;
import java.util.List;

/** Collects every broken rule of one input, so that one answer names them all. */
public final class FieldErrors {

    public record FieldError(String field, String rule, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    private final List<FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String rule, String message) {
        errors.add(new FieldError(field, rule, message));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<FieldError> list() {
        return List.copyOf(errors);
    }

    /** Throws {@link InvalidInputException} when any rule was broken. */
    public void throwIfAny(String what) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(what, list());
        }
    }

    /** A required string of at most {@code max} characters, trimmed; null when missing or wrong. */
    public String requiredText(String field, Object value, int max) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            add(field, "required", "is required");
            return null;
        }
        return optionalText(field, value, max);
    }

    /**
     * An optional description in the allowed HTML subset: sanitized first, so that the length
     * checked is the length stored (escaping and the added link attributes make it longer).
     */
    public String optionalHtml(String field, Object value, int max) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            add(field, "type", "must be a string, not " + MoneyInput.typeName(value));
            return null;
        }
        String clean = HtmlSanitizer.sanitize(text);
        if (clean.length() > max) {
            add(field, "length", "must be at most " + max + " characters of allowed HTML (was " + clean.length() + ")");
            return null;
        }
        return clean.isEmpty() ? null : clean;
    }

    /** {@link #optionalHtml} for a description that must be there. */
    public String requiredHtml(String field, Object value, int max) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            add(field, "required", "is required");
            return null;
        }
        String clean = optionalHtml(field, value, max);
        if (clean == null && errors.stream().noneMatch(e -> e.field().equals(field))) {
            add(field, "required", "is empty once HTML outside <strong> <em> <a href> <ul> <li> is removed");
        }
        return clean;
    }

    /** An optional string of at most {@code max} characters, trimmed; null when absent or wrong. */
    public String optionalText(String field, Object value, int max) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            add(field, "type", "must be a string, not " + MoneyInput.typeName(value));
            return null;
        }
        String trimmed = text.strip();
        if (trimmed.length() > max) {
            add(field, "length", "must be at most " + max + " characters (was " + trimmed.length() + ")");
            return null;
        }
        return trimmed.isEmpty() ? null : trimmed;
    }
}
