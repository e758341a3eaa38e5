package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.support.PostgresDatabase;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link TasklistFilterPlansTest} on PostgreSQL, which turns the engine's left join of the
 * identity links into an inner join where the criterion needs a link, and so starts a candidate
 * filter from the links' user and group indexes: every shipped filter reads only the person's
 * tasks there, the two filters of what is yours ("All my tasks", "Checklist tasks") too, since they
 * are one candidate criterion (the platform offers a step it assigns to its assignee as well). The agency filters start from the
 * process variable (ACT_RU_VARIABLE, then the instance's tasks by ACT_IDX_TASK_PROCINST); the
 * other tasks here have no variables, so what PostgreSQL reads of ACT_RU_VARIABLE at volume is
 * not shown here. Rows read
 * are PostgreSQL's {@code EXPLAIN (ANALYZE, FORMAT JSON)} counts of ACT_RU_TASK (rows returned
 * and removed by a filter, every loop). Needs PostgreSQL at 127.0.0.1:5432; skipped without it
 * unless -Dgigflow.requirePostgres=true.
 */
@SpringBootTest(properties = {
        "camunda.bpm.admin-user.password=Postgres-Plans-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "camunda.bpm.job-execution.enabled=false",
        "logging.level.root=warn"})
@ActiveProfiles(value = "postgres", inheritProfiles = false)
@DirtiesContext
class TasklistFilterPlansOnPostgresTest extends TasklistFilterPlansTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    /** None: every candidate criterion is read through the links' user and group indexes. */
    @Override
    Map<String, String> unbounded() {
        return Map.of();
    }

    @Override
    long tasksRead(String sql) {
        String json = String.join("\n", jdbc.sql("explain (analyze, format json) " + sql).query(String.class).list());
        try {
            JsonNode plan = new ObjectMapper().readTree(json).get(0).get("Plan");
            System.out.println(plan.toPrettyString());
            long read = read(plan);
            assertThat(json).as("PostgreSQL's plan names ACT_RU_TASK").contains("\"act_ru_task\"");
            return read;
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }

    private static long read(JsonNode node) {
        long read = 0;
        if ("act_ru_task".equals(node.path("Relation Name").asText())) {
            read += (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong()) * Math.max(1, node.path("Actual Loops").asLong());
        }
        for (JsonNode child : node.path("Plans")) {
            read += read(child);
        }
        return read;
    }

    @Override
    String series(int n) {
        return "generate_series(1, " + n + ") as r(x)";
    }
}
