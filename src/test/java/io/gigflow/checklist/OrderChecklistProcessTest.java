package io.gigflow.checklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.NotFoundException;
import io.gigflow.support.Fixtures;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Every path of order-checklist, driven as the agency's staff and the client drive it, with
 * the job executor off so that the test fires the billing-cycle timers itself.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class OrderChecklistProcessTest {

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired AgencyServices services;
    @Autowired ChecklistOrderService orders;
    @Autowired JdbcClient jdbc;

    Fixtures fixtures;
    String agency;
    String ann;
    String bob;
    String cid;
    String client;
    String stranger;
    AgencyServices.ServiceView seo;
    OffsetDateTime now;

    @BeforeEach
    void givenAnAgencyWithAServiceOfFourTasksAndAClient() {
        BpmnAwareTests.init(engine);
        now = OffsetDateTime.parse("2026-03-02T09:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now.toInstant()));
        fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("agency");
        agency = company[0];
        ann = company[1];
        bob = fixtures.member(agency);
        cid = fixtures.member(agency);
        client = fixtures.client("cli");
        stranger = fixtures.client("eve");
        seo = fixtures.as(ann, () -> services.create(agency, new AgencyServices.ServiceInput("SEO setup", List.of(
                task("Kick-off call", List.of(ann), true, false, 2, "ORDER"),
                task("Collect brand assets", List.of(), true, true, 3, "PREVIOUS"),
                task("Internal review", List.of(bob), false, false, null, null),
                task("Deliver the report", List.of(ann, bob), true, false, 10, "ORDER")),
                List.of(task("Extra audit", List.of(bob), false, false, null, null)))));
    }

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void runsTheChecklistInOrderAndRecordsWhoCompletedEachTaskAndWhen() {
        OrderView order = place(null);
        ProcessInstance instance = instance(order.ref());

        assertThat(order.status()).isEqualTo(OrderStatus.OPEN);
        assertThat(order.items()).extracting(OrderView.ItemView::name)
                .containsExactly("Kick-off call", "Collect brand assets", "Internal review", "Deliver the report");
        assertThat(instance).isWaitingAt(OrderChecklistProcess.TASK_DO_CHECKLIST_TASK);
        Task first = openTask(instance);
        assertThat(first.getName()).isEqualTo("Kick-off call " + order.ref() + " · " + order.title() + " ("
                + identityService.createUserQuery().userId(order.clientId()).singleResult().getFirstName() + " Tester)");
        assertThat(first.getDueDate()).isEqualTo(Date.from(now.plusDays(2).toInstant()));
        assertThat(candidates(first)).containsExactly(ann);
        assertThatThrownBy(() -> done(bob, order, "Kick-off call"))
                .isInstanceOf(ForbiddenException.class);

        ClockUtil.setCurrentTime(Date.from(now.plusHours(5).toInstant()));
        done(ann, order, "Kick-off call");

        Task clientStep = openTask(instance);
        // the client's own task names the agency that asks for it
        assertThat(clientStep.getName()).isEqualTo("Collect brand assets " + order.ref() + " · " + order.title() + " (agency Ltd)");
        assertThat(clientStep.getAssignee()).isEqualTo(client);
        // offered to the client alone (as every assigned step is to its assignee), not to the item's team
        assertThat(candidates(clientStep)).containsExactly(client);
        assertThat(clientStep.getDueDate()).isEqualTo(Date.from(now.plusHours(5).plusDays(3).toInstant()));
        assertThat(notices(order, client)).containsExactly("CLIENT_TASK_ACTIVE");
        assertThatThrownBy(() -> done(ann, order, "Collect brand assets"))
                .isInstanceOf(ForbiddenException.class);
        done(client, order, "Collect brand assets");
        done(bob, order, "Internal review");
        done(bob, order, "Deliver the report");

        assertThat(instance).hasPassed(OrderChecklistProcess.END_ORDER_COMPLETED).isEnded();
        OrderView done = fixtures.as(ann, () -> orders.get(order.ref()));
        assertThat(done.status()).isEqualTo(OrderStatus.COMPLETED);
        assertThat(done.items()).extracting(OrderView.ItemView::status).containsOnly(ItemStatus.DONE);
        assertThat(done.items()).extracting(OrderView.ItemView::completedBy).containsExactly(ann, client, bob, bob);
        assertThat(done.items().get(0).completedAt()).isEqualTo(now.plusHours(5));
        assertThat(done.history()).filteredOn(e -> e.event().equals("ITEM_DONE")).extracting(OrderView.HistoryEntry::actor)
                .containsExactly(ann, client, bob, bob);
        assertThat(done.history()).extracting(OrderView.HistoryEntry::event).startsWith("OPENED").endsWith("COMPLETED");
        assertThat(notices(order, client)).containsExactly("CLIENT_TASK_ACTIVE", "ORDER_COMPLETED");
    }

    @Test
    void followsTheNewOrderWhenStaffReorderAndAddTasksOnARunningOrder() {
        OrderView order = place(null);
        ProcessInstance instance = instance(order.ref());
        long kickOff = itemId(order, "Kick-off call");
        long assets = itemId(order, "Collect brand assets");
        long review = itemId(order, "Internal review");
        long report = itemId(order, "Deliver the report");

        OrderView reordered = fixtures.as(bob, () -> orders.reorder(order.ref(), new ChecklistOrderService.Reorder(List.of(review, kickOff, assets, report))));

        assertThat(reordered.items()).extracting(OrderView.ItemView::name)
                .containsExactly("Internal review", "Kick-off call", "Collect brand assets", "Deliver the report");
        assertThat(active(reordered)).isEqualTo("Internal review");
        assertThat(openTask(instance).getName()).startsWith("Internal review " + order.ref() + " · ");
        assertThat(candidates(openTask(instance))).containsExactly(bob);
        assertThat(taskService.createTaskQuery().processInstanceId(instance.getId()).count()).isOne();

        long extra = seo.library().get(0).id();
        OrderView added = fixtures.as(ann, () -> orders.addItem(order.ref(), new TaskInput(null, extra, null, null, null, null, null, null, null, 1)));
        assertThat(added.items()).extracting(OrderView.ItemView::name)
                .containsExactly("Extra audit", "Internal review", "Kick-off call", "Collect brand assets", "Deliver the report");
        assertThat(openTask(instance).getName()).startsWith("Extra audit " + order.ref() + " · ");

        fixtures.as(ann, () -> orders.addItem(order.ref(), new TaskInput(null, null, "Send the <strong>invoice</strong><script>alert(1)</script>",
                "Net <em>30</em><script>x()</script>", null, null, List.of(cid), false, false, null)));
        done(bob, order, "Extra audit");
        fixtures.as(bob, () -> orders.markDone(order.ref(), review));
        // the active item's team changes while it waits: the task is offered to the new team
        fixtures.as(ann, () -> orders.editItem(order.ref(), kickOff, task("Kick-off call", List.of(cid), true, false, 2, "ORDER")));
        assertThat(candidates(openTask(instance))).containsExactly(cid);
        fixtures.as(cid, () -> orders.markDone(order.ref(), kickOff));
        fixtures.as(client, () -> orders.markDone(order.ref(), assets));
        fixtures.as(ann, () -> orders.markDone(order.ref(), report));
        OrderView last = fixtures.as(ann, () -> orders.get(order.ref()));
        assertThat(active(last)).isEqualTo("Send the invoice");
        assertThat(last.items().get(5).description()).isEqualTo("Net <em>30</em>");
        fixtures.as(cid, () -> orders.markDone(order.ref(), last.items().get(5).id()));

        assertThat(instance).isEnded();
        assertThat(fixtures.as(ann, () -> orders.get(order.ref())).items()).extracting(OrderView.ItemView::completedBy)
                .containsExactly(bob, bob, cid, client, ann, cid);
    }

    @Test
    void showsTheClientOnlyPortalTasksAndEachOnlyWhenEveryTaskBeforeItIsDone() {
        OrderView order = place(null);

        assertThat(clientSees(order)).containsExactly("Kick-off call");
        assertThat(fixtures.as(client, () -> orders.get(order.ref())).history()).isNull();
        done(ann, order, "Kick-off call");
        assertThat(clientSees(order)).containsExactly("Kick-off call", "Collect brand assets");
        assertThatThrownBy(() -> done(client, order, "Deliver the report"))
                .isInstanceOf(NotFoundException.class);
        done(client, order, "Collect brand assets");

        // a team task that is not visible in the portal holds back the visible ones after it
        assertThat(clientSees(order)).containsExactly("Kick-off call", "Collect brand assets");
        assertThatThrownBy(() -> done(client, order, "Internal review"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> done(ann, order, "Deliver the report"))
                .isInstanceOf(ConflictException.class);
        done(bob, order, "Internal review");
        assertThat(clientSees(order)).containsExactly("Kick-off call", "Collect brand assets", "Deliver the report");
        assertThatThrownBy(() -> done(client, order, "Deliver the report"))
                .isInstanceOf(ForbiddenException.class);
        assertThat(taskService.createTaskQuery().taskAssignee(client).count()).isZero();

        assertThatThrownBy(() -> fixtures.as(stranger, () -> orders.get(order.ref()))).isInstanceOf(NotFoundException.class);
        String otherAgencyStaff = fixtures.company("other")[1];
        assertThatThrownBy(() -> fixtures.as(otherAgencyStaff, () -> orders.get(order.ref()))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void reopensARecurringOrderEachCycleWithTheTeamsOfTheServiceAsItIsNow() {
        OrderView order = place("P1M");
        ProcessInstance instance = instance(order.ref());
        assertThat(instance).isWaitingAt(OrderChecklistProcess.TASK_DO_RECURRING_CHECKLIST_TASK);
        assertThat(order.nextCycleAt()).isEqualTo(now.plusMonths(1));
        completeAll(order);
        assertThat(fixtures.as(ann, () -> orders.get(order.ref())).status()).isEqualTo(OrderStatus.COMPLETED);
        assertThat(instance).isWaitingAt(OrderChecklistProcess.TIMER_NEXT_CYCLE);

        // the service changes: the kick-off goes to cid, a task is added, the review leaves the service
        AgencyServices.ServiceView current = fixtures.as(ann, () -> services.get(seo.ref()));
        List<AgencyServices.TemplateView> t = current.tasks();
        fixtures.as(ann, () -> services.replaceTasks(seo.ref(), new AgencyServices.ServiceInput(null, List.of(
                keep(t.get(0), List.of(cid)), keep(t.get(1), List.of()), keep(t.get(3), List.of(ann, bob)),
                task("Monthly call", List.of(cid), true, false, null, null)), List.of())));

        ClockUtil.setCurrentTime(Date.from(now.plusMonths(1).plusMinutes(1).toInstant()));
        managementService.executeJob(timer(instance, OrderChecklistProcess.TIMER_NEXT_CYCLE).getId());

        OrderView reopened = fixtures.as(ann, () -> orders.get(order.ref()));
        assertThat(reopened.status()).isEqualTo(OrderStatus.OPEN);
        assertThat(reopened.cycle()).isEqualTo(2);
        assertThat(reopened.cycleStartedAt()).isEqualTo(now.plusMonths(1));
        assertThat(reopened.nextCycleAt()).isEqualTo(now.plusMonths(2));
        assertThat(reopened.items()).extracting(OrderView.ItemView::name)
                .containsExactly("Kick-off call", "Collect brand assets", "Internal review", "Deliver the report");
        assertThat(reopened.items()).extracting(OrderView.ItemView::status).containsOnly(ItemStatus.OPEN);
        assertThat(reopened.items().get(0).assignees()).containsExactly(cid);
        assertThat(reopened.items().get(2).assignees()).as("removed from the service: keeps its team").containsExactly(bob);
        assertThat(candidates(openTask(instance))).containsExactly(cid);
        assertThat(openTask(instance).getDueDate()).isEqualTo(Date.from(now.plusMonths(1).plusDays(2).toInstant()));

        OrderView newOrder = place(null);
        assertThat(newOrder.items()).extracting(OrderView.ItemView::name)
                .containsExactly("Kick-off call", "Collect brand assets", "Deliver the report", "Monthly call");

        // the next cycle ends with tasks still open: it reopens them all the same
        done(cid, order, "Kick-off call");
        ClockUtil.setCurrentTime(Date.from(now.plusMonths(2).plusMinutes(1).toInstant()));
        managementService.executeJob(timer(instance, OrderChecklistProcess.TIMER_BILLING_CYCLE).getId());
        OrderView third = fixtures.as(ann, () -> orders.get(order.ref()));
        assertThat(third.cycle()).isEqualTo(3);
        assertThat(third.items()).extracting(OrderView.ItemView::status).containsOnly(ItemStatus.OPEN);
        assertThat(active(third)).isEqualTo("Kick-off call");
        assertThat(instance).isWaitingAt(OrderChecklistProcess.TASK_DO_RECURRING_CHECKLIST_TASK);
        // the client task of the second cycle was announced again, once
        assertThat(notices(order, client)).containsExactly("CLIENT_TASK_ACTIVE", "ORDER_COMPLETED", "CLIENT_TASK_ACTIVE");
    }

    @Test
    void cancelsAnOpenOrderAndTellsTheClient() {
        OrderView order = place(null);
        ProcessInstance instance = instance(order.ref());
        assertThatThrownBy(() -> fixtures.as(client, () -> orders.cancel(order.ref()))).isInstanceOf(ForbiddenException.class);

        OrderView cancelled = fixtures.as(bob, () -> orders.cancel(order.ref()));

        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(instance).hasPassed(OrderChecklistProcess.END_ORDER_CANCELLED).isEnded();
        assertThat(notices(order, client)).containsExactly("ORDER_CANCELLED");
        assertThatThrownBy(() -> done(ann, order, "Kick-off call"))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(bob, () -> orders.cancel(order.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(bob, () -> orders.addItem(order.ref(), task("Late", List.of(bob), false, false, null, null))))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void refusesAnInvalidOrderNamingEachProblemAndLeavesNothingBehind() {
        long rows = jdbc.sql("select count(*) from checklist_order").query(Long.class).single();
        long instances = runtimeService.createProcessInstanceQuery().processDefinitionKey(OrderChecklistProcess.KEY).count();
        Map<String, Object> variables = new HashMap<>();
        variables.put(OrderChecklistProcess.VAR_SERVICE_REF, seo.ref());
        variables.put(OrderChecklistProcess.VAR_CLIENT_ID, ann);
        variables.put(OrderChecklistProcess.VAR_BILLING_CYCLE, "monthly");
        variables.put(OrderChecklistProcess.VAR_COLLABORATORS, bob + "," + stranger);

        assertThatThrownBy(() -> fixtures.as(ann, () -> runtimeService.startProcessInstanceByKey(OrderChecklistProcess.KEY, variables)))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("clientId", "billingCycle", "collaborators"));
        assertThatThrownBy(() -> fixtures.as(ann, () -> services.create(agency, new AgencyServices.ServiceInput("", List.of(
                task("", List.of(stranger), false, false, 400, "LATER")), null))))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("title", "tasks[0].name", "tasks[0].assignees", "tasks[0].deadlineDays", "tasks[0].deadlineFrom"));
        variables.put(OrderChecklistProcess.VAR_CLIENT_ID, client);
        variables.remove(OrderChecklistProcess.VAR_BILLING_CYCLE);
        variables.remove(OrderChecklistProcess.VAR_COLLABORATORS);
        String outsider = fixtures.company("other")[1];
        assertThatThrownBy(() -> fixtures.as(outsider, () -> runtimeService.startProcessInstanceByKey(OrderChecklistProcess.KEY, variables)))
                .isInstanceOf(org.camunda.bpm.engine.AuthorizationException.class);

        assertThat(jdbc.sql("select count(*) from checklist_order").query(Long.class).single()).isEqualTo(rows);
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(OrderChecklistProcess.KEY).count()).isEqualTo(instances);
    }

    private OrderView place(String billingCycle) {
        return fixtures.as(ann, () -> orders.place(seo.ref(), new ChecklistOrderService.PlaceOrder(client, List.of(bob), billingCycle, null, null)));
    }

    private void completeAll(OrderView order) {
        done(ann, order, "Kick-off call");
        done(client, order, "Collect brand assets");
        done(bob, order, "Internal review");
        done(ann, order, "Deliver the report");
    }

    private OrderView done(String user, OrderView order, String itemName) {
        long id = itemId(order, itemName);
        return fixtures.as(user, () -> orders.markDone(order.ref(), id));
    }

    static TaskInput task(String name, List<String> assignees, boolean visible, boolean client, Integer days, String from) {
        return new TaskInput(null, null, name, "<em>" + name + "</em>", days, from, assignees, visible, client, null);
    }

    private static TaskInput keep(AgencyServices.TemplateView t, List<String> assignees) {
        return new TaskInput(t.id(), null, t.name(), t.description(), t.deadlineDays(), t.deadlineFrom(), assignees, t.visibleInPortal(),
                t.clientTask(), null);
    }

    private long itemId(OrderView order, String name) {
        return fixtures.as(ann, () -> orders.get(order.ref())).items().stream().filter(i -> i.name().equals(name)).findFirst()
                .orElseThrow().id();
    }

    private static String active(OrderView order) {
        return order.items().stream().filter(OrderView.ItemView::active).map(OrderView.ItemView::name).findFirst().orElse(null);
    }

    private List<String> clientSees(OrderView order) {
        return fixtures.as(client, () -> orders.get(order.ref())).items().stream().map(OrderView.ItemView::name).toList();
    }

    private ProcessInstance instance(String ref) {
        return runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(ref).singleResult();
    }

    private Task openTask(ProcessInstance instance) {
        return taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
    }

    private List<String> candidates(Task task) {
        return taskService.getIdentityLinksForTask(task.getId()).stream().filter(l -> "candidate".equals(l.getType()))
                .map(IdentityLink::getUserId).filter(u -> u != null).toList();
    }

    private Job timer(ProcessInstance instance, String activityId) {
        return managementService.createJobQuery().processInstanceId(instance.getId()).timers().activityId(activityId).singleResult();
    }

    private List<String> notices(OrderView order, String user) {
        return jdbc.sql("select event from notification where reference = :ref and recipient_id = :user order by id")
                .param("ref", OrderChecklistProcess.reference(order.ref())).param("user", user).query(String.class).list();
    }
}
