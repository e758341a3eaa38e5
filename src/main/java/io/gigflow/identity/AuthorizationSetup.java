package io.gigflow.identity;

import io.gigflow.shared.ClusterLock;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * The authorizations every installation needs, created once at start-up where missing.
 * Everybody may open Tasklist and start the lifecycles whose start step checks the caller
 * itself (a company member for its own company); what a person sees beyond that is granted
 * per task and per process instance as the lifecycles run. Cockpit and Admin stay with the
 * camunda-admin group.
 */
@Component
class AuthorizationSetup implements ApplicationRunner {

    static final String MY_TASKS_FILTER = "My tasks";
    static final String COMPANY_TASKS_FILTER = "My company's tasks";
    static final String PAST_DUE_FILTER = "Past due";
    static final String ALL_TASKS_FILTER = "All my tasks";

    /** Process keys whose start step checks who starts it. */
    static final String[] SELF_CHECKING_PROCESSES = {"task-payout", "service-order", "contractor-milestone", "order-checklist",
        "field-assignment"};

    /**
     * The client's actions on a field assignment: every signed-in person may start it (companies
     * are groups created at any time in Admin), and its step refuses anyone who is not a member
     * of a company (403) and answers 404 for an assignment the person may not see.
     */
    static final String FIELD_CLIENT_ACTION = "field-assignment-client-action";
    /**
     * The worker's actions on a field assignment: everybody may read the definition, only field
     * workers may start it (Tasklist offers it to them alone; the engine answers anyone else 403).
     */
    static final String FIELD_WORKER_ACTION = "field-assignment-worker-action";

    private final AuthorizationService authorizationService;
    private final IdentityService identityService;
    private final FilterService filterService;
    private final TaskService taskService;
    private final ClusterLock clusterLock;

    AuthorizationSetup(AuthorizationService authorizationService, IdentityService identityService,
            FilterService filterService, TaskService taskService, ClusterLock clusterLock) {
        this.clusterLock = clusterLock;
        this.authorizationService = authorizationService;
        this.identityService = identityService;
        this.filterService = filterService;
        this.taskService = taskService;
    }

    /**
     * Runs once the engine has deployed the models, before the application takes requests; on
     * one node of a cluster at a time (nodes started together would update the same rows).
     */
    @Override
    public void run(ApplicationArguments arguments) {
        clusterLock.exclusively(this::ensureAll);
    }

    private void ensureAll() {
        ensureGroup(Parties.CONTRACTORS_GROUP, "Contractors", "WORKFLOW");
        ensureGroup(Parties.PROVIDERS_GROUP, "Service providers", "WORKFLOW");
        ensureGroup(Parties.CUSTOMERS_GROUP, "Customers", "WORKFLOW");
        ensureGroup(Parties.CLIENTS_GROUP, "Agency clients", "WORKFLOW");
        ensureGroup(Parties.FIELD_WORKERS_GROUP, "Field workers", "WORKFLOW");
        ensureGroup(Parties.FINANCE_GROUP, "Finance operators", "WORKFLOW");
        ensureGlobal(Resources.APPLICATION, "tasklist", Permissions.ACCESS);
        ensureGlobal(Resources.PROCESS_INSTANCE, "*", Permissions.CREATE);
        for (String key : SELF_CHECKING_PROCESSES) {
            ensureGlobal(Resources.PROCESS_DEFINITION, key, Permissions.READ, Permissions.CREATE_INSTANCE);
        }
        ensureGlobal(Resources.PROCESS_DEFINITION, FIELD_CLIENT_ACTION, Permissions.READ, Permissions.CREATE_INSTANCE);
        ensureGlobal(Resources.PROCESS_DEFINITION, FIELD_WORKER_ACTION, Permissions.READ);
        ensureGroupGrant(Parties.FIELD_WORKERS_GROUP, Resources.PROCESS_DEFINITION, FIELD_WORKER_ACTION, Permissions.CREATE_INSTANCE);
        ensureFilters();
        revokeInstanceUpdates();
    }

