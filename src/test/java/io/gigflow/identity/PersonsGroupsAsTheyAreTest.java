package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.GigflowApplication;
import io.gigflow.support.Fixtures;
import io.gigflow.support.WorkCounts;
import java.util.List;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.authorization.Authorization;
import org.camunda.bpm.engine.authorization.Permissions;
import org.camunda.bpm.engine.authorization.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The engine checks a person's authorizations with the person's groups as they are
 * ({@link PersonsGroupsAsTheyAre}): no statement a person's call runs reads the authorization
 * table without naming whom or what it is about, and the decisions are those the engine's own
 * group filter gave (checked against it: without the plugin the same assertions hold), revocations
 * included.
 */
@SpringBootTest(classes = {GigflowApplication.class, WorkCounts.Install.class}, properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class PersonsGroupsAsTheyAreTest {

    /** A condition on the authorization's person, group, resource or id: what the table's indexes serve. */
    private static final Pattern NAMES_WHOM_OR_WHAT = Pattern.compile("\\b(USER_ID_|GROUP_ID_|RESOURCE_ID_|ID_)\\s*(=|in\\b)",
            Pattern.CASE_INSENSITIVE);

    @Autowired AuthorizationService authorizationService;
    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;
    @Autowired RepositoryService repositoryService;
    @Autowired Parties parties;

    @AfterEach
    void signOut() {
        identityService.clearAuthentication();
    }

    @Test
    void aPersonsCallsReadNoAuthorizationsButThoseNamingThemTheirGroupsOrTheirResources() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("groups");
        String member = fixtures.member(company[0]);
        for (int i = 0; i < 50; i++) {
            grant(null, Fixtures.unique("other-group"), Resources.PROCESS_DEFINITION, Fixtures.unique("def"), Permissions.READ);
            grant(Fixtures.unique("other-user"), null, Resources.PROCESS_INSTANCE, Fixtures.unique("pi"), Permissions.READ);
        }
        List<String> groups = parties.groupsOf(member);
        assertThat(groups).contains(company[0]);

        List<String> statements = WorkCounts.statementsOf(() -> {
            identityService.setAuthentication(member, groups);
            try {
                taskService.createTaskQuery().taskCandidateGroupIn(groups).listPage(0, 50);
                taskService.createTaskQuery().taskAssignee(member).count();
                repositoryService.createProcessDefinitionQuery().latestVersion().listPage(0, 50);
            } finally {
                identityService.clearAuthentication();
            }
        });

        List<String> authorizationReads = statements.stream().filter(sql -> sql.toUpperCase().contains("ACT_RU_AUTHORIZATION")).toList();
        assertThat(authorizationReads).as("the person's calls check authorizations").isNotEmpty();
        assertThat(authorizationReads).as("statements reading the authorizations without naming whom or what")
                .allMatch(sql -> NAMES_WHOM_OR_WHAT.matcher(sql).find());
    }

    @Test
    void decidesAsTheEnginesGroupFilterDidWithGroupsThatHaveNoAuthorizationsAndWithRevocations() {
        String resource = Fixtures.unique("definition");
        String granted = Fixtures.unique("granted-group");
        String bare = Fixtures.unique("group-without-authorizations");
        String revoked = Fixtures.unique("revoked-group");
        String person = Fixtures.unique("person");
        grant(null, granted, Resources.PROCESS_DEFINITION, resource, Permissions.READ);

        assertThat(authorizationService.isUserAuthorized(person, List.of(granted), Permissions.READ, Resources.PROCESS_DEFINITION, resource))
                .isTrue();
        assertThat(authorizationService.isUserAuthorized(person, List.of(bare, granted, bare), Permissions.READ,
                Resources.PROCESS_DEFINITION, resource)).as("a group without authorizations next to the granting one").isTrue();
        assertThat(authorizationService.isUserAuthorized(person, List.of(bare), Permissions.READ, Resources.PROCESS_DEFINITION, resource))
                .as("only a group without authorizations").isFalse();
        assertThat(authorizationService.isUserAuthorized(person, List.of(), Permissions.READ, Resources.PROCESS_DEFINITION, resource))
                .as("no group").isFalse();

        // a revocation for another of the person's groups: a grant of any group wins (the engine's precedence)
        revoke(null, revoked, resource);
        assertThat(authorizationService.isUserAuthorized(person, List.of(granted, bare, revoked), Permissions.READ,
                Resources.PROCESS_DEFINITION, resource)).as("granted to one group, revoked for another").isTrue();
        // a revocation for the person: it wins over every group's grant
        revoke(person, null, resource);
        assertThat(authorizationService.isUserAuthorized(person, List.of(granted, bare), Permissions.READ,
                Resources.PROCESS_DEFINITION, resource)).as("granted to the group, revoked for the person").isFalse();
        assertThat(authorizationService.isUserAuthorized(Fixtures.unique("colleague"), List.of(granted, bare), Permissions.READ,
                Resources.PROCESS_DEFINITION, resource)).as("the group's other members").isTrue();
    }

    private void revoke(String user, String group, String resourceId) {
        Authorization revocation = authorizationService.createNewAuthorization(Authorization.AUTH_TYPE_REVOKE);
        revocation.setUserId(user);
        revocation.setGroupId(group);
        revocation.setResource(Resources.PROCESS_DEFINITION);
        revocation.setResourceId(resourceId);
        revocation.removePermission(Permissions.READ);
        authorizationService.saveAuthorization(revocation);
    }

    private void grant(String user, String group, Resources resource, String resourceId, Permissions permission) {
        Authorization grant = authorizationService.createNewAuthorization(Authorization.AUTH_TYPE_GRANT);
        grant.setUserId(user);
        grant.setGroupId(group);
        grant.setResource(resource);
        grant.setResourceId(resourceId);
        grant.addPermission(permission);
        authorizationService.saveAuthorization(grant);
    }
}
