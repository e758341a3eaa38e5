package io.gigflow.shared;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * On H2, the statements a connection keeps are planned again once the tables have outgrown their plans.
 *
 * <p>H2 plans a statement when a connection first prepares it and keeps the plan with the statement in
 * the connection's cache (256 statements: {@code QUERY_CACHE_SIZE} in application.yaml) for as long as the
 * pool keeps the connection (30 minutes). It plans a cached statement again after a change of the schema
 * and after statistics of its tables are taken; it takes them by itself only after thousands of changed
 * rows, and that did not reach the plans cached before: in DeadlineDrainBenchmark the connections that had
 * planned the engine's look-up of an execution's variables ({@code EXECUTION_ID_ = ? and TASK_ID_ is null},
 * for every job and every completion) during the warm-up, on nearly empty tables, still walked the task
 * index's {@code TASK_ID_ IS NULL}, every variable of every instance, after 10,000 orders had been placed:
 * 39 % of the job executor's CPU samples in the drain, 2 % once the schema had changed (docs/benchmarks.md).
 *
 * <p>So every {@code gigflow.h2.replan-interval} (10 s) this reads H2's row count of every table. Once
 * a table holds twice as many rows as it ever did since start-up, past 1,024, its statistics are
 * taken ({@code ANALYZE TABLE}) and the schema is changed (a sequence created and dropped), so that every
 * connection plans each cached statement again at its next run, with those statistics: a few times in a
 * table's life (at 1,024 rows, 2,048, 4,096, ...), never for a table that shrinks or churns at one size.
 * On any other database it does nothing: PostgreSQL plans with statistics of its own.
 */
@Component
public class H2Replanning {

    private static final Logger log = LoggerFactory.getLogger(H2Replanning.class);

    /** Created and dropped at once: a change of the schema, which H2 answers by planning cached statements again. */
    static final String EPOCH = "GIGFLOW_REPLAN_EPOCH";

    /** A table is watched from this size on; below it any plan reads few rows. */
    static final long SMALLEST = 1024;

    private final DataSource dataSource;
    private final boolean h2;
    /** Per table, the largest size class seen since start-up ({@link #sizeClass}). */
    private final Map<String, Integer> largest = new HashMap<>();

    public H2Replanning(DataSource dataSource) {
        this.dataSource = dataSource;
        try (Connection connection = dataSource.getConnection()) {
            this.h2 = "H2".equals(connection.getMetaData().getDatabaseProductName());
            if (h2) {
                // the sizes the first plans are made at; a table created later starts at 0
                rows(connection).forEach((table, rows) -> largest.put(table, sizeClass(rows)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot tell which database gigflow runs on", e);
        }
    }

    @Scheduled(fixedDelayString = "${gigflow.h2.replan-interval:PT10S}", initialDelayString = "${gigflow.h2.replan-interval:PT10S}")
    void replanWhenGrown() {
        try {
            List<String> grown = replanGrownTables();
            if (!grown.isEmpty()) {
                log.debug("H2 statements planned again: {} outgrew their plans", grown);
            }
        } catch (SQLException e) {
            log.warn("Could not check whether H2's plans still fit the tables' sizes; next try in an interval", e);
        }
    }

    /**
     * Analyses the tables that doubled in size since they were last seen (past {@link #SMALLEST} rows) and, if any did,
     * makes every connection plan its cached statements again.
     *
     * @return the tables that grew, by name (none: nothing was done)
     */
    public synchronized List<String> replanGrownTables() throws SQLException {
        if (!h2) {
            return List.of();
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                List<String> grown = new ArrayList<>();
                for (Map.Entry<String, Long> table : rows(connection).entrySet()) {
                    int size = sizeClass(table.getValue());
                    if (size > largest.getOrDefault(table.getKey(), 0)) {
                        largest.put(table.getKey(), size);
                        grown.add(table.getKey());
                    }
                }
                if (!grown.isEmpty()) {
                    for (String table : grown) {
                        statement.execute("analyze table " + quoted(table));
                    }
                    statement.execute("create sequence if not exists " + EPOCH);
                    statement.execute("drop sequence " + EPOCH);
                }
                return grown;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    /** 0 below {@link #SMALLEST} rows, then one more for each doubling: 1 from 1,024 rows, 2 from 2,048, ... */
    static int sizeClass(long rows) {
        return rows < SMALLEST ? 0 : Long.numberOfTrailingZeros(Long.highestOneBit(rows)) - Long.numberOfTrailingZeros(SMALLEST) + 1;
    }

    private static Map<String, Long> rows(Connection connection) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet tables = statement.executeQuery(
                "select TABLE_NAME, ROW_COUNT_ESTIMATE from INFORMATION_SCHEMA.TABLES"
                        + " where TABLE_SCHEMA = current_schema and TABLE_TYPE = 'BASE TABLE'")) {
            while (tables.next()) {
                rows.put(tables.getString(1), tables.getLong(2));
            }
        }
        return rows;
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
