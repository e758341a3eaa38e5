package io.gigflow.document;

import org.springframework.stereotype.Service;

/** PDFs made on demand from a {@link TableReport}, in the same font and page size as the closing documents; nothing is stored. */
@Service
public class Reports {

    private final TableRenderer renderer = new TableRenderer();

    public byte[] pdf(TableReport report) {
        return renderer.render(report);
    }
}
