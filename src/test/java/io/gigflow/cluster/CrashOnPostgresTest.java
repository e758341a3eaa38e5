package io.gigflow.cluster;

import io.gigflow.support.PostgresDatabase;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@link CrashTest} on PostgreSQL: the application node (with the demo data, for the same parties and
 * acme's money) is killed while clients work and started again on the same database. Needs
 * PostgreSQL at 127.0.0.1:5432; skipped without it unless -Dgigflow.requirePostgres=true.
 */
class CrashOnPostgresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    private CrashRun run;

    @AfterEach
    void stopNodes() throws Exception {
        if (run != null) {
            run.stopNodes();
        }
    }

    @Test
    void aKillOfTheApplicationNodeLosesNothingAnsweredAndARetryWithTheSameKeyAnswersTheFirstAnswer() throws Exception {
        run = new CrashRun("postgres", List.of(
                "--spring.profiles.active=postgres",
                "--spring.datasource.url=" + POSTGRES.jdbcUrl(),
                "--spring.datasource.username=" + POSTGRES.username(),
                "--spring.datasource.password=" + POSTGRES.password(),
                // the demo data's parties (password "demo") on the production profile
                "--gigflow.demo.enabled=true",
                "--camunda.bpm.generic-properties.properties.enablePasswordPolicy=false",
                "--server.servlet.session.cookie.secure=false"),
                null,
                () -> JdbcClient.create(new DriverManagerDataSource(POSTGRES.jdbcUrl(), POSTGRES.username(), POSTGRES.password())));
        run.run();
    }
}
