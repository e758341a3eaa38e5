package io.gigflow.shared;

/** The offset and limit of a list request: offset 0 or more, limit 1 to {@code max}. */
public final class Paging {

    private Paging() {
    }

    public static void check(int offset, int limit, int max) {
        FieldErrors errors = new FieldErrors();
        if (offset < 0) {
            errors.add("offset", "min", "must be 0 or more");
        }
        if (limit < 1 || limit > max) {
            errors.add("limit", "range", "must be between 1 and " + max);
        }
        errors.throwIfAny("Invalid query");
    }
}
