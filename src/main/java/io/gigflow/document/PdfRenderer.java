package io.gigflow.document;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Lays a {@link DocumentRequest} out as an A4 PDF. The font is the Unicode TrueType font that
 * ships inside PDFBox, embedded as a subset, so the names of people from anywhere print as
 * they are written and the file opens the same everywhere; a character the font lacks prints
 * as {@code ?} rather than failing the step that issues the document.
 */
class PdfRenderer {

    static final String FONT_RESOURCE = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    private static final float MARGIN = 56;
    private static final float TITLE_SIZE = 18;
    private static final float BODY_SIZE = 11;
    private static final float LEADING = 1.45f;
    private static final char MISSING = '?';

    /** The font file's bytes, read from the classpath once. */
    private static final byte[] FONT_FILE = fontFile();

    /**
     * The parsed font, one per thread: parsing it for every document cost about half of the
     * rendering time, and a {@link TrueTypeFont} reads its tables lazily through one shared
     * buffer, so threads must not share it. A document only reads the font; the subset it
     * embeds is its own.
     *
     * <p>Glyph substitution (the font's GSUB rules) is off: PDFBox applied them to every line
     * through a regular-expression splitter built per line, half of the rendering time, and for
     * this font (Latin, Greek and Cyrillic, which need no shaping) they only join letter pairs
     * such as "fi" into ligatures. Without them each character is its own glyph, which also keeps
     * a document's text exactly what search and copy-and-paste find.
     */
    static final ThreadLocal<TrueTypeFont> FONT = ThreadLocal.withInitial(() -> {
        try {
            TrueTypeFont font = new TTFParser().parse(new RandomAccessReadBuffer(FONT_FILE));
            font.setEnableGsub(false);
            return font;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse the font " + FONT_RESOURCE, e);
        }
    });

