package io.gigflow.benchmark;

import java.util.Locale;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * H2's own statistics of the statements a benchmark's run executed
 * ({@code -Dbenchmark.queryStatistics=N}): the N that took longest in total, as H2 times them
 * (inside the database: parsing, reading, writing and waiting for row locks; not the JDBC driver,
 * the engine or the commit around them). Nothing is collected on PostgreSQL or without the property.
 * Shows which statements cost more than their number says: a scan where an index was meant, or a
 * row lock that many transactions queue on. The last column is H2's average row count of a run: the
 * rows a query returned or a statement wrote, not the rows it read.
 *
 * <p>Switching them on is a change of H2's settings, after which every connection plans its statements
 * again: a run with statistics starts with plans made for the tables as they are, as the application's
 * own {@code H2Replanning} arranges once a table has doubled; runs before it did got that from the
 * statistics alone (docs/benchmarks.md, "Plans that outlived the tables they were made for").
 */
record H2QueryStatistics(JdbcClient jdbc, int top) {

    /** Empties and starts H2's statistics where the property asks for them and the database is H2. */
    static H2QueryStatistics start(ConfigurableApplicationContext context, boolean measured) {
        int top = measured ? Integer.getInteger("benchmark.queryStatistics", 0) : 0;
        JdbcClient jdbc = context.getBean(JdbcClient.class);
        String url = context.getEnvironment().getProperty("spring.datasource.url", "");
        if (top <= 0 || !url.startsWith("jdbc:h2:")) {
            return new H2QueryStatistics(jdbc, 0);
        }
        // switching the statistics off and on again empties them
        jdbc.sql("set query_statistics false").update();
        jdbc.sql("set query_statistics_max_entries 5000").update();
        jdbc.sql("set query_statistics true").update();
        return new H2QueryStatistics(jdbc, top);
    }

    /** Prints the statements that took longest, with their runs per {@code unit} ("an order", "a lifecycle"), and stops the statistics. */
    void print(String run, int count, String unit) {
        if (top <= 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "-- %s: the %d statements that took H2 longest (ms in total, runs %s, rows a run)%n",
                run, top, unit);
        jdbc.sql("""
                select sql_statement, execution_count, cumulative_execution_time, average_row_count
                from information_schema.query_statistics
                order by cumulative_execution_time desc fetch first :top rows only""")
                .param("top", top)
                .query((rs, n) -> String.format(Locale.ROOT, "%9.0f ms %6.2f %9.1f  %s", rs.getDouble(3), rs.getDouble(2) / count,
                        rs.getDouble(4), rs.getString(1).replaceAll("\\s+", " ")))
                .list().forEach(System.out::println);
        jdbc.sql("set query_statistics false").update();
    }
}
