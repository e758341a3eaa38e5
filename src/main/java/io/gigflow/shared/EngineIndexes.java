package io.gigflow.shared;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.stereotype.Component;

/**
 * Indexes on the engine's own tables that Camunda does not ship and gigflow's queries need,
 * created once the engine has created or checked its schema (Flyway runs before the engine's
 * tables exist, so they cannot be migrations). Each is {@code create index if not exists}: a
 * node starting against a database another node prepared does nothing.
 *
 * <ul>
 *   <li>{@code ACT_RU_TASK (PARENT_TASK_ID_)}: before deleting a task the engine looks for its
 *       sub-tasks by this column; without an index every completion or cancellation of a step
 *       scanned all open tasks (100,000 open checklist items: the largest cost of closing one).</li>
 *   <li>{@code ACT_RU_AUTHORIZATION (USER_ID_)}: every query the engine checks reads the person's
 *       grants by user or group; the group has an index, the user had none (the unique keys begin
 *       with the grant's type), so PostgreSQL read all grants of the installation for every task
 *       list (103,000 at 100,000 open items: 60 ms of a client's 10-task "All my tasks", 2.4 ms
 *       with it).</li>
 * </ul>
 *
 * <p>On PostgreSQL also statistics on the permission bits the engine's authorization checks test
 * ({@link #POSTGRES_STATISTICS}): the engine writes them as {@code PERMS_ & 2 = 2}, an expression
 * PostgreSQL otherwise estimates at half a percent of the rows. For a person whose group holds a grant
 * on each of 18,000 tasks (a field worker and the published assignments, before their offers had a process and one
 * grant of their own) it expected 51 grants, joined
 * them with every task in a nested loop, and counted "All my tasks" in 34 s instead of 0.3 s
 * (docs/benchmarks.md). The estimate needs the values too, so the engine's queries are planned with
 * their parameters ({@link CustomPlansForQueries}).
 *
 * <p>On PostgreSQL also an index on the values of process variables ({@link #POSTGRES_INDEXES}): a
 * filter by a process variable (an agency's checklist filters: {@code agencyId}, and the client's
 * turn) is an {@code EXISTS} on {@code NAME_} and {@code TEXT_}, and the engine's only index there
 * leads with the task and the name, so PostgreSQL read every order's {@code agencyId} (5,000 at
 * 100,000 open items) or every order waiting for its client (2,500) and checked each order's tasks
 * and grants: 120 to 230 ms for an agency's "waiting for clients", 3 to 6 ms with it. A hash index,
 * because {@code TEXT_} holds up to 4,000 characters and a B-tree entry may not exceed about 2,700
 * bytes (a long text would fail the variable's insert); partial, because a filter reads variables of
 * the instance ({@code TASK_ID_ is null}), and a task's variables are most of the table. H2 is not
 * given it: it evaluates the {@code EXISTS} once for every open task whatever the indexes, and finds the
 * task's instance's variable by {@link #H2_INDEXES}.
 */
@Component
public class EngineIndexes extends AbstractProcessEnginePlugin {

    /** The statements, each {@code create index if not exists <name> on <table> (...)}; ListQueryPlansTest checks they exist. */
    public static final List<String> INDEXES = List.of(
            "create index if not exists ix_act_ru_task_parent on ACT_RU_TASK (PARENT_TASK_ID_)",
            "create index if not exists ix_act_ru_authorization_user on ACT_RU_AUTHORIZATION (USER_ID_)");

    /** PostgreSQL only: a process variable's text value, for the engine's {@code EXISTS} of a variable filter. */
    public static final List<String> POSTGRES_INDEXES = List.of(
            "create index if not exists ix_act_ru_variable_text on ACT_RU_VARIABLE using hash (TEXT_) where TASK_ID_ is null");

    /**
     * H2 only: a process variable by its instance, name and type. H2 checks a variable filter's {@code EXISTS} once for
     * every open task, and picks its index by the columns' selectivity alone: with more tasks than instances it took
     * {@code TASK_ID_ IS NULL} (the engine's task index) and read every instance's variables for each task, n² (an
     * agency's filter at 100,000 open items did not answer within minutes). This index matches every condition the engine
     * writes there and holds every column the {@code EXISTS} reads (the value's columns and the id): H2 estimates
     * {@code TASK_ID_ IS NULL} as selective as an instance (its statistics leave out the nulls), and only a covering
     * index is cheaper to it than the engine's, so it reads the task's own instance's variable.
     */
    public static final List<String> H2_INDEXES = List.of("create index if not exists ix_act_ru_variable_instance on ACT_RU_VARIABLE"
            + " (PROC_INST_ID_, TASK_ID_, NAME_, TYPE_, TEXT_, LONG_, DOUBLE_, ID_)");

    /** The statistics object on PostgreSQL: READ (2) and READ_TASK (64), the bits of the task queries' checks. */
    public static final String POSTGRES_STATISTICS = "gigflow_act_ru_authorization_perms";

    private DataSource dataSource;

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        dataSource = configuration.getDataSource();
    }

    @Override
    public void postProcessEngineBuild(ProcessEngine processEngine) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(true);
            try {
                for (String index : INDEXES) {
                    statement.execute(index);
                }
                String database = connection.getMetaData().getDatabaseProductName();
                for (String index : forDatabase(database)) {
                    statement.execute(index);
                }
                if ("PostgreSQL".equals(database)) {
                    permissionStatistics(statement);
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new ProcessEngineException("Cannot create gigflow's indexes on the engine's tables", e);
        }
    }

    /** The indexes of one database only ({@code DatabaseMetaData.getDatabaseProductName}): none for another. */
    static List<String> forDatabase(String database) {
        return switch (database) {
            case "H2" -> H2_INDEXES;
            case "PostgreSQL" -> POSTGRES_INDEXES;
            default -> List.of();
        };
    }

    /** Created once, then analysed at once: the next automatic ANALYZE may be a long way off. */
    private static void permissionStatistics(Statement statement) throws SQLException {
        try (ResultSet existing = statement.executeQuery("select 1 from pg_statistic_ext where stxname = '" + POSTGRES_STATISTICS + "'")) {
            if (existing.next()) {
                return;
            }
        }
        statement.execute("create statistics if not exists " + POSTGRES_STATISTICS + " on (PERMS_ & 2), (PERMS_ & 64) from ACT_RU_AUTHORIZATION");
        statement.execute("analyze ACT_RU_AUTHORIZATION");
    }
}