    byte[] render(DocumentRequest request, String number, OffsetDateTime issuedAt) {
        try (PDDocument document = new PDDocument()) {
            PDType0Font font = PDType0Font.load(document, FONT.get(), true);
            try (Writer writer = new Writer(document, font)) {
                writer.line(request.title(), TITLE_SIZE);
                writer.line("No. " + number, BODY_SIZE + 2);
                writer.line("Date: " + request.date(), BODY_SIZE);
                writer.gap();
                writer.line("Company: " + request.companyName() + " (" + request.companyId() + ")", BODY_SIZE);
                writer.line("Contractor: " + request.partyName() + " (" + request.partyUserId() + ")", BODY_SIZE);
                writer.gap();
                writer.line("Subject: " + request.subject(), BODY_SIZE);
                writer.line("Amount: " + amount(request.amount().amount(), request.amount().currencyCode()), BODY_SIZE);
                writer.line("Reference: " + request.reference(), BODY_SIZE);
                if (!request.notes().isEmpty()) {
                    writer.gap();
                    for (String note : request.notes()) {
                        writer.line(note, BODY_SIZE);
                    }
                }
                writer.gap();
                writer.line("Issued by gigflow at " + issuedAt + ". This document is stored unchanged with its SHA-256.",
                        BODY_SIZE - 2);
            }
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle(request.title() + " " + number);
            info.setSubject(request.subject());
            info.setAuthor(request.companyName());
            info.setCreator("gigflow");
            info.setCreationDate(GregorianCalendar.from(issuedAt.toZonedDateTime()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render document " + number, e);
        }
    }

    private static byte[] fontFile() {
        try (InputStream ttf = PdfRenderer.class.getResourceAsStream(FONT_RESOURCE)) {
            if (ttf == null) {
                throw new IllegalStateException("font " + FONT_RESOURCE + " is missing from the classpath");
            }
            return ttf.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the font " + FONT_RESOURCE, e);
        }
    }

    /**
     * "1,234.50 EUR (1234.50)": grouped for people, and the plain decimal string that the
     * API and process variables use, so that a text search for it finds the document.
     */
    static String amount(BigDecimal amount, String currency) {
        DecimalFormat grouped = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        grouped.setMinimumFractionDigits(amount.scale());
        grouped.setMaximumFractionDigits(amount.scale());
        String plain = amount.toPlainString();
        String text = grouped.format(amount) + " " + currency;
        return text.startsWith(plain + " ") ? text : text + " (" + plain + ")";
    }

    /** Replaces what the font cannot draw with '?', and control characters with spaces. */
    static String sanitize(String text, PDType0Font font, Map<Integer, Boolean> drawable) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.isWhitespace(cp)) {
                out.append(' ');
            } else if (drawable.computeIfAbsent(cp, c -> canDraw(font, c))) {
                out.appendCodePoint(cp);
            } else {
                out.append(MISSING);
            }
        });
        return out.toString();
    }

    private static boolean canDraw(PDType0Font font, int codePoint) {
        try {
            font.encode(new String(Character.toChars(codePoint)));
            return true;
        } catch (IllegalArgumentException | IOException e) {
            return false;
        }
    }

    /**
     * The text broken into lines no wider than {@code maxWidth} at {@code size}: at spaces, and a
     * word wider than a line (a long reference or URL) where it has to be. Widths are added up
     * glyph by glyph as the line grows (a string's width is the sum of its glyphs' widths), not
     * measured again for every longer candidate.
     */
    static List<String> wrap(GlyphWidths widths, String text, float size, float maxWidth) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        float currentWidth = 0;
        float space = widths.of(" ", size);
        for (String word : text.split(" +")) {
            float wordWidth = widths.of(word, size);
            float candidate = current.isEmpty() ? wordWidth : currentWidth + space + wordWidth;
            if (candidate <= maxWidth) {
                if (!current.isEmpty()) {
                    current.append(' ');
                }
                current.append(word);
                currentWidth = candidate;
                continue;
            }
            if (!current.isEmpty()) {
                lines.add(current.toString());
                current.setLength(0);
                currentWidth = 0;
            }
            for (int cp : word.codePoints().toArray()) {
                float glyph = widths.of(cp, size);
                if (!current.isEmpty() && currentWidth + glyph > maxWidth) {
                    lines.add(current.toString());
                    current.setLength(0);
                    currentWidth = 0;
                }
                current.appendCodePoint(cp);
                currentWidth += glyph;
            }
        }
        if (!current.isEmpty() || lines.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    /** The widths of one font's glyphs by code point, each asked of the font once (PDFBox's look-up is slow). */
    static final class GlyphWidths {

        private final PDFont font;
        private final Map<Integer, Float> units = new HashMap<>();

        GlyphWidths(PDFont font) {
            this.font = font;
        }

        /** The width of {@code text} at {@code size}, in points. */
        float of(String text, float size) throws IOException {
            float total = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                total += units(cp);
                i += Character.charCount(cp);
            }
            return total / 1000 * size;
        }

        float of(int codePoint, float size) throws IOException {
            return units(codePoint) / 1000 * size;
        }

        private float units(int codePoint) throws IOException {
            Float known = units.get(codePoint);
            if (known == null) {
                known = font.getStringWidth(new String(Character.toChars(codePoint)));
                units.put(codePoint, known);
            }
            return known;
        }
    }

    /** Writes wrapped lines top to bottom, starting a new page when one is full. */
    private static final class Writer implements AutoCloseable {

        private final PDDocument document;
        private final PDType0Font font;
        private final Map<Integer, Boolean> drawable = new HashMap<>();
        private final GlyphWidths widths;
        private final float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
        private PDPageContentStream content;
        private float y;

        Writer(PDDocument document, PDType0Font font) throws IOException {
            this.document = document;
            this.font = font;
            this.widths = new GlyphWidths(font);
            newPage();
        }

        void line(String text, float size) throws IOException {
            for (String part : text.split("\\R", -1)) {
                for (String wrapped : wrap(sanitize(part, font, drawable).strip(), size)) {
                    float height = size * LEADING;
                    if (y - height < MARGIN) {
                        newPage();
                    }
                    y -= height;
                    content.beginText();
                    content.setFont(font, size);
                    content.newLineAtOffset(MARGIN, y);
                    content.showText(wrapped);
                    content.endText();
                }
            }
        }

        void gap() {
            y -= BODY_SIZE * LEADING / 2;
        }

        private List<String> wrap(String text, float size) throws IOException {
            return PdfRenderer.wrap(widths, text, size, width);
        }

        private void newPage() throws IOException {
            if (content != null) {
                content.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            content = new PDPageContentStream(document, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
