package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.benchmark.ListBenchmark;
import io.gigflow.support.Fixtures;
import io.gigflow.support.PostgresDatabase;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.filter.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link TasklistFilterPlansTest} on PostgreSQL, which turns the engine's left join of the
 * identity links into an inner join where the criterion needs a link, and so starts a candidate
 * filter from the links' user and group indexes: every shipped filter reads only the person's
 * tasks there, the two filters of what is yours ("All my tasks", "Checklist tasks") too, since they
 * are one candidate criterion (the platform offers a step it assigns to its assignee as well). The agency filters start from the
 * process variable (ACT_RU_VARIABLE by the value's index, then the instance's tasks by
 * ACT_IDX_TASK_PROCINST); what they read among other agencies' orders is its own test. Rows read
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

    @Autowired PlatformTransactionManager transactionManager;

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

    /**
     * A person whose group holds a grant on each of many tasks (a field worker and the published assignments): the
     * engine's authorization check joins the grants with the tasks on an OR of keys, which only a nested loop over the
     * grants' index serves. Without statistics on the permission bits PostgreSQL expected a handful of grants and
     * compared every grant with every task (18,000 × 18,000 in ListBenchmark); with them it looks each task's grants up.
     * The estimate needs the values, so the engine's queries are planned with their parameters (CustomPlansForQueries). (With a
     * few thousand such tasks PostgreSQL may still prefer comparing them all, correctly estimated: 2,000 × 2,000 took
     * 0.4 s, the look-ups 0.2 s.) The person's own grants are read by the user index gigflow adds, not by reading every
     * grant of the installation.
     */
    @Test
    void aGroupWithAGrantOnEachOfManyTasksIsCountedThroughTheGrantsIndex() throws Exception {
        Fixtures fixtures = new Fixtures(identityService);
        String worker = fixtures.fieldWorker("plans");
        String group = Fixtures.unique("crowd");
        org.camunda.bpm.engine.identity.Group crowd = identityService.newGroup(group);
        identityService.saveGroup(crowd);
        identityService.createMembership(worker, group);
        assertThat(jdbc.sql("show jit").query(String.class).single()).isEqualTo("off");
        // the engine's queries are planned with their parameters, in the transaction that runs them, and only there
        Filter assigned = filterService.createFilterQuery().filterName("My tasks").singleResult();
        String inQuery = new TransactionTemplate(transactionManager).execute(status -> {
            fixtures.as(worker, () -> filterService.count(assigned.getId()));
            return jdbc.sql("show plan_cache_mode").query(String.class).single();
        });
        String elsewhere = new TransactionTemplate(transactionManager).execute(status -> jdbc.sql("show plan_cache_mode").query(String.class).single());
        assertThat(inQuery).isEqualTo("force_custom_plan");
        assertThat(elsewhere).isEqualTo("auto");
        int offered = 10_000;
        try {
            jdbc.sql("insert into ACT_RU_TASK (ID_, REV_, NAME_, CREATE_TIME_, LAST_UPDATED_, SUSPENSION_STATE_, PRIORITY_, TASK_STATE_)"
                    + " select 'crowd-' || r.x, 1, 'offered', current_timestamp, current_timestamp, 1, 50, 'Created' from " + series(offered)).update();
            jdbc.sql("insert into ACT_RU_IDENTITYLINK (ID_, REV_, TASK_ID_, TYPE_, GROUP_ID_) select 'crowd-' || r.x, 1, 'crowd-' || r.x,"
                    + " 'candidate', :group from " + series(offered)).param("group", group).update();
            // what the engine's authorization provider grants a candidate group on its task: READ, UPDATE and more
            jdbc.sql("insert into ACT_RU_AUTHORIZATION (ID_, REV_, TYPE_, GROUP_ID_, RESOURCE_TYPE_, RESOURCE_ID_, PERMS_)"
                    + " select 'crowd-' || r.x, 1, 1, :group, 7, 'crowd-' || r.x, 6 from " + series(offered)).param("group", group).update();
            // one of them assigned to the person, with the grant the engine gives an assignee
            jdbc.sql("update ACT_RU_TASK set ASSIGNEE_ = :worker where ID_ = 'crowd-1'").param("worker", worker).update();
            jdbc.sql("insert into ACT_RU_AUTHORIZATION (ID_, REV_, TYPE_, USER_ID_, RESOURCE_TYPE_, RESOURCE_ID_, PERMS_)"
                    + " values ('crowd-mine', 1, 1, :worker, 7, 'crowd-1', 6)").param("worker", worker).update();
            // and other people's grants on their own tasks, twice as many
            jdbc.sql("insert into ACT_RU_AUTHORIZATION (ID_, REV_, TYPE_, USER_ID_, RESOURCE_TYPE_, RESOURCE_ID_, PERMS_)"
                    + " select 'crowd-other-' || r.x, 1, 1, 'crowd-user-' || r.x, 7, 'crowd-other-' || r.x, 6 from " + series(2 * offered)).update();
            jdbc.sql("analyze").update();
            Filter mine = filterService.createFilterQuery().filterName("My tasks").singleResult();
            List<String> myTasks = ListBenchmark.SqlCapture.during(() -> fixtures.as(worker, () -> filterService.count(mine.getId())));
            String myPlan = String.join("\n", jdbc.sql("explain (analyze, format json) " + myTasks.get(0)).query(String.class).list());
            long grantsRead = read(new ObjectMapper().readTree(myPlan).get(0).get("Plan"), "act_ru_authorization");
            System.out.println("-- My tasks of the same person: rows of ACT_RU_AUTHORIZATION read " + grantsRead + "\n" + myPlan);
            assertThat(fixtures.as(worker, () -> filterService.count(mine.getId()))).isEqualTo(1);
            assertThat(grantsRead).as("the person's grants are read by user and group index, not every grant").isLessThanOrEqualTo(offered + 50L);
            Filter all = filterService.createFilterQuery().filterName("All my tasks").singleResult();
            List<String> count = ListBenchmark.SqlCapture.during(() -> fixtures.as(worker, () -> filterService.count(all.getId())));
            assertThat(count).hasSize(1);
            assertThat(fixtures.as(worker, () -> filterService.count(all.getId()))).isEqualTo(offered);
            String json = String.join("\n", jdbc.sql("explain (analyze, format json) " + count.get(0)).query(String.class).list());
            long compared = removedByJoinFilter(new ObjectMapper().readTree(json).get(0).get("Plan"));
            System.out.println("-- All my tasks of a person offered " + offered + " tasks through a group: rows removed by join filters "
                    + compared + "\n" + json);
            assertThat(compared).as("grants compared with tasks beyond their own (a nested loop over every grant)").isLessThan(10L * offered);
        } finally {
            jdbc.sql("delete from ACT_RU_AUTHORIZATION where ID_ like 'crowd-%'").update();
            jdbc.sql("delete from ACT_RU_IDENTITYLINK where ID_ like 'crowd-%'").update();
            jdbc.sql("delete from ACT_RU_TASK where ID_ like 'crowd-%'").update();
        }
    }

    /** PostgreSQL finds the agency's variables by value: none here, the agency has no order. */
    @Override
    void assertVariablesOfOneOrderATask(String name, String sql) {
        String json = String.join("\n", jdbc.sql("explain (analyze, format json) " + sql).query(String.class).list());
        try {
            long read = read(new ObjectMapper().readTree(json).get(0).get("Plan"), "act_ru_variable");
            System.out.printf("-- %s: rows of ACT_RU_VARIABLE read %d%n%s%n", name, read, json);
            assertThat(read).as(name + ": rows of ACT_RU_VARIABLE read (the agency has no order)").isLessThanOrEqualTo(BOUND);
        } catch (java.io.IOException e) {
            throw new AssertionError(json, e);
        }
    }

    private static long removedByJoinFilter(JsonNode node) {
        long removed = node.path("Rows Removed by Join Filter").asLong() * Math.max(1, node.path("Actual Loops").asLong());
        for (JsonNode child : node.path("Plans")) {
            removed += removedByJoinFilter(child);
        }
        return removed;
    }

    private static long read(JsonNode node) {
        return read(node, "act_ru_task");
    }

    /** Rows of the table the plan read: returned and removed by a filter, every loop. */
    private static long read(JsonNode node, String table) {
        long read = 0;
        if (table.equals(node.path("Relation Name").asText())) {
            read += (node.path("Actual Rows").asLong() + node.path("Rows Removed by Filter").asLong()
                    + node.path("Rows Removed by Index Recheck").asLong()) * Math.max(1, node.path("Actual Loops").asLong());
        }
        for (JsonNode child : node.path("Plans")) {
            read += read(child, table);
        }
        return read;
    }

    @Override
    String series(int n) {
        return "generate_series(1, " + n + ") as r(x)";
    }
}
