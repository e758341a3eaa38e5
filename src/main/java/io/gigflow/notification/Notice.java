package io.gigflow.notification;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a notification says, before it is written: the name of its templates (for instance
 * {@code order/placed}: {@code notifications/order/placed.txt} and {@code .html}), the values they
 * show, and what the notification links to. Values keep their types (money, instants, durations,
 * codes) until {@link NotificationService} renders them for one recipient: an instant in the
 * recipient's time zone, a duration in words, a code as its label, money with its currency.
 *
 * <p>Callers take every value from the domain row, never from a process variable: a notice is
 * shown to a person who may be another party of the step.
 */
public final class Notice {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*(/[a-z][a-z0-9-]*)*");
    private static final Pattern API_PATH = Pattern.compile("/api/[A-Za-z0-9._~:/-]*");

    /** A code shown as its label ({@code notifications/labels.properties}: {@code kind.CODE}). */
    record Label(String kind, String code) {
    }

    private final String name;
    private final Map<String, Object> model = new LinkedHashMap<>();
    private String apiPath;
    private String processInstanceId;

    private Notice(String name) {
        this.name = name;
    }

    /** A notice written from the templates {@code notifications/<name>.txt} and {@code notifications/<name>.html}. */
    public static Notice of(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("notice name must be lower-case words and slashes, not " + name);
        }
        return new Notice(name);
    }

    /**
     * A value the templates show as {@code ${key}}: text, a number, {@link io.gigflow.shared.Money}, an
     * {@link java.time.Instant} or {@link java.time.OffsetDateTime} (shown in the recipient's zone),
     * a {@link java.time.LocalDate} or a {@link java.time.Duration}. Null leaves it out.
     */
    public Notice with(String key, Object value) {
        model.put(Objects.requireNonNull(key, "key"), value);
        return this;
    }

    /**
     * A code shown as its label, {@code kind.CODE} in {@code notifications/labels.properties}
     * ({@code hold-reason.SITE_NOT_READY}: "the site is not ready"); a code without a label is shown
     * as a phrase. Null leaves it out.
     */
    public Notice label(String key, String kind, String code) {
        model.put(Objects.requireNonNull(key, "key"), code == null ? null : new Label(kind, code));
        return this;
    }

    /** The API object the notice is about ({@code /api/orders/O-7}), linked as {@code gigflow.public-url} + path. */
    public Notice link(String path) {
        if (path == null || !API_PATH.matcher(path).matches()) {
            throw new IllegalArgumentException("link must be an /api/ path, not " + path);
        }
        this.apiPath = path;
        return this;
    }

    /**
     * Links the recipient's open task of this process instance in Tasklist, where they have one
     * (a reminder about a waiting step); otherwise the {@link #link API object}.
     */
    public Notice taskOf(String processInstanceId) {
        this.processInstanceId = processInstanceId;
        return this;
    }

    String name() {
        return name;
    }

    Map<String, Object> model() {
        return Collections.unmodifiableMap(model);
    }

    String apiPath() {
        return apiPath;
    }

    String processInstanceId() {
        return processInstanceId;
    }
}
