package io.gigflow.document;

import java.util.List;
import java.util.Objects;

/**
 * A report to print as a PDF table, such as an account statement: a title, lines of text above
 * the table, the table (each row one cell per column; long cells wrap) and lines below it.
 * Rendered on demand by {@link Reports}, not stored: a report can be made again from the data
 * it shows, unlike a closing document.
 *
 * @param footer lines printed after the table
 */
public record TableReport(String title, List<String> lines, List<Column> columns, List<List<String>> rows,
        List<String> footer) {

    /**
     * One column: its heading, its share of the page's width (relative to the other columns'),
     * and whether its cells are right-aligned (amounts).
     */
    public record Column(String heading, float width, boolean alignRight) {

        public Column {
            Objects.requireNonNull(heading, "heading");
            if (!(width > 0)) {
                throw new IllegalArgumentException("a column's width is positive, not " + width);
            }
        }
    }

    public TableReport {
        if (title == null || title.isBlank()) {
            throw new IllegalArgumentException("a report has a title");
        }
        lines = lines == null ? List.of() : List.copyOf(lines);
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table has at least one column");
        }
        rows = rows == null ? List.of() : rows.stream().map(row -> row.stream().map(cell -> cell == null ? "" : cell).toList()).toList();
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row has " + row.size() + " cells for " + columns.size() + " columns");
            }
        }
        footer = footer == null ? List.of() : List.copyOf(footer);
    }
}
