package io.gigflow.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A fresh PostgreSQL database for one test class, on the local server at
 * {@value #HOST}:{@value #PORT} as user {@value #USER} (trust authentication), dropped when
 * the class is done.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final PostgresDatabase POSTGRES = new PostgresDatabase();
 *
 * &#64;DynamicPropertySource
 * static void database(DynamicPropertyRegistry registry) {
 *     POSTGRES.registerDataSource(registry);
 * }
 * </pre>
 *
 * <p>Without a reachable server the class is skipped, so a developer without PostgreSQL can
 * still build; CI sets {@code -Dgigflow.requirePostgres=true}, which turns the skip into a
 * failure so these tests cannot go missing unnoticed.
 *
 * <p>The database is dropped when JUnit closes the class's extension context, after every
 * {@code afterAll} callback, so a Spring context closed by {@code @DirtiesContext} has let go
 * of its connections first ({@code WITH (FORCE)} ends any that are left).
 */
public final class PostgresDatabase implements ExecutionCondition, BeforeAllCallback {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5432;
    public static final String USER = "postgres";
    public static final String REQUIRE_PROPERTY = "gigflow.requirePostgres";

    private static final Namespace NAMESPACE = Namespace.create(PostgresDatabase.class);

    private volatile String name;

    /**
     * Skips the class when the server cannot be reached (a disabled class shows up as skipped
     * with this reason, unlike an abort in beforeAll); when PostgreSQL is required the class
     * runs and {@link #beforeAll} fails with the same reason.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent() || Boolean.getBoolean(REQUIRE_PROPERTY)) {
            return ConditionEvaluationResult.enabled(null);
        }
        try (Connection probe = connect("postgres")) {
            return ConditionEvaluationResult.enabled("PostgreSQL at " + HOST + ":" + PORT + " is reachable");
        } catch (SQLException e) {
            String reason = unavailable(context, e) + " (skipped; run with -D" + REQUIRE_PROPERTY + "=true to fail instead)";
            System.err.println("WARNING: " + reason);
            return ConditionEvaluationResult.disabled(reason);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        if (name != null) {
            throw new IllegalStateException("PostgresDatabase serves one test class; register it as a static field");
        }
        String candidate = "gigflow_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("create database " + candidate);
        } catch (SQLException e) {
            String required = Boolean.getBoolean(REQUIRE_PROPERTY) ? " (" + REQUIRE_PROPERTY + "=true: PostgreSQL tests are mandatory)" : "";
            throw new IllegalStateException(unavailable(context, e) + required, e);
        }
        name = candidate;
        context.getStore(NAMESPACE).put("database", (ExtensionContext.Store.CloseableResource) this::drop);
    }

    private static String unavailable(ExtensionContext context, SQLException e) {
        return "PostgreSQL at " + HOST + ":" + PORT + " (user " + USER + ", trust authentication) is needed for "
                + context.getDisplayName() + " and could not be used: " + e.getMessage();
    }

    /** The database's name, e.g. {@code gigflow_test_3f2a9c0d1e4b5a67}. */
    public String name() {
        if (name == null) {
            throw new IllegalStateException("no database yet: PostgresDatabase creates it before all tests of the class");
        }
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name();
    }

    public String username() {
        return USER;
    }

    public String password() {
        return "";
    }

    /** Points Spring's DataSource at this database (values are read when the context starts). */
    public void registerDataSource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", this::jdbcUrl);
        registry.add("spring.datasource.username", this::username);
        registry.add("spring.datasource.password", this::password);
    }

    private void drop() throws SQLException {
        String dropped = name;
        name = null;
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + dropped + " with (force)");
        }
    }

    private static Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "60");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, properties);
    }
}
