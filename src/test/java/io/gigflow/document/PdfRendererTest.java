package io.gigflow.document;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.shared.Money;
import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

class PdfRendererTest {

    private static final OffsetDateTime ISSUED_AT = OffsetDateTime.of(2025, 3, 1, 10, 15, 0, 0, ZoneOffset.UTC);

    private final PdfRenderer renderer = new PdfRenderer();

    @Test
    void printsBothPartiesTheSubjectTheAmountAndTheNumber() throws IOException {
        // given
        DocumentRequest request = request("Alice Contractor", "Logo redesign", Money.of("120.50", "EUR"), List.of());

        // when
        byte[] pdf = renderer.render(request, "ACT-T-42", ISSUED_AT);

        // then
        assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
        String text = text(pdf);
        assertThat(text).contains("Acceptance certificate", "ACT-T-42", "Acme Ltd", "acme", "Alice Contractor", "alice",
                "Logo redesign", "120.50", "EUR", "task-payout:T-42", "2025-03-01");
    }

    @Test
    void isAnA4PageWithTheTitleAndCreatorInItsDocumentInformation() throws IOException {
        // given
        DocumentRequest request = request("Alice Contractor", "Logo redesign", Money.of("120.50", "EUR"), List.of());

        // when
        byte[] pdf = renderer.render(request, "ACT-T-42", ISSUED_AT);

        // then
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getPage(0).getMediaBox().getWidth()).isEqualTo(PDRectangle.A4.getWidth());
            assertThat(document.getPage(0).getMediaBox().getHeight()).isEqualTo(PDRectangle.A4.getHeight());
            assertThat(document.getDocumentInformation().getTitle()).isEqualTo("Acceptance certificate ACT-T-42");
            assertThat(document.getDocumentInformation().getCreator()).isEqualTo("gigflow");
        }
    }

    @Test
    void printsLargeAmountsGroupedAndAsThePlainDecimalString() throws IOException {
        // given
        DocumentRequest request = request("Alice Contractor", "Logo redesign", Money.of("1234.50", "EUR"), List.of());

        // when
        String text = text(renderer.render(request, "ACT-T-42", ISSUED_AT));

        // then
        assertThat(text).contains("1,234.50 EUR", "1234.50");
    }

    @Test
    void printsNamesWrittenInAnyEuropeanScript() throws IOException {
        // given
        DocumentRequest request = request("Łukasz Żółć", "Übersetzung für Zoë", Money.of("80.00", "PLN"), List.of());

        // when
        String text = text(renderer.render(request, "ACT-T-42", ISSUED_AT));

        // then
        assertThat(text).contains("Łukasz Żółć", "Übersetzung für Zoë", "80.00 PLN");
    }

    @Test
    void printsAQuestionMarkForACharacterTheFontCannotDrawInsteadOfFailing() throws IOException {
        // given a name in Chinese characters, which the embedded font has no glyphs for
        DocumentRequest request = request("Wang 王小明", "Translation 翻译", Money.of("5000", "JPY"), List.of());

        // when
        String text = text(renderer.render(request, "ACT-T-42", ISSUED_AT));

        // then
        assertThat(text).contains("Wang ???", "Translation ??", "5,000 JPY (5000)");
    }

    @Test
    void wrapsLongNotesWithinThePageAndKeepsEveryWord() throws IOException {
        // given
        String longNote = "The contractor accepted the task and the company paid the agreed amount from escrow; ".repeat(12)
                + "end-of-note";
        DocumentRequest request = request("Alice Contractor", "Logo redesign", Money.of("120.50", "EUR"),
                List.of(longNote, "Second note"));

        // when
        byte[] pdf = renderer.render(request, "ACT-T-42", ISSUED_AT);

        // then
        String text = text(pdf);
        assertThat(text.replaceAll("\\s+", " ")).contains(longNote.strip().replaceAll("\\s+", " "));
        assertThat(text).contains("Second note");
        assertThat(text.lines().mapToInt(String::length).max().orElseThrow()).isLessThan(120);
    }

    @Test
    void wrapsAtTheLastWordThatFitsByTheFontsOwnWidthsAndBreaksAWordWiderThanALine() throws IOException {
        try (PDDocument document = new PDDocument()) {
            org.apache.pdfbox.pdmodel.font.PDType0Font font = org.apache.pdfbox.pdmodel.font.PDType0Font.load(document,
                    PdfRenderer.FONT.get(), true);
            String text = "Ünïcode Ελληνικά кириллица and plain words, " .repeat(6) + "x".repeat(150) + " tail";
            float max = 200;

            List<String> lines = PdfRenderer.wrap(new PdfRenderer.GlyphWidths(font), text, 11, max);

            // the long word comes back whole once the line breaks inside it are taken out
            assertThat(String.join(" ", lines).replaceAll("x+( x+)*", "X"))
                    .isEqualTo(text.strip().replaceAll("x+", "X"));
            for (int i = 0; i < lines.size(); i++) {
                assertThat(font.getStringWidth(lines.get(i)) / 1000 * 11).as(lines.get(i)).isLessThanOrEqualTo(max);
                String next = i + 1 < lines.size() ? lines.get(i + 1).split(" ")[0] : null;
                if (next != null && !next.startsWith("x")) {
                    // the next line's first word would not have fitted on this one
                    assertThat(font.getStringWidth(lines.get(i) + " " + next) / 1000 * 11).isGreaterThan(max);
                }
            }
        }
    }

    @Test
    void startsANewPageWhenTheNotesDoNotFitOnOne() throws IOException {
        // given
        List<String> notes = IntStream.rangeClosed(1, 80).mapToObj(i -> "Note line " + i).toList();
        DocumentRequest request = request("Alice Contractor", "Logo redesign", Money.of("120.50", "EUR"), notes);

        // when
        byte[] pdf = renderer.render(request, "ACT-T-42", ISSUED_AT);

        // then
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isGreaterThan(1);
        }
        assertThat(text(pdf)).contains("Note line 1", "Note line 80");
    }

    private static DocumentRequest request(String partyName, String subject, Money amount, List<String> notes) {
        return new DocumentRequest("ACCEPTANCE_CERTIFICATE", "task-payout:T-42", "Acceptance certificate",
                "acme", "Acme Ltd", "alice", partyName, subject, amount, LocalDate.of(2025, 3, 1), notes);
    }

    private static String text(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
