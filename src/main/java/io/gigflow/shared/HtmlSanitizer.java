package io.gigflow.shared;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Descriptions accept a small HTML subset: strong, em, a href (http, https, mailto), ul, li.
 * Everything else is removed on input, so no script ever comes back out.
 */
public final class HtmlSanitizer {

    private static final Safelist ALLOWED = Safelist.none()
            .addTags("strong", "em", "a", "ul", "li")
            .addAttributes("a", "href")
            .addProtocols("a", "href", "http", "https", "mailto")
            .addEnforcedAttribute("a", "rel", "nofollow noopener");

    private static final Document.OutputSettings OUTPUT = new Document.OutputSettings().prettyPrint(false);

    private HtmlSanitizer() {
    }

    /** The text of a sanitized description, for places that show plain text (a form field). */
    public static String text(String html) {
        if (html == null) {
            return null;
        }
        return Jsoup.parse(html).text();
    }

    public static String sanitize(String html) {
        if (html == null) {
            return null;
        }
        return Jsoup.clean(html, "", ALLOWED, OUTPUT).strip();
    }
}