    /**
     * Nobody but operators updates a process instance (its variables, its tokens, its state): a
     * party's messages pass the engine's input guard instead. Grants of UPDATE handed out to
     * parties by an earlier version of the lifecycles are taken back at start-up.
     */
    private void revokeInstanceUpdates() {
        for (Authorization grant : authorizationService.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GRANT)
                .resourceType(Resources.PROCESS_INSTANCE).hasPermission(Permissions.UPDATE).list()) {
            if (Groups.CAMUNDA_ADMIN.equals(grant.getGroupId())) {
                continue;
            }
            grant.removePermission(Permissions.UPDATE);
            authorizationService.saveAuthorization(grant);
        }
    }

    private void ensureGroup(String id, String name, String type) {
        if (identityService.createGroupQuery().groupId(id).count() == 0) {
            Group group = identityService.newGroup(id);
            group.setName(name);
            group.setType(type);
            identityService.saveGroup(group);
        }
    }

    /**
     * The Tasklist filters every role starts with. Their queries use the engine's expressions
     * (the current user, their groups, now), so expressions are allowed in stored queries;
     * only camunda-admin may create or change filters, so nobody else can store one.
     */
    private void ensureFilters() {
        ensureFilter(MY_TASKS_FILTER, "Tasks assigned to you", -20,
                taskService.createTaskQuery().taskAssigneeExpression("${currentUser()}"));
        ensureFilter(COMPANY_TASKS_FILTER, "Tasks offered to your company or team, claimed or not", -15,
                taskService.createTaskQuery().taskCandidateGroupInExpression("${currentUserGroups()}").includeAssignedTasks());
        ensureFilter(PAST_DUE_FILTER, "Your tasks whose due date has passed", -10,
                taskService.createTaskQuery().dueBeforeExpression("${now()}"));
        // with authorizations on, no criteria lists exactly the tasks a person may see
        ensureFilter(ALL_TASKS_FILTER, "Every task you may see, including those offered to you personally", -5,
                taskService.createTaskQuery());
    }

    private void ensureFilter(String name, String description, int priority, org.camunda.bpm.engine.task.TaskQuery query) {
        Filter filter = filterService.createFilterQuery().filterName(name).singleResult();
        if (filter == null) {
            filter = filterService.newTaskFilter(name);
        }
        filter.setQuery(query);
        filter.setProperties(Map.of("description", description, "priority", priority, "refresh", true));
        filter = filterService.saveFilter(filter);
        ensureGlobal(Resources.FILTER, filter.getId(), Permissions.READ);
    }

    private void ensureGroupGrant(String groupId, Resource resource, String resourceId, Permission... permissions) {
        Authorization existing = authorizationService.createAuthorizationQuery()
                .authorizationType(Authorization.AUTH_TYPE_GRANT).groupIdIn(groupId).resourceType(resource).resourceId(resourceId)
                .singleResult();
        Authorization authorization = existing != null ? existing
                : authorizationService.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        authorization.setGroupId(groupId);
        for (Permission permission : permissions) {
            authorization.addPermission(permission);
        }
        authorizationService.saveAuthorization(authorization);
    }

    private void ensureGlobal(Resource resource, String resourceId, Permission... permissions) {
        Authorization existing = authorizationService.createAuthorizationQuery()
                .authorizationType(Authorization.AUTH_TYPE_GLOBAL).resourceType(resource).resourceId(resourceId)
                .singleResult();
        Authorization authorization = existing != null ? existing
                : authorizationService.createNewAuthorization(Authorization.AUTH_TYPE_GLOBAL);
        authorization.setResource(resource);
        authorization.setResourceId(resourceId);
        authorization.setUserId(Authorization.ANY);
        for (Permission permission : permissions) {
            authorization.addPermission(permission);
        }
        authorizationService.saveAuthorization(authorization);
    }
}
