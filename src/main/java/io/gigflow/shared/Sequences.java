package io.gigflow.shared;

import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

/**
 * The next number of a database sequence (references such as T-1001 and O-5001), in the
 * dialect of the database in use: H2 and PostgreSQL spell it differently.
 */
@Component
public class Sequences {

    private final JdbcClient jdbc;
    private final boolean postgres;

    public Sequences(JdbcClient jdbc, DataSource dataSource) throws MetaDataAccessException {
        this.jdbc = jdbc;
        this.postgres = JdbcUtils.extractDatabaseMetaData(dataSource, m -> m.getDatabaseProductName()).toLowerCase().contains("postgres");
    }

    public long next(String sequence) {
        if (!sequence.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a sequence name: " + sequence);
        }
        return jdbc.sql(postgres ? "select nextval('" + sequence + "')" : "select next value for " + sequence)
                .query(Long.class).single();
    }
}
