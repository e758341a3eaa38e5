package io.gigflow.checklist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
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
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The attacks on order-checklist, each as a party would try it through the engine's own doors:
 * completing one's own task with planted routing and timer variables, completing somebody
 * else's item after it was handed over, sending the staff's messages. The rows decide: the
 * route, the billing cycle, who completes an item and who may change or cancel the order.
 *
 * <p>Where a test needs the engine to let a call through that Camunda's authorizations would
 * stop first (a message from somebody without UPDATE on the instance), it switches those checks
 * off for that one call: the lifecycle's own checks must refuse it by themselves.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class OrderChecklistAttackTest {

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired AgencyServices services;
    @Autowired ChecklistOrderService orders;
    @Autowired Ledger ledger;

    Fixtures fixtures;
    String agency;
    String ann;
    String bob;
    String client;
    String otherClient;
    String otherAgencyStaff;
    AgencyServices.ServiceView seo;
    OffsetDateTime now;

    @BeforeEach
    void givenAnAgencyWithAServiceOfATeamTaskAClientTaskAndATeamTask() {
        BpmnAwareTests.init(engine);
        now = OffsetDateTime.parse("2026-03-02T09:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now.toInstant()));
        fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("agency");
        agency = company[0];
        ann = company[1];
        bob = fixtures.member(agency);
        client = fixtures.client("cli");
        otherClient = fixtures.client("eve");
        otherAgencyStaff = fixtures.company("rival")[1];
        seo = fixtures.as(ann, () -> services.create(agency, new AgencyServices.ServiceInput("SEO setup", List.of(
                OrderChecklistProcessTest.task("Kick-off call", List.of(ann), true, false, 2, "ORDER"),
                OrderChecklistProcessTest.task("Collect brand assets", List.of(), true, true, 3, "PREVIOUS"),
                OrderChecklistProcessTest.task("Internal review", List.of(bob), false, false, null, null)), List.of())));
    }

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void aTeamMemberWhoPlantsRoutingAndTimerVariablesChangesNeitherTheRouteNorTheBillingCycle() {
        OrderView order = place("P1M");
        ProcessInstance instance = instance(order);
        assertThat(timer(instance).getDuedate()).isEqualTo(Date.from(now.plusMonths(1).toInstant()));

        completeWithPlanted(ann, order, Map.of("recurring", false, "itemLeft", false, "clientTask", false,
                "nextCycleAt", Date.from(now.toInstant())));

        Task clientStep = openTask(order);
        assertThat(clientStep.getTaskDefinitionKey()).isEqualTo(OrderChecklistProcess.TASK_DO_RECURRING_CHECKLIST_TASK);
        assertThat(clientStep.getName()).startsWith("Collect brand assets " + order.ref() + " · ");
        assertThat(clientStep.getAssignee()).isEqualTo(client);
        assertThat(timer(instance).getDuedate()).isEqualTo(Date.from(now.plusMonths(1).toInstant()));
        assertThat(fixtures.as(ann, () -> orders.get(order.ref())).status()).isEqualTo(OrderStatus.OPEN);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void anItemHandedToSomebodyElseIsStillCompletedOnlyByWhomItsRowNames() {
        OrderView order = place(null);
        Task teamStep = openTask(order);
        // a team task handed to the client, to a colleague outside its team, to another agency's staff
        for (String intruder : List.of(client, bob, otherAgencyStaff)) {
            taskService.addCandidateUser(teamStep.getId(), intruder);
            assertThatThrownBy(() -> fixtures.as(intruder, () -> taskService.complete(teamStep.getId(), Map.of("itemDone", true))))
                    .as(intruder).isInstanceOf(ForbiddenException.class);
        }
        fixtures.as(ann, () -> taskService.complete(teamStep.getId(), Map.of("itemDone", true)));

        Task clientStep = openTask(order);
        assertThat(clientStep.getAssignee()).isEqualTo(client);
        for (String intruder : List.of(ann, otherClient)) {
            taskService.setAssignee(clientStep.getId(), intruder);
            assertThatThrownBy(() -> fixtures.as(intruder, () -> taskService.complete(clientStep.getId(), Map.of("itemDone", true))))
                    .as(intruder).isInstanceOf(ForbiddenException.class);
        }

        OrderView card = fixtures.as(ann, () -> orders.get(order.ref()));
        assertThat(card.items()).extracting(OrderView.ItemView::status).containsExactly(ItemStatus.DONE, ItemStatus.OPEN, ItemStatus.OPEN);
        assertThat(card.items().get(1).active()).isTrue();
        assertThat(openTask(order).getId()).isEqualTo(clientStep.getId());
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void onlyTheAgencysStaffSendTheChecklistsMessagesEvenWhenTheEngineLetsThemThrough() {
        OrderView order = place("P1M");
        Task open = openTask(order);

        for (String sender : List.of(client, otherClient, otherAgencyStaff)) {
            for (String message : List.of(OrderChecklistProcess.MESSAGE_CHECKLIST_CHANGED, OrderChecklistProcess.MESSAGE_CHECKLIST_CANCELLED)) {
                assertThatThrownBy(() -> withoutEngineAuthorization(sender, () -> runtimeService.createMessageCorrelation(message)
                        .processInstanceBusinessKey(order.ref()).correlateWithResult())).as(sender + " " + message)
                        .isInstanceOf(ForbiddenException.class);
            }
        }

        assertThat(instance(order)).isWaitingAt(OrderChecklistProcess.TASK_DO_RECURRING_CHECKLIST_TASK);
        assertThat(openTask(order).getId()).isEqualTo(open.getId());
        assertThat(fixtures.as(ann, () -> orders.get(order.ref())).status()).isEqualTo(OrderStatus.OPEN);
        withoutEngineAuthorization(bob, () -> runtimeService.createMessageCorrelation(OrderChecklistProcess.MESSAGE_CHECKLIST_CANCELLED)
                .processInstanceBusinessKey(order.ref()).correlateWithResult());
        assertThat(fixtures.as(ann, () -> orders.get(order.ref())).status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    // ---- helpers

    private OrderView place(String billingCycle) {
        return fixtures.as(ann, () -> orders.place(seo.ref(), new ChecklistOrderService.PlaceOrder(client, List.of(), billingCycle, null, null)));
    }

    /**
     * Completes the open task as the user with planted variables beside itemDone: the engine's
     * input guard refuses them (400). They are then written onto the instance anyway (as only an
     * operator could) and the task is completed with itemDone alone: the test then shows that
     * nothing reads them.
     */
    private void completeWithPlanted(String user, OrderView order, Map<String, Object> planted) {
        Task task = openTask(order);
        Map<String, Object> all = new HashMap<>(planted);
        all.put(OrderChecklistProcess.VAR_ITEM_DONE, true);
        assertThatThrownBy(() -> fixtures.as(user, () -> taskService.complete(task.getId(), all)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(refused -> assertThat(planted.keySet()).anyMatch(refused.getMessage()::contains));
        runtimeService.setVariables(task.getProcessInstanceId(), planted);
        fixtures.as(user, () -> taskService.complete(task.getId(), Map.of(OrderChecklistProcess.VAR_ITEM_DONE, true)));
    }

    private void withoutEngineAuthorization(String user, Runnable call) {
        engine.getProcessEngineConfiguration().setAuthorizationEnabled(false);
        try {
            fixtures.as(user, call);
        } finally {
            engine.getProcessEngineConfiguration().setAuthorizationEnabled(true);
        }
    }

    private ProcessInstance instance(OrderView order) {
        return runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(order.ref()).singleResult();
    }

    private Task openTask(OrderView order) {
        return taskService.createTaskQuery().processInstanceBusinessKey(order.ref()).singleResult();
    }

    private org.camunda.bpm.engine.runtime.Job timer(ProcessInstance instance) {
        return managementService.createJobQuery().processInstanceId(instance.getId()).timers()
                .activityId(OrderChecklistProcess.TIMER_BILLING_CYCLE).singleResult();
    }
}
