package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.payout.TaskPayoutService;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import java.util.Date;
import org.camunda.bpm.engine.AuthorizationException;
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
 * The Tasklist filters shipped for every role (My tasks, My company's tasks, Past due, All my
 * tasks) list what each person should see, and nobody but camunda-admin can store a filter
 * (filters may hold expressions).
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class TasklistFiltersTest {

    @Autowired FilterService filterService;
    @Autowired TaskService taskService;
    @Autowired IdentityService identityService;
    @Autowired TaskPayoutService payouts;
    @Autowired Ledger ledger;

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

        assertThat(names(alice, "My tasks")).containsExactly("Accept or decline the task");
        assertThat(names(alice, "Past due")).containsExactly("Accept or decline the task");
        assertThat(names(alice, "My company's tasks")).isEmpty();
        assertThat(names(acme[1], "My company's tasks")).containsExactly("Review draft task");
        assertThat(names(acme[1], "My tasks")).isEmpty();
        assertThat(names(acme[1], "All my tasks")).containsExactly("Review draft task");
        assertThat(names(bob, "All my tasks")).isEmpty();
        assertThat(names(bob, "Past due")).isEmpty();
        assertThat(draft).isNotBlank();
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

    private java.util.List<String> names(String user, String filterName) {
        Filter filter = filterService.createFilterQuery().filterName(filterName).singleResult();
        return new Fixtures(identityService).as(user, () -> filterService.<Task>listPage(filter.getId(), 0, 100)).stream()
                .map(Task::getName).toList();
    }

    private static TaskPayoutService.CreateTask task(String contractor, String title) {
        return new TaskPayoutService.CreateTask(contractor, title, null, "10.00", "EUR", null, null);
    }
}
