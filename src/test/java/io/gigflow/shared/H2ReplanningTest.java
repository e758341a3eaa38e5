package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.command.Command;
import org.h2.command.CommandContainer;
import org.h2.command.Prepared;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.h2.util.HasSQL;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A statement a connection planned on an empty table is planned again once the table has grown
 * ({@link H2Replanning}), on the engine's own schema and gigflow's indexes, with the statement by
 * which the engine reads an execution's variables (its {@code selectVariablesByExecutionId}). The plan
 * a connection keeps for a statement is read from H2's cache of statements itself.
 */
class H2ReplanningTest {

    /** The engine's look-up of an execution's variables: the conditions of its {@code selectVariablesByExecutionId}. */
    static final String VARIABLES_OF_EXECUTION = "select RES.* from ACT_RU_VARIABLE RES where EXECUTION_ID_ = ? and TASK_ID_ is null";

    static final String TASK_INDEX = "ACT_IDX_VARIABLE_TASK_ID";

    JdbcDataSource dataSource;

    @BeforeEach
    void emptyEngineSchema() throws SQLException {
        dataSource = new JdbcDataSource();
        // H2's own statistics now and then, after some thousand changed rows, may or may not reach a cached plan
        // (its analysis is skipped while another connection changes the schema); here they never do
        dataSource.setURL("jdbc:h2:mem:replan-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;QUERY_CACHE_SIZE=256;ANALYZE_AUTO=0");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("runscript from 'classpath:org/camunda/bpm/engine/db/create/activiti.h2.create.engine.sql'");
            for (String index : EngineIndexes.INDEXES) {
                statement.execute(index);
            }
            for (String index : EngineIndexes.forDatabase("H2")) {
                statement.execute(index);
            }
        }
    }

    @Test
    void aStatementPlannedOnAnEmptyTableIsPlannedAgainOnceTheTableHasGrown() throws Exception {
        H2Replanning replanning = new H2Replanning(dataSource);
        try (Connection pooled = dataSource.getConnection()) {
            run(pooled, "no-such-execution");
            assertThat(cachedPlan(pooled)).as("planned on an empty table").contains(TASK_INDEX);

            instancesWithAVariable(20_000);
            assertThat(run(pooled, "execution-7")).isEqualTo(1);
            assertThat(cachedPlan(pooled)).as("the table grew, the connection keeps its plan").contains(TASK_INDEX);

            assertThat(replanning.replanGrownTables()).contains("ACT_RU_VARIABLE", "ACT_RU_EXECUTION");
            assertThat(run(pooled, "execution-7")).isEqualTo(1);
            assertThat(cachedPlan(pooled)).as("planned again: the execution's own variables by the execution's index")
                    .doesNotContain(TASK_INDEX).containsIgnoringCase("EXECUTION_ID_ = ?1");
        }
    }

    @Test
    void tablesThatDoNotOutgrowWhatTheyHeldChangeNothing() throws Exception {
        instancesWithAVariable(3_000);
        H2Replanning replanning = new H2Replanning(dataSource);
        assertThat(replanning.replanGrownTables()).as("the sizes at start-up are the plans' sizes").isEmpty();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("delete from ACT_RU_VARIABLE where VAR_SCOPE_ in (select 'execution-' || X from system_range(10, 999))");
            assertThat(replanning.replanGrownTables()).as("a table that shrank").isEmpty();
            statement.execute("insert into ACT_RU_VARIABLE (ID_, REV_, TYPE_, NAME_, EXECUTION_ID_, PROC_INST_ID_, VAR_SCOPE_, IS_CONCURRENT_LOCAL_)"
                    + " select 'again-' || X, 1, 'string', 'status', 'execution-' || X, 'execution-' || X, 'execution-' || X, false"
                    + " from system_range(10, 999)");
            assertThat(replanning.replanGrownTables()).as("back to the size it had").isEmpty();
        }
        instancesWithAVariable(3_000, 5_000);
        assertThat(replanning.replanGrownTables()).as("doubled (3,000 to 5,000 and more)").contains("ACT_RU_VARIABLE");
        assertThat(replanning.replanGrownTables()).as("nothing grew since").isEmpty();
    }

    @Test
    void sizeClassesDoubleFromAThousandRowsOn() {
        assertThat(H2Replanning.sizeClass(0)).isZero();
        assertThat(H2Replanning.sizeClass(1_023)).isZero();
        assertThat(H2Replanning.sizeClass(1_024)).isEqualTo(1);
        assertThat(H2Replanning.sizeClass(2_047)).isEqualTo(1);
        assertThat(H2Replanning.sizeClass(2_048)).isEqualTo(2);
        assertThat(H2Replanning.sizeClass(1_000_000)).isEqualTo(10);
    }

    private void instancesWithAVariable(int count) throws SQLException {
        instancesWithAVariable(0, count);
    }

    /** Instances numbered from {@code from} (inclusive) to {@code to} (exclusive), each with its {@code status}. */
    private void instancesWithAVariable(int from, int to) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            String range = " from system_range(" + from + ", " + (to - 1) + ")";
            statement.execute("insert into ACT_RU_EXECUTION (ID_, REV_, ROOT_PROC_INST_ID_, PROC_INST_ID_, IS_ACTIVE_, IS_CONCURRENT_,"
                    + " IS_SCOPE_, IS_EVENT_SCOPE_, SUSPENSION_STATE_) select 'execution-' || X, 1, 'execution-' || X, 'execution-' || X,"
                    + " true, false, true, false, 1" + range);
            statement.execute("insert into ACT_RU_VARIABLE (ID_, REV_, TYPE_, NAME_, EXECUTION_ID_, PROC_INST_ID_, VAR_SCOPE_, IS_CONCURRENT_LOCAL_)"
                    + " select 'variable-' || X, 1, 'string', 'status', 'execution-' || X, 'execution-' || X, 'execution-' || X, false" + range);
        }
    }

    /** Runs the statement as the engine does (prepared, so the connection keeps it); the rows it found. */
    private static int run(Connection connection, String executionId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(VARIABLES_OF_EXECUTION)) {
            statement.setString(1, executionId);
            int rows = 0;
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows++;
                }
            }
            return rows;
        }
    }

    /** The plan H2 keeps for the statement in the connection's cache (H2 offers no way to read it but its own classes). */
    private static String cachedPlan(Connection connection) throws Exception {
        SessionLocal session = (SessionLocal) connection.unwrap(JdbcConnection.class).getSession();
        Command command = session.prepareLocal(VARIABLES_OF_EXECUTION);
        assertThat(command).isInstanceOf(CommandContainer.class);
        Field prepared = CommandContainer.class.getDeclaredField("prepared");
        prepared.setAccessible(true);
        return ((Prepared) prepared.get(command)).getPlanSQL(HasSQL.ADD_PLAN_INFORMATION);
    }
}
