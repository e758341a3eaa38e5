package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlSanitizerTest {

    @Test
    void keepsTheAllowedSubset() {
        String html = "<strong>Bold</strong> <em>it</em> <a href=\"https://example.com\">link</a><ul><li>one</li></ul>";
        assertThat(HtmlSanitizer.sanitize(html))
                .isEqualTo("<strong>Bold</strong> <em>it</em> <a href=\"https://example.com\" rel=\"nofollow noopener\">link</a><ul><li>one</li></ul>");
    }

    @Test
    void givesPlainTextForForms() {
        assertThat(HtmlSanitizer.text("Three <em>vector</em> files<ul><li>one</li></ul>")).isEqualTo("Three vector files one");
        assertThat(HtmlSanitizer.text(null)).isNull();
    }

    @Test
    void neverLetsAScriptComeBackOut() {
        String html = "<script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\" onclick=\"x()\">x</a>"
                + "<p style=\"color:red\">para</p><iframe src=\"https://evil\"></iframe>";
        String clean = HtmlSanitizer.sanitize(html);
        assertThat(clean).doesNotContainIgnoringCase("script").doesNotContain("onerror").doesNotContain("onclick")
                .doesNotContain("javascript").doesNotContain("iframe").doesNotContain("<p").doesNotContain("<img");
        assertThat(clean).contains("para").contains("<a rel=\"nofollow noopener\">x</a>");
    }
}
