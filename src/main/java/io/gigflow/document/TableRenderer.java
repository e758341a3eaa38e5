package io.gigflow.document;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Lays a {@link TableReport} out on landscape A4 pages: the title and lines, then the table with
 * its heading repeated on every page, cells wrapped within their column, then the footer. The
 * font is the closing documents' ({@link PdfRenderer#FONT}); characters it lacks print as {@code ?}.
 */
class TableRenderer {

    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 40;
    private static final float TITLE_SIZE = 16;
    private static final float TEXT_SIZE = 10;
    private static final float CELL_SIZE = 8.5f;
    private static final float LEADING = 1.35f;
    private static final float PADDING = 3;
    private static final Color HEADING_FILL = new Color(0xE6, 0xE9, 0xEE);
    private static final Color RULE = new Color(0xB0, 0xB6, 0xBF);

    byte[] render(TableReport report) {
        try (PDDocument document = new PDDocument()) {
            PDType0Font font = PDType0Font.load(document, PdfRenderer.FONT.get(), true);
            try (Layout layout = new Layout(document, font, report)) {
                layout.text(report.title(), TITLE_SIZE);
                for (String line : report.lines()) {
                    layout.text(line, TEXT_SIZE);
                }
                layout.gap();
                layout.heading();
                for (List<String> row : report.rows()) {
                    layout.row(row);
                }
                layout.gap();
                for (String line : report.footer()) {
                    layout.text(line, TEXT_SIZE - 1);
                }
            }
            document.getDocumentInformation().setTitle(report.title());
            document.getDocumentInformation().setCreator("gigflow");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            document.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not render the report " + report.title(), e);
        }
    }

    private static final class Layout implements AutoCloseable {

        private final PDDocument document;
        private final PDType0Font font;
        private final PdfRenderer.GlyphWidths glyphs;
        private final TableReport report;
        private final Map<Integer, Boolean> drawable = new HashMap<>();
        private final float[] widths;
        private PDPageContentStream content;
        private float y;

        Layout(PDDocument document, PDType0Font font, TableReport report) throws IOException {
            this.document = document;
            this.font = font;
            this.glyphs = new PdfRenderer.GlyphWidths(font);
            this.report = report;
            float total = (float) report.columns().stream().mapToDouble(TableReport.Column::width).sum();
            float usable = PAGE.getWidth() - 2 * MARGIN;
            widths = new float[report.columns().size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = usable * report.columns().get(i).width() / total;
            }
            newPage();
        }

        void text(String text, float size) throws IOException {
            for (String line : wrap(clean(text), size, PAGE.getWidth() - 2 * MARGIN)) {
                float height = size * LEADING;
                if (y - height < MARGIN) {
                    newPage();
                }
                y -= height;
                show(line, MARGIN, y + size * 0.25f, size);
            }
        }

        void gap() {
            y -= TEXT_SIZE * LEADING / 2;
        }

        void heading() throws IOException {
            List<String> headings = report.columns().stream().map(TableReport.Column::heading).toList();
            cells(headings, true);
        }

        void row(List<String> row) throws IOException {
            cells(row, false);
        }

        private void cells(List<String> row, boolean heading) throws IOException {
            List<List<String>> wrapped = new ArrayList<>();
            int lines = 1;
            for (int i = 0; i < row.size(); i++) {
                List<String> cell = wrap(clean(row.get(i)), CELL_SIZE, widths[i] - 2 * PADDING);
                wrapped.add(cell);
                lines = Math.max(lines, cell.size());
            }
            float height = lines * CELL_SIZE * LEADING + 2 * PADDING;
            if (y - height < MARGIN) {
                newPage();
                if (!heading) {
                    heading();
                }
            }
            if (heading) {
                content.setNonStrokingColor(HEADING_FILL);
                content.addRect(MARGIN, y - height, PAGE.getWidth() - 2 * MARGIN, height);
                content.fill();
                content.setNonStrokingColor(Color.BLACK);
            }
            float x = MARGIN;
            for (int i = 0; i < row.size(); i++) {
                boolean right = report.columns().get(i).alignRight();
                float lineY = y - PADDING;
                for (String line : wrapped.get(i)) {
                    lineY -= CELL_SIZE * LEADING;
                    float textX = right ? x + widths[i] - PADDING - width(line, CELL_SIZE) : x + PADDING;
                    show(line, textX, lineY + CELL_SIZE * 0.3f, CELL_SIZE);
                }
                x += widths[i];
            }
            y -= height;
            content.setStrokingColor(RULE);
            content.setLineWidth(0.5f);
            content.moveTo(MARGIN, y);
            content.lineTo(PAGE.getWidth() - MARGIN, y);
            content.stroke();
        }

        private void show(String text, float x, float baseline, float size) throws IOException {
            if (text.isEmpty()) {
                return;
            }
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(x, baseline);
            content.showText(text);
            content.endText();
        }

        private String clean(String text) {
            return PdfRenderer.sanitize(text, font, drawable).strip();
        }

        private List<String> wrap(String text, float size, float maxWidth) throws IOException {
            return PdfRenderer.wrap(glyphs, text, size, maxWidth);
        }

        private float width(String text, float size) throws IOException {
            return glyphs.of(text, size);
        }

        private void newPage() throws IOException {
            if (content != null) {
                content.close();
            }
            PDPage page = new PDPage(PAGE);
            document.addPage(page);
            content = new PDPageContentStream(document, page);
            y = PAGE.getHeight() - MARGIN;
        }

        @Override
        public void close() throws IOException {
            content.close();
        }
    }
}
