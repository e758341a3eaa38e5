package io.gigflow.checklist;

import io.gigflow.identity.Parties;
import io.gigflow.shared.ClusterLock;
import java.util.Map;
import java.util.function.Supplier;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.task.TaskQuery;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The Todo views as Camunda Tasklist filters. "Checklist tasks" says "mine" with the engine's
 * expressions ({@code ${currentUser()}}, {@code ${currentUserGroups()}}); the agency filters have
 * fixed criteria and READ authorization for the agency's group. The engine's task authorizations
 * narrow every filter to the tasks a person may see.
 * <ul>
 * <li>"Checklist tasks" (everybody): the checklist tasks assigned to the person (a client's) or offered to
 * them (the item's team), claimed or not.</li>
 * <li>"Checklist · {agency} ({id})" (the agency's group): the agency's open checklist tasks, by due date.</li>
 * <li>"Checklist · {agency} ({id}) · waiting for clients" (the agency's group): the client tasks.</li>
 * </ul>
 * The agency filters are created when the agency's first service is created, and at start-up
 * for every agency with services; a filter's name is its key, so renaming one makes a new one.
 */
@Component
class ChecklistFilters implements ApplicationRunner {

    static final String ALL_FILTER = "Checklist tasks";

    private final FilterService filterService;
    private final TaskService taskService;
    private final AuthorizationService authorizationService;
    private final IdentityService identityService;
    private final Parties parties;
    private final ChecklistRepository repository;
    private final ClusterLock clusterLock;

    ChecklistFilters(FilterService filterService, TaskService taskService, AuthorizationService authorizationService,
            IdentityService identityService, Parties parties, ChecklistRepository repository, ClusterLock clusterLock) {
        this.clusterLock = clusterLock;
        this.filterService = filterService;
        this.taskService = taskService;
        this.authorizationService = authorizationService;
        this.identityService = identityService;
        this.parties = parties;
        this.repository = repository;
    }

    /** On one node of a cluster at a time: nodes started together would update the same filters. */
    @Override
    public void run(ApplicationArguments arguments) {
        clusterLock.exclusively(() -> {
            asSystem(() -> {
                // assigned or offered to the person: without a criterion on the person, the engine checked every open
                // task of the installation against the person's authorizations (docs/benchmarks.md, lists); an agency's
                // staff see all of the agency's checklist tasks in the agency's filter
                // offered to the person or their groups, claimed or not: a client's task is assigned and offered to
                // the client (HumanSteps.assignAndOffer), so this one criterion on the identity links covers both
                Filter all = ensure(ALL_FILTER, query().taskCandidateUserExpression("${currentUser()}").includeAssignedTasks(),
                        "Checklist tasks assigned or offered to you, by due date", -5);
                grant(all.getId(), null);
                return null;
            });
            repository.agenciesWithServices().forEach(this::ensureAgencyFilters);
        });
    }

    /**
     * An agency's staff land on their agency's open checklist tasks: Tasklist opens the readable filter with
     * the lowest priority, and agencies are companies, whose members would otherwise land on the company
     * filter (-25), where an agency's work, offered to its staff by name, does not show.
     */
    static final int AGENCY_PRIORITY = -30;

    /** Filters are found by name: the agency's id keeps two agencies with the same name apart. */
    static String agencyFilterName(String agencyName, String agencyId) {
        return "Checklist · " + agencyName + " (" + agencyId + ")";
    }

    static String clientTasksFilterName(String agencyName, String agencyId) {
        return agencyFilterName(agencyName, agencyId) + " · waiting for clients";
    }

    void ensureAgencyFilters(String agencyId) {
        String name = parties.companyName(agencyId);
        // two nodes creating an agency's first services at once would otherwise both create its filters
        clusterLock.exclusively(() -> asSystem(() -> {
            Filter open = ensure(agencyFilterName(name, agencyId), query().processVariableValueEquals(OrderChecklistProcess.VAR_AGENCY_ID, agencyId),
                    "Open checklist tasks of " + name + ", by due date", AGENCY_PRIORITY);
            grant(open.getId(), agencyId);
            Filter clients = ensure(clientTasksFilterName(name, agencyId),
                    query().processVariableValueEquals(OrderChecklistProcess.VAR_AGENCY_ID, agencyId)
                            .processVariableValueEquals(OrderChecklistProcess.VAR_CLIENT_TASK, true),
                    "Checklist tasks of " + name + " that wait for a client", AGENCY_PRIORITY + 1);
            grant(clients.getId(), agencyId);
            return null;
        }));
    }

    private TaskQuery query() {
        return taskService.createTaskQuery().processDefinitionKey(OrderChecklistProcess.KEY).orderByDueDate().asc();
    }

    private Filter ensure(String name, TaskQuery query, String description, int priority) {
        Filter filter = filterService.createFilterQuery().filterName(name).singleResult();
        if (filter == null) {
            filter = filterService.newTaskFilter(name);
        }
        filter.setQuery(query);
        filter.setProperties(Map.of("description", description, "priority", priority, "refresh", true));
        return filterService.saveFilter(filter);
    }

    private void grant(String filterId, String groupId) {
        var existing = authorizationService.createAuthorizationQuery().resourceType(Resources.FILTER).resourceId(filterId);
        if (groupId != null) {
            existing = existing.groupIdIn(groupId);
        } else {
            existing = existing.authorizationType(Authorization.AUTH_TYPE_GLOBAL);
        }
        if (existing.count() > 0) {
            return;
        }
        Authorization authorization = authorizationService.createNewAuthorization(
                groupId == null ? Authorization.AUTH_TYPE_GLOBAL : Authorization.AUTH_TYPE_GRANT);
        authorization.setResource(Resources.FILTER);
        authorization.setResourceId(filterId);
        if (groupId == null) {
            authorization.setUserId(Authorization.ANY);
        } else {
            authorization.setGroupId(groupId);
        }
        authorization.addPermission(Permissions.READ);
        authorizationService.saveAuthorization(authorization);
    }

    /** Filters belong to the installation, not to the person whose action created them. */
    private <T> T asSystem(Supplier<T> action) {
        Authentication caller = identityService.getCurrentAuthentication();
        identityService.clearAuthentication();
        try {
            return action.get();
        } finally {
            if (caller != null) {
                identityService.setAuthentication(caller);
            }
        }
    }
}
