package io.gigflow.identity;

import io.gigflow.shared.ClusterLock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.authorization.Permission;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resource;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.impl.persistence.entity.IdentityLinkEntity;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.task.TaskQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(AuthorizationSetup.class);

    static final String MY_TASKS_FILTER = "My tasks";
    static final String COMPANY_TASKS_FILTER = "My company's tasks";
    static final String PAST_DUE_FILTER = "Past due";
    static final String ALL_TASKS_FILTER = "All my tasks";
    /** Company members' first filter (CompanyFilterGrants): read by company groups only. */
    static final String COMPANY_OPEN_FILTER = "My company's open tasks";

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
    /**
     * A published field assignment's offer: its one step, Apply for assignment, is offered to every field
     * worker. Field workers read and work these steps by one grant on the definition (READ_TASK,
     * TASK_WORK), not by a grant on each (see {@link CompanyFilterGrants.Provider}); nothing else of an
     * assignment runs in this process. Nobody may start it: the assignment's process calls it.
     */
    static final String FIELD_OFFER = "field-assignment-offer";

    private final AuthorizationService authorizationService;
    private final IdentityService identityService;
    private final FilterService filterService;
    private final TaskService taskService;
    private final ManagementService managementService;
    private final ClusterLock clusterLock;

    AuthorizationSetup(AuthorizationService authorizationService, IdentityService identityService,
            FilterService filterService, TaskService taskService, ManagementService managementService, ClusterLock clusterLock) {
        this.managementService = managementService;
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
        ensureGroupGrant(Parties.FIELD_WORKERS_GROUP, Resources.PROCESS_DEFINITION, FIELD_OFFER, Permissions.READ, Permissions.READ_TASK,
                Permissions.TASK_WORK);
        ensureFilters();
        offerAssignedSteps();
        revokeInstanceUpdates();
    }

    /**
     * Open steps that an earlier version assigned to a person without offering it to them (no candidate
     * link at all) are offered to their assignee, as the lifecycles now do ({@link io.gigflow.shared.HumanSteps#assignAndOffer}),
     * so that they stay in the assignee's "All my tasks" and "Checklist tasks". Once done it finds none.
     */
    private void offerAssignedSteps() {
        String tasks = managementService.getTableName(Task.class);
        String links = managementService.getTableName(IdentityLinkEntity.class);
        String sql = "select RES.* from " + tasks + " RES where RES.ASSIGNEE_ is not null and RES.ID_ > #{after} and not exists (select 1 from "
                + links + " I where I.TASK_ID_ = RES.ID_ and I.TYPE_ = 'candidate') order by RES.ID_";
        String after = "";
        for (List<Task> page = taskService.createNativeTaskQuery().sql(sql).parameter("after", after).listPage(0, 500); !page.isEmpty();
                page = taskService.createNativeTaskQuery().sql(sql).parameter("after", after).listPage(0, 500)) {
            for (Task task : page) {
                try {
                    taskService.addCandidateUser(task.getId(), task.getAssignee());
                } catch (RuntimeException e) {
                    // completed meanwhile on another node: nothing to offer
                    log.warn("Could not offer open step {} to its assignee", task.getId(), e);
                }
                after = task.getId();
            }
        }
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
     *
     * <p>Each query names the person or their groups (assignee, candidate user, candidate group),
     * so the engine finds the tasks through ACT_RU_TASK's assignee index or the identity links'
     * user and group indexes; a query without one reads every open task of the installation and
     * checks each against the person's authorizations (docs/benchmarks.md, lists). The engine's
     * task authorizations still apply on top of every filter: a criterion only narrows.
     */
    private void ensureFilters() {
        ensureFilter(COMPANY_OPEN_FILTER, "Tasks of your company that nobody has taken yet", -25,
                taskService.createTaskQuery().taskCandidateGroupInExpression("${currentUserGroups()}"), false);
        companyGroupsMayRead(filterService.createFilterQuery().filterName(COMPANY_OPEN_FILTER).singleResult().getId());
        ensureFilter(MY_TASKS_FILTER, "Tasks assigned to you", -20,
                taskService.createTaskQuery().taskAssigneeExpression("${currentUser()}"), true);
        ensureFilter(COMPANY_TASKS_FILTER, "Tasks offered to your company or team, claimed or not", -15,
                taskService.createTaskQuery().taskCandidateGroupInExpression("${currentUserGroups()}").includeAssignedTasks(), true);
        // assigned to you: the engine starts from its assignee index. Every visible task with a due date in the past
        // read all open tasks (no index on the due date helps the engine's query; docs/benchmarks.md, lists)
        ensureFilter(PAST_DUE_FILTER, "Tasks assigned to you whose due date has passed", -10,
                taskService.createTaskQuery().taskAssigneeExpression("${currentUser()}").dueBeforeExpression("${now()}"), true);
        // assigned to you, offered to you (a checklist's team) or to one of your groups (a company, finance, field
        // workers), claimed or not: the tasks a person works on. Tasks another party may only read (an agency's view
        // of its clients' checklist tasks) are in that party's own filters (Checklist · {agency}).
        ensureFilter(ALL_TASKS_FILTER, "Every task assigned or offered to you, your team or your groups", -5,
                mineOrOffered(taskService.createTaskQuery()), true);
    }

    /**
     * The query's tasks that are offered to the current user or one of their groups, claimed or not: the
     * engine adds the person's groups to a candidate user itself. A step the platform assigns to a person is
     * offered to them as well ({@link io.gigflow.shared.HumanSteps#assignAndOffer}), so these are also the
     * tasks assigned to them, in one criterion on the identity links that PostgreSQL reads through their
     * user and group indexes; an OR with the assignee read every open task.
     */
    static TaskQuery mineOrOffered(TaskQuery query) {
        return query.taskCandidateUserExpression("${currentUser()}").includeAssignedTasks();
    }

    private void ensureFilter(String name, String description, int priority, TaskQuery query, boolean everybody) {
        Filter filter = filterService.createFilterQuery().filterName(name).singleResult();
        if (filter == null) {
            filter = filterService.newTaskFilter(name);
        }
        filter.setQuery(query);
        filter.setProperties(Map.of("description", description, "priority", priority, "refresh", true));
        filter = filterService.saveFilter(filter);
        if (everybody) {
            ensureGlobal(Resources.FILTER, filter.getId(), Permissions.READ);
        }
    }

    /** Every company's group may read the company filter; CompanyFilterGrants grants it to companies created later. */
    private void companyGroupsMayRead(String filterId) {
        Set<String> granted = new HashSet<>();
        for (Authorization grant : authorizationService.createAuthorizationQuery().authorizationType(Authorization.AUTH_TYPE_GRANT)
                .resourceType(Resources.FILTER).resourceId(filterId).list()) {
            if (grant.getGroupId() != null && grant.isPermissionGranted(Permissions.READ)) {
                granted.add(grant.getGroupId());
            }
        }
        for (Group company : identityService.createGroupQuery().groupType(Parties.COMPANY_GROUP_TYPE).list()) {
            if (!granted.contains(company.getId())) {
                ensureGroupGrant(company.getId(), Resources.FILTER, filterId, Permissions.READ);
            }
        }
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
