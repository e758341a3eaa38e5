package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.payout.TaskPayoutService;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.AuthorizationService;
import org.camunda.bpm.engine.authorization.Resources;
import org.camunda.bpm.engine.identity.Group;
import org.camunda.bpm.engine.FilterService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.filter.Filter;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The Tasklist filters shipped for every role (My company's open tasks, My tasks, My company's
 * tasks, Past due, All my tasks) list what each person should see, company members land on
 * their company's open tasks, and nobody but camunda-admin can store a filter (filters may
 * hold expressions).
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class TasklistFiltersTest {

    @Autowired FilterService filterService;
    @Autowired TaskService taskService;
    @Autowired IdentityService identityService;
    @Autowired TaskPayoutService payouts;
    @Autowired Ledger ledger;
    @Autowired AuthorizationService authorizationService;
    @Autowired AuthorizationSetup setup;

    @Test
    void eachRoleSeesItsOwnTasksInTheShippedFilters() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        String bob = fixtures.contractor("bob");
        ledger.transfer(Fixtures.unique("filters"), AccountRef.external(), AccountRef.company(acme[0]), Money.of("100.00", "EUR"), "Top-up");
        String draft = fixtures.as(acme[1], () -> payouts.create(acme[0], task(alice, "Draft"))).ref();
        String sent = fixtures.as(acme[1], () -> payouts.create(acme[0], task(alice, "Sent"))).ref();
        fixtures.as(acme[1], () -> payouts.send(sent));
        Task aliceStep = taskService.createTaskQuery().processInstanceBusinessKey(sent).singleResult();
        taskService.setDueDate(aliceStep.getId(), new Date(System.currentTimeMillis() - 86_400_000L));

        assertThat(names(alice, "My tasks")).containsExactly("Accept task");
        assertThat(names(alice, "Past due")).containsExactly("Accept task");
        assertThat(names(alice, "All my tasks")).containsExactly("Accept task");
        assertThat(names(alice, "My company's tasks")).isEmpty();
        assertThat(names(acme[1], "My company's tasks")).containsExactly("Review draft");
        assertThat(names(acme[1], "My company's open tasks")).containsExactly("Review draft");
        assertThat(names(acme[1], "My tasks")).isEmpty();
        assertThat(names(acme[1], "Past due")).isEmpty();
        assertThat(names(acme[1], "All my tasks")).containsExactly("Review draft");
        assertThat(names(bob, "All my tasks")).isEmpty();
        assertThat(names(bob, "Past due")).isEmpty();
        assertThat(draft).isNotBlank();

        // claimed by a member, the draft leaves the company's open tasks and stays in My company's tasks
        Task review = taskService.createTaskQuery().processInstanceBusinessKey(draft).singleResult();
        String other = fixtures.member(acme[0]);
        taskService.claim(review.getId(), other);
        assertThat(names(acme[1], "My company's open tasks")).isEmpty();
        assertThat(names(acme[1], "My company's tasks")).containsExactly("Review draft");
        assertThat(names(other, "My tasks")).containsExactly("Review draft");
        assertThat(names(other, "All my tasks")).containsExactly("Review draft");
        // every filter lists no more than the engine lets the person see
        for (String user : List.of(alice, bob, acme[1], other)) {
            long visible = fixtures.as(user, () -> taskService.createTaskQuery().count());
            for (Filter filter : readable(user)) {
                assertThat(fixtures.as(user, () -> filterService.count(filter.getId()))).as(filter.getName() + " for " + user)
                        .isLessThanOrEqualTo(visible);
            }
        }
    }

    /**
     * "All my tasks" is one candidate criterion (offered to you or your groups, claimed or not): a step
     * the platform assigns is offered to its assignee as well, so it is listed while assigned, after the
     * person hands it back, and, for a step an earlier version assigned without offering it, once the
     * start-up has offered it. Nobody else is offered it.
     */
    @Test
    void anAssignedStepIsOfferedToItsAssigneeAndStaysTheirsWhenHandedBack() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        ledger.transfer(Fixtures.unique("offered"), AccountRef.external(), AccountRef.company(acme[0]), Money.of("100.00", "EUR"), "Top-up");
        String sent = fixtures.as(acme[1], () -> payouts.create(acme[0], task(alice, "Sent"))).ref();
        fixtures.as(acme[1], () -> payouts.send(sent));
        Task step = taskService.createTaskQuery().processInstanceBusinessKey(sent).singleResult();
        assertThat(step.getAssignee()).isEqualTo(alice);
        assertThat(candidateUsers(step.getId())).containsExactly(alice);

        fixtures.as(alice, () -> {
            taskService.setAssignee(step.getId(), null);
            return null;
        });
        assertThat(names(alice, "My tasks")).isEmpty();
        assertThat(names(alice, "All my tasks")).containsExactly("Accept task");
        fixtures.as(alice, () -> {
            taskService.claim(step.getId(), alice);
            return null;
        });

        // as an earlier version left it: assigned, offered to nobody
        taskService.deleteCandidateUser(step.getId(), alice);
        assertThat(names(alice, "All my tasks")).isEmpty();
        setup.run(null);
        assertThat(candidateUsers(step.getId())).containsExactly(alice);
        assertThat(names(alice, "All my tasks")).containsExactly("Accept task");
        assertThat(names(acme[1], "All my tasks")).isEmpty();
    }

    private List<String> candidateUsers(String taskId) {
        return taskService.getIdentityLinksForTask(taskId).stream().filter(link -> "candidate".equals(link.getType()))
                .map(link -> link.getUserId()).filter(java.util.Objects::nonNull).toList();
    }

    /** Tasklist opens the readable filter with the lowest priority: a company's members land on their company's open tasks. */
    @Test
    void companyMembersLandOnTheirCompanysOpenTasksAndEverybodyElseOnTheirOwn() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        String walt = fixtures.fieldWorker("walt");
        String carl = fixtures.client("carl");

        assertThat(first(acme[1])).isEqualTo("My company's open tasks");
        assertThat(first(fixtures.member(acme[0]))).isEqualTo("My company's open tasks");
        for (String user : List.of(alice, walt, carl)) {
            assertThat(first(user)).as(user).isEqualTo("My tasks");
            assertThat(readable(user)).extracting(Filter::getName).doesNotContain("My company's open tasks")
                    .contains("My tasks", "My company's tasks", "Past due", "All my tasks", "Checklist tasks");
        }

        // companies that existed before this version get their grant at start-up
        Filter companyFilter = filterService.createFilterQuery().filterName("My company's open tasks").singleResult();
        authorizationService.createAuthorizationQuery().resourceType(Resources.FILTER).resourceId(companyFilter.getId())
                .groupIdIn(acme[0]).list().forEach(grant -> authorizationService.deleteAuthorization(grant.getId()));
        assertThat(first(acme[1])).isEqualTo("My tasks");
        setup.run(null);
        assertThat(first(acme[1])).isEqualTo("My company's open tasks");
        setup.run(null);
        assertThat(authorizationService.createAuthorizationQuery().resourceType(Resources.FILTER).resourceId(companyFilter.getId())
                .groupIdIn(acme[0]).count()).isEqualTo(1);
        // a group that is not a company is not given the filter
        Group team = identityService.newGroup(Fixtures.unique("team"));
        team.setType("WORKFLOW");
        identityService.saveGroup(team);
        assertThat(authorizationService.createAuthorizationQuery().resourceType(Resources.FILTER).resourceId(companyFilter.getId())
                .groupIdIn(team.getId()).count()).isZero();
    }

    @Test
    void onlyAdministratorsMayStoreFilters() {
        String alice = new Fixtures(identityService).contractor("alice");
        Filter mine = filterService.createFilterQuery().filterName("My tasks").singleResult();

        assertThatThrownBy(() -> new Fixtures(identityService).as(alice, () -> {
            Filter sneaky = filterService.newTaskFilter("Sneaky");
            sneaky.setQuery(taskService.createTaskQuery().taskAssigneeExpression("${currentUser()}"));
            return filterService.saveFilter(sneaky);
        })).isInstanceOf(AuthorizationException.class);
        assertThatThrownBy(() -> new Fixtures(identityService).as(alice, () -> {
            mine.setName("Mine now");
            return filterService.saveFilter(mine);
        })).isInstanceOf(AuthorizationException.class);
    }

    private List<Filter> readable(String user) {
        return new Fixtures(identityService).as(user, () -> filterService.createFilterQuery().listPage(0, 500));
    }

    /** The filter Tasklist opens first for the user: the lowest priority among those they may read. */
    private String first(String user) {
        return readable(user).stream().min(Comparator.comparingInt(f -> ((Number) f.getProperties().get("priority")).intValue()))
                .map(Filter::getName).orElseThrow();
    }

    private java.util.List<String> names(String user, String filterName) {
        Filter filter = filterService.createFilterQuery().filterName(filterName).singleResult();
        return new Fixtures(identityService).as(user, () -> filterService.<Task>listPage(filter.getId(), 0, 100)).stream()
                // "Accept task T-1002 · Sent (Acme Ltd)" → "Accept task": which step, not which task
                .map(Task::getName).map(name -> name.replaceAll(" \\S+ · .*$", "")).toList();
    }

    private static TaskPayoutService.CreateTask task(String contractor, String title) {
        return new TaskPayoutService.CreateTask(contractor, title, null, "10.00", "EUR", null, null);
    }
}
