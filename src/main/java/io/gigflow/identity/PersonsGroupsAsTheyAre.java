package io.gigflow.identity;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.Session;
import org.camunda.bpm.engine.impl.interceptor.SessionFactory;
import org.camunda.bpm.engine.impl.persistence.entity.AuthorizationManager;
import org.springframework.stereotype.Component;

/**
 * Lets the engine check a person's authorizations with the person's groups as they are, instead
 * of first reading the group of every authorization there is.
 *
 * <p>In every transaction in which somebody signed in acts, Camunda's authorization manager runs
 * {@code SELECT DISTINCT GROUP_ID_ FROM ACT_RU_AUTHORIZATION} once, to leave out of its checks
 * the person's groups that have no authorization at all. That reads the whole table, and the
 * table grows with the business: every open task payout, order, assignment and checklist gives
 * its parties grants of their own (four rows a task payout). With 200,000 grants the statement
 * takes about 25 ms on PostgreSQL (a scan of every row) on each request, Tasklist's included,
 * whatever the request is about (docs/benchmarks.md).
 *
 * <p>Leaving the groups unfiltered decides exactly the same: a group that has no authorization
 * matches no row in any check or query, so naming it changes no answer; it only makes the
 * {@code GROUP_ID_ IN (...)} lists of the checks a few names longer. gigflow's people belong to a
 * handful of groups (their companies, and contractors, clients, finance...), not the hundreds a
 * directory may give, for which the engine's filter was made.
 */
@Component
class PersonsGroupsAsTheyAre extends AbstractProcessEnginePlugin {

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        List<SessionFactory> factories = configuration.getCustomSessionFactories() == null ? new ArrayList<>()
                : new ArrayList<>(configuration.getCustomSessionFactories());
        // a custom factory of the same session type replaces the engine's own
        factories.add(new SessionFactory() {
            @Override
            public Class<?> getSessionType() {
                return AuthorizationManager.class;
            }

            @Override
            public Session openSession() {
                return new Manager();
            }
        });
        configuration.setCustomSessionFactories(factories);
    }

    /** The engine's authorization manager, but for the one table read it does before every check. */
    static class Manager extends AuthorizationManager {

        @Override
        public List<String> filterAuthenticatedGroupIds(List<String> authenticatedGroupIds) {
            if (authenticatedGroupIds == null || authenticatedGroupIds.isEmpty()) {
                return List.of();
            }
            return new ArrayList<>(new LinkedHashSet<>(authenticatedGroupIds));
        }
    }
}
