package io.gigflow.notification;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.shared.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every notice the lifecycles name has both templates, and each is written whatever values its
 * step has (a notice that cannot be written would fail the business step that sends it).
 */
class NoticeTemplatesTest {

    private static final Pattern NOTICE_NAME = Pattern.compile("\"((?:payout|order|milestone|checklist|field|topup|withdrawal)/[a-z-]+)\"");
    private final NoticeTemplates templates = new NoticeTemplates();

    @Test
    void everyNoticeNamedInTheCodeHasATextAndAnHtmlTemplateAndIsWrittenWithOrWithoutItsValues() throws IOException {
        Set<String> named = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/io/gigflow"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith("Steps.java") || p.toString().endsWith("Notices.java")).toList()) {
                Matcher names = NOTICE_NAME.matcher(Files.readString(source));
                while (names.find()) {
                    named.add(names.group(1));
                }
            }
        }
        assertThat(named).hasSizeGreaterThan(50);
        for (String name : named) {
            assertThat(Path.of("src/main/resources/notifications/" + name + ".txt")).as(name).exists();
            assertThat(Path.of("src/main/resources/notifications/" + name + ".html")).as(name).exists();
            NoticeTemplates.Rendered bare = templates.render(Notice.of(name), "Alice", ZoneId.of("UTC"), null, false);
            assertThat(bare.subject()).as(name).isNotBlank().doesNotContain("\n");
            assertThat(bare.text()).as(name).isNotBlank();
            assertThat(bare.html()).as(name).startsWith("<!DOCTYPE html>").contains("Hello Alice,");
        }
    }

    @Test
    void valuesAreWrittenForTheRecipientAndEscapedInHtml() {
        Notice notice = Notice.of("field/on-hold").with("title", "Meter <b>").with("ref", "F-1").with("company", "Acme & Sons")
                .label("holdReason", "hold-reason", "SITE_NOT_READY").link("/api/field-assignments/F-1");
        NoticeTemplates.Rendered written = templates.render(notice, "Walt <w>", ZoneId.of("Europe/Berlin"),
                "http://localhost:8080/api/field-assignments/F-1", false);
        assertThat(written.subject()).isEqualTo("On hold: Meter <b>");
        assertThat(written.text()).contains("Acme & Sons put \"Meter <b>\" (F-1) on hold: the site is not ready.")
                .endsWith("See it in gigflow: http://localhost:8080/api/field-assignments/F-1");
        assertThat(written.html()).contains("Acme &amp; Sons", "Meter &lt;b&gt;", "Hello Walt &lt;w&gt;,", "the site is not ready")
                .doesNotContain("<b>", "SITE_NOT_READY");

        ZoneId berlin = ZoneId.of("Europe/Berlin");
        assertThat(templates.readable(OffsetDateTime.parse("2026-12-11T05:31:01.327Z"), berlin)).isEqualTo("Fri 11 Dec 2026, 06:31 CET");
        assertThat(templates.readable(Duration.parse("PT24H"), berlin)).isEqualTo("24 hours");
        assertThat(templates.readable(Money.of("1250", "EUR"), berlin)).isEqualTo("1,250.00 EUR");
        assertThat(templates.label("hold-reason", "PARTS_NOT_AVAILABLE")).isEqualTo("parts are not available");
        assertThat(templates.label("hold-reason", "SOMETHING_NEW")).isEqualTo("something new");
    }

    @Test
    void aTitleWrittenOverSeveralLinesStaysInTheSubject() {
        Notice notice = Notice.of("field/on-hold").with("title", "Meter\r\nBcc: someone@example.com\nthird").with("ref", "F-1")
                .with("company", "Acme").label("holdReason", "hold-reason", "SITE_NOT_READY");
        NoticeTemplates.Rendered written = templates.render(notice, "Walt", ZoneId.of("UTC"), null, false);
        assertThat(written.subject()).isEqualTo("On hold: Meter Bcc: someone@example.com third");
        assertThat(written.text()).startsWith("Acme put").doesNotContain("\r").contains("\"Meter Bcc: someone@example.com third\"");
    }
}
