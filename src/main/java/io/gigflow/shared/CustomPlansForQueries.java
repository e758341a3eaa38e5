package io.gigflow.shared;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.TaskQueryImpl;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.AbstractExecuteFilterCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.stereotype.Component;

/**
 * On PostgreSQL, the engine's task queries (a Tasklist filter, a task query of Tasklist, of
 * {@code /engine-rest} or of gigflow's own) are planned with their parameters in every transaction
 * that runs one: {@code set local plan_cache_mode = force_custom_plan}. After five runs of a prepared statement PostgreSQL may switch to a generic
 * plan, which estimates the engine's authorization check without the person's and the permission's
 * values; for a field worker's "All my tasks" (18,000 tasks offered to their group, then with a
 * grant on each) the generic plan compared every grant with every task, 35 s instead of 0.3 s
 * (docs/benchmarks.md). The engine's other statements (inserts, updates, look-ups by key, the
 * identity queries) keep their cached plans: planning all of them anew cost a fifth of the
 * throughput.
 */
@Component
public class CustomPlansForQueries extends AbstractProcessEnginePlugin {

    static final String SET = "set local plan_cache_mode = force_custom_plan";

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        if (isPostgres(configuration.getDataSource())) {
            EngineInterceptors.appendPost(configuration, new Interceptor());
        }
    }

    private static boolean isPostgres(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
        } catch (SQLException e) {
            throw new ProcessEngineException("Cannot tell which database the engine runs on", e);
        }
    }

    /** Runs after the engine opened the command's context and transaction; for task queries only. */
    static final class Interceptor extends CommandInterceptor {

        @Override
        public <T> T execute(Command<T> command) {
            if (command instanceof TaskQueryImpl || command instanceof AbstractExecuteFilterCmd) {
                CommandContext context = Context.getCommandContext();
                if (context != null) {
                    try (Statement statement = context.getDbSqlSession().getSqlSession().getConnection().createStatement()) {
                        statement.execute(SET);
                    } catch (SQLException e) {
                        throw new ProcessEngineException("Cannot set how PostgreSQL plans the query", e);
                    }
                }
            }
            return next.execute(command);
        }
    }
}
