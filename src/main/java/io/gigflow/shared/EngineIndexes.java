package io.gigflow.shared;

import java.sql.Connection;
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
 * </ul>
 */
@Component
public class EngineIndexes extends AbstractProcessEnginePlugin {

    /** The statements, each {@code create index if not exists <name> on <table> (...)}; ListQueryPlansTest checks they exist. */
    public static final List<String> INDEXES = List.of(
            "create index if not exists ix_act_ru_task_parent on ACT_RU_TASK (PARENT_TASK_ID_)");

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
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new ProcessEngineException("Cannot create gigflow's indexes on the engine's tables", e);
        }
    }
}
