package io.gigflow.notification;

import io.gigflow.shared.Money;
import io.gigflow.shared.Readable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.stereotype.Component;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Writes a {@link Notice} for one recipient with Thymeleaf: {@code notifications/<name>.txt} gives
 * the subject (its first line) and the plain-text body, {@code notifications/<name>.html} the HTML
 * body inside {@code notifications/layout.html}. Every value is made readable first, in the
 * recipient's time zone, so no template can show an ISO duration, an ISO timestamp or a bare
 * code; the HTML template escapes what it shows ({@code th:text}), the text template does not
 * need to.
 */
@Component
class NoticeTemplates {

    /** A notice as written for one recipient. */
    record Rendered(String subject, String text, String html) {
    }

    private final TemplateEngine engine = new TemplateEngine();
    private final Properties labels = new Properties();

    NoticeTemplates() {
        engine.addTemplateResolver(resolver(TemplateMode.TEXT, "*.txt", 1));
        engine.addTemplateResolver(resolver(TemplateMode.HTML, "*.html", 2));
        try (InputStream in = NoticeTemplates.class.getClassLoader().getResourceAsStream("notifications/labels.properties")) {
            if (in != null) {
                labels.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read notifications/labels.properties", e);
        }
    }

    private static ClassLoaderTemplateResolver resolver(TemplateMode mode, String pattern, int order) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("notifications/");
        resolver.setTemplateMode(mode);
        resolver.setResolvablePatterns(java.util.Set.of(pattern));
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCheckExistence(true);
        resolver.setCacheable(true);
        resolver.setOrder(order);
        return resolver;
    }

    /**
     * The notice's subject, text and HTML for {@code recipient} (their name, as the email greets
     * them) in {@code zone}; {@code link} is the address the notice points to, null for none,
     * {@code linkIsTask} whether it opens a task in Tasklist.
     */
    private static final java.util.regex.Pattern LINE_BREAKS = java.util.regex.Pattern.compile("[\\r\\n\\u0085\\u2028\\u2029]+");

    Rendered render(Notice notice, String recipient, ZoneId zone, String link, boolean linkIsTask) {
        Map<String, Object> values = new HashMap<>();
        notice.model().forEach((key, value) -> values.put(key, readable(value, zone)));
        // the subject is the text's first line: a party's title written over two lines must not
        // push its second line out of the subject and into the body, so line breaks become spaces
        values.replaceAll((key, value) -> value instanceof String text ? LINE_BREAKS.matcher(text).replaceAll(" ") : value);
        values.put("recipient", recipient);
        values.put("link", link);
        values.put("linkText", linkIsTask ? "Open the task in Tasklist" : "See it in gigflow");
        Context context = new Context(java.util.Locale.ENGLISH, values);

        String written = engine.process(notice.name() + ".txt", context).strip();
        int endOfSubject = written.indexOf('\n');
        if (endOfSubject < 0) {
            throw new IllegalStateException("notifications/" + notice.name() + ".txt has a subject line and no body");
        }
        String subject = written.substring(0, endOfSubject).strip();
        String text = written.substring(endOfSubject + 1).strip();
        if (link != null) {
            text = text + "\n\n" + values.get("linkText") + ": " + link;
        }
        context.setVariable("subject", subject);
        String html = engine.process(notice.name() + ".html", context).strip();
        return new Rendered(subject, text, html);
    }

    /**
     * A value as a person reads it: money with its currency, instants in {@code zone}, durations in
     * words, codes as labels; a yes-or-no stays one, for the templates' conditions.
     */
    Object readable(Object value, ZoneId zone) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Money money) {
            return Readable.money(money);
        }
        if (value instanceof Instant instant) {
            return Readable.dateTime(instant, zone);
        }
        if (value instanceof OffsetDateTime time) {
            return Readable.dateTime(time.toInstant(), zone);
        }
        if (value instanceof ZonedDateTime time) {
            return Readable.dateTime(time.toInstant(), zone);
        }
        if (value instanceof Date date) {
            return Readable.dateTime(date.toInstant(), zone);
        }
        if (value instanceof LocalDate date) {
            return Readable.date(date);
        }
        if (value instanceof Duration duration) {
            return Readable.duration(duration);
        }
        if (value instanceof Notice.Label label) {
            return label(label.kind(), label.code());
        }
        if (value instanceof Enum<?> code) {
            return Readable.code(code.name());
        }
        return value.toString();
    }

    /** {@code kind.CODE} from {@code notifications/labels.properties}, else the code as a phrase. */
    String label(String kind, String code) {
        return labels.getProperty(kind + "." + code, Readable.code(code));
    }
}
