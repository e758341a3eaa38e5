package io.gigflow.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Currency;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The attacks on service-order, each as a party would try it through the engine's own doors:
 * completing one's own step with planted variables, completing the other party's step after
 * it was handed over, sending the other party's messages. Whatever is planted, the other
 * party's step stays theirs, the timers stay the row's, and no money moves.
 *
 * <p>Where a test needs the engine to let a call through that Camunda's authorizations would
 * stop first (a message from a party without UPDATE on the instance), it switches those checks
 * off for that one call: the lifecycle's own checks must refuse it by themselves.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class ServiceOrderAttackTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired ServiceCatalog catalog;
    @Autowired ServiceOrderService orders;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;
    @Autowired ServiceOrderRepository repository;

    Fixtures fixtures;
    String provider;
    String customer;
    String stranger;
    ServiceCatalog.Offering logo;
    OffsetDateTime now;

    @BeforeEach
    void givenAProviderWithAServiceAndACustomerWithMoney() {
        now = OffsetDateTime.parse("2026-03-02T09:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now.toInstant()));
        fixtures = new Fixtures(identityService);
        provider = fixtures.provider("pia");
        customer = fixtures.customer("carl");
        stranger = fixtures.customer("eve");
        logo = fixtures.as(provider, () -> catalog.publish(new ServiceCatalog.NewOffering("Logo design", null, "100.00", "EUR", 5, null)));
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.user(customer), Money.of("500.00", "EUR"), "Top-up");
    }

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void aProviderWhoNamesHerselfCustomerOnStartWorkCannotConfirmHerOwnDelivery() {
        OrderView order = place();
        completeWithPlanted(provider, ServiceOrderProcess.TASK_START_WORK, order, Map.of("startWork", true),
                Map.of("customerId", provider, "providerId", provider, "deliveryDecision", "CONFIRM"));
        completeWithPlanted(provider, ServiceOrderProcess.TASK_DELIVER_ORDER, order, Map.of("deliveryMessage", "Done"),
                Map.of("customerId", provider, "deliveryDecision", "CONFIRM"));

        Task confirm = openTask(order, ServiceOrderProcess.TASK_CONFIRM_DELIVERY);
        assertThat(confirm.getAssignee()).isEqualTo(customer);
        assertThatThrownBy(() -> completeAs(provider, ServiceOrderProcess.TASK_CONFIRM_DELIVERY, order, Map.of("deliveryDecision", "CONFIRM")))
                .isInstanceOfAny(AuthorizationException.class, ForbiddenException.class);
        // even when the step is handed to her (PUT /engine-rest/task/{id} did that), the row decides who confirms
        taskService.setAssignee(confirm.getId(), provider);
        assertThatThrownBy(() -> completeAs(provider, ServiceOrderProcess.TASK_CONFIRM_DELIVERY, order, Map.of("deliveryDecision", "CONFIRM")))
                .isInstanceOf(ForbiddenException.class);
        taskService.setAssignee(confirm.getId(), stranger);
        assertThatThrownBy(() -> completeAs(stranger, ServiceOrderProcess.TASK_CONFIRM_DELIVERY, order, Map.of("deliveryDecision", "CONFIRM")))
                .isInstanceOf(ForbiddenException.class);
        Jobs.run(managementService, order(order).processInstanceId());

        assertThat(order(order).status()).isEqualTo(OrderStatus.DELIVERED);
        assertThat(openTask(order, ServiceOrderProcess.TASK_CONFIRM_DELIVERY).getId()).isEqualTo(confirm.getId());
        assertBalances("400.00", "100.00", "0.00", order);
    }

    @Test
    void aProviderWhoDeliversWithAOneSecondConfirmationTimeoutWaitsTheCustomersFullPeriod() {
        OrderView order = place();
        completeWithPlanted(provider, ServiceOrderProcess.TASK_START_WORK, order, Map.of("startWork", true),
                Map.of("confirmationTimeout", "PT1S", "requestAnswerTimeout", "PT1S", "dueDate", Date.from(now.toInstant())));
        completeWithPlanted(provider, ServiceOrderProcess.TASK_DELIVER_ORDER, order, Map.of("deliveryMessage", "Done"),
                Map.of("confirmationTimeout", "PT1S"));

        Job autoComplete = timer(order, ServiceOrderProcess.TIMER_AUTO_COMPLETE);
        assertThat(autoComplete.getDuedate()).isEqualTo(Date.from(now.plusDays(3).toInstant()));
        // fired early all the same (by an operator, or a door that let a party run it): the release checks the row
        ClockUtil.setCurrentTime(Date.from(now.plusMinutes(1).toInstant()));
        managementService.executeJob(autoComplete.getId());
        Job release = managementService.createJobQuery().processInstanceId(order(order).processInstanceId())
                .activityId(ServiceOrderProcess.TASK_RELEASE_ESCROW).singleResult();
        assertThatThrownBy(() -> managementService.executeJob(release.getId())).hasMessageContaining("released only");

        assertThat(order(order).status()).isEqualTo(OrderStatus.DELIVERED);
        assertBalances("400.00", "100.00", "0.00", order);
    }

    @Test
    void aCustomerCannotShortenTheProvidersStartDeadlineNorBeRefundedBeforeIt() {
        assertThatThrownBy(() -> start(Map.of("startDeadline", "PT1S")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("startDeadline");
        OrderView order = start(Map.of("startDeadline", "P2D"));
        assertThat(timer(order, ServiceOrderProcess.TIMER_START_DEADLINE).getDuedate()).isEqualTo(Date.from(now.plusDays(2).toInstant()));
        assertThat(order(order).startDeadlineAt()).isEqualTo(now.plusDays(2));

        managementService.executeJob(timer(order, ServiceOrderProcess.TIMER_START_DEADLINE).getId());
        Job refund = managementService.createJobQuery().processInstanceId(order(order).processInstanceId())
                .activityId(ServiceOrderProcess.TASK_CANCEL_UNSTARTED_ORDER).singleResult();
        assertThatThrownBy(() -> managementService.executeJob(refund.getId())).hasMessageContaining("cannot be refunded");

        assertThat(order(order).status()).isEqualTo(OrderStatus.AWAITING_START);
        assertBalances("400.00", "100.00", "0.00", order);
    }

    @Test
    void theCustomerPaysTheRequestAsStoredWhenItArrivedWhateverTheVariablesSayLater() {
        OrderView order = started();
        requestExtraWithPlanted(order, Map.of("extraDescription", "A favicon", "extraDays", 1, "extraPrice", "25.00"),
                Map.of("requestDecision", "ACCEPT"));
        // variables that a later writer could change before the provider answers
        runtimeService.setVariable(order(order).processInstanceId(), "extraPrice", "1.00");
        runtimeService.setVariable(order(order).processInstanceId(), "extraDays", 300);

        long requestId = fixtures.as(customer, () -> orders.get(order.ref())).requests().get(0).id();
        OrderView resumed = fixtures.as(provider, () -> orders.answerRequest(order.ref(), requestId, true, null));

        assertThat(resumed.requests().get(0).status()).isEqualTo("ACCEPTED");
        assertThat(resumed.dueAt()).isEqualTo(now.plusDays(6));
        assertBalances("375.00", "125.00", "0.00", order);
    }

    @Test
    void aPlantedAcceptDoesNotChargeARequestTheProviderDeclined() {
        OrderView order = started();
        requestExtraWithPlanted(order, Map.of("extraDescription", "More", "extraDays", 1, "extraPrice", "25.00"),
                Map.of("requestDecision", "ACCEPT"));

        completeAs(provider, ServiceOrderProcess.TASK_REVIEW_EXTRA_REQUEST, order, Map.of("requestDecision", "DECLINE"));

        assertThat(fixtures.as(customer, () -> orders.get(order.ref())).requests().get(0).status()).isEqualTo("DECLINED");
        assertBalances("400.00", "100.00", "0.00", order);
    }

    @Test
    void onlyTheCustomerSendsTheCustomersMessagesEvenWhenTheEngineLetsThemThrough() {
        OrderView order = started();
        ClockUtil.setCurrentTime(Date.from(now.plusDays(6).toInstant()));
        managementService.executeJob(timer(order, ServiceOrderProcess.TIMER_DUE_DATE).getId());
        Jobs.run(managementService, order(order).processInstanceId());
        assertThat(order(order).late()).isTrue();

        for (String sender : List.of(provider, stranger)) {
            assertThatThrownBy(() -> withoutEngineAuthorization(sender, () -> runtimeService
                    .createMessageCorrelation(ServiceOrderProcess.MESSAGE_LATE_CANCELLATION_REQUESTED)
                    .processInstanceBusinessKey(order.ref()).correlateWithResult())).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> withoutEngineAuthorization(sender, () -> runtimeService
                    .createMessageCorrelation(ServiceOrderProcess.MESSAGE_EXTRA_REQUESTED).processInstanceBusinessKey(order.ref())
                    .setVariables(Map.of("extraDescription", "x", "extraDays", 0, "extraPrice", "1.00")).correlateWithResult()))
                    .isInstanceOf(ForbiddenException.class);
        }
        Jobs.run(managementService, order(order).processInstanceId());

        assertThat(order(order).status()).isEqualTo(OrderStatus.IN_PROGRESS);
        assertThat(fixtures.as(customer, () -> orders.get(order.ref())).requests()).isEmpty();
        assertBalances("400.00", "100.00", "0.00", order);
    }

    @Test
    void aCompletionOfTheOtherPartysStepIsRefusedWhoeverHandedItOver() {
        OrderView order = place();
        Task start = openTask(order, ServiceOrderProcess.TASK_START_WORK);
        taskService.setAssignee(start.getId(), customer);
        assertThatThrownBy(() -> completeAs(customer, ServiceOrderProcess.TASK_START_WORK, order, Map.of("startWork", true)))
                .isInstanceOf(ForbiddenException.class);
        taskService.setAssignee(start.getId(), provider);
        completeAs(provider, ServiceOrderProcess.TASK_START_WORK, order, Map.of("startWork", true));
        fixtures.as(customer, () -> orders.requestExtra(order.ref(), new ServiceOrderService.ExtraRequest("More", 1, "25.00")));

        Task review = openTask(order, ServiceOrderProcess.TASK_REVIEW_EXTRA_REQUEST);
        assertThat(review.getAssignee()).isEqualTo(provider);
        taskService.setAssignee(review.getId(), customer);
        assertThatThrownBy(() -> completeAs(customer, ServiceOrderProcess.TASK_REVIEW_EXTRA_REQUEST, order,
                Map.of("requestDecision", "ACCEPT"))).isInstanceOf(ForbiddenException.class);

        assertThat(order(order).status()).isEqualTo(OrderStatus.PAUSED);
        assertThat(fixtures.as(customer, () -> orders.get(order.ref())).requests().get(0).status()).isEqualTo("PENDING");
        assertBalances("400.00", "100.00", "0.00", order);
    }

    @Test
    void aDeliveryNamingAnotherOrdersFileIsRefusedAndAPlantedFileDoesNotBlockTheNextDelivery() {
        OrderView other = started();
        String file = Base64.getEncoder().encodeToString("another order's file".getBytes());
        OrderView delivered = fixtures.as(provider, () -> orders.deliver(other.ref(), new ServiceOrderService.Delivery("Other",
                new ServiceOrderService.Attachment("other.txt", "text/plain", file))));
        long otherFile = delivered.attachments().get(0).id();
        OrderView order = started();

        assertThatThrownBy(() -> completeAs(provider, ServiceOrderProcess.TASK_DELIVER_ORDER, order,
                Map.of("deliveryMessage", "Here", "deliveryFileId", otherFile)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("deliveryFileId");
        assertThat(order(order).status()).isEqualTo(OrderStatus.IN_PROGRESS);

        fixtures.as(provider, () -> orders.deliver(order.ref(), new ServiceOrderService.Delivery("First", null)));
        completeWithPlanted(customer, ServiceOrderProcess.TASK_CONFIRM_DELIVERY, order, Map.of("deliveryDecision", "REVISION"),
                Map.of("deliveryFileId", otherFile, "deliveryMessage", "planted by the customer"));
        OrderView again = fixtures.as(provider, () -> orders.deliver(order.ref(), new ServiceOrderService.Delivery("Second", null)));

        assertThat(again.status()).isEqualTo(OrderStatus.DELIVERED);
        assertThat(again.deliveryMessage()).isEqualTo("Second");
        assertThat(again.attachments()).isEmpty();
        assertBalances("300.00", "100.00", "0.00", order);
    }

    @Test
    void aStepFromAnotherStateIsAConflictNotAMoveOfMoney() {
        OrderView order = started();
        assertThatThrownBy(() -> fixtures.as(customer, () -> orders.confirm(order.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(customer, () -> orders.cancelLate(order.ref()))).isInstanceOf(ConflictException.class);
        assertBalances("400.00", "100.00", "0.00", order);
    }

    // ---- helpers

    private OrderView place() {
        return fixtures.as(customer, () -> orders.place(logo.ref(), new ServiceOrderService.PlaceOrder(null, null)));
    }

    private OrderView started() {
        OrderView placed = place();
        return fixtures.as(provider, () -> orders.startWork(placed.ref()));
    }

    private OrderView start(Map<String, Object> extra) {
        Map<String, Object> variables = new HashMap<>(extra);
        variables.put("customerId", customer);
        variables.put("serviceRef", logo.ref());
        String id = fixtures.as(customer, () -> runtimeService.startProcessInstanceByKey(ServiceOrderProcess.KEY, variables).getId());
        String ref = jdbc.sql("select ref from service_order where process_instance_id = :pi").param("pi", id).query(String.class).single();
        return fixtures.as(customer, () -> orders.get(ref));
    }

    /** Completes the open step as the user, through the engine (the call Tasklist and /engine-rest make). */
    private void completeAs(String user, String step, OrderView order, Map<String, Object> variables) {
        Task task = openTask(order, step);
        fixtures.as(user, () -> taskService.complete(task.getId(), variables));
    }

    /**
     * Completes the step as the user with planted variables beside its own: the engine's input
     * guard refuses them (400). They are then written onto the instance anyway (as only an
     * operator could) and the step is completed with its own: the test then shows that nothing
     * reads them.
     */
    private void completeWithPlanted(String user, String step, OrderView order, Map<String, Object> own, Map<String, Object> planted) {
        Map<String, Object> all = new HashMap<>(own);
        all.putAll(planted);
        assertThatThrownBy(() -> completeAs(user, step, order, all)).isInstanceOf(InvalidInputException.class)
                .satisfies(refused -> assertThat(planted.keySet()).anyMatch(refused.getMessage()::contains));
        runtimeService.setVariables(order(order).processInstanceId(), planted);
        completeAs(user, step, order, own);
    }

    /** The customer's ExtraRequested with planted variables beside its own (see {@link #completeWithPlanted}). */
    private void requestExtraWithPlanted(OrderView order, Map<String, Object> own, Map<String, Object> planted) {
        Map<String, Object> all = new HashMap<>(own);
        all.putAll(planted);
        assertThatThrownBy(() -> correlateAs(customer, order, all)).isInstanceOf(InvalidInputException.class)
                .satisfies(refused -> assertThat(planted.keySet()).anyMatch(refused.getMessage()::contains));
        runtimeService.setVariables(order(order).processInstanceId(), planted);
        correlateAs(customer, order, own);
    }

    private void correlateAs(String user, OrderView order, Map<String, Object> variables) {
        fixtures.as(user, () -> runtimeService.createMessageCorrelation(ServiceOrderProcess.MESSAGE_EXTRA_REQUESTED)
                .processInstanceBusinessKey(order.ref()).setVariables(variables).correlateWithResult());
    }

    private void withoutEngineAuthorization(String user, Runnable call) {
        engine.getProcessEngineConfiguration().setAuthorizationEnabled(false);
        try {
            fixtures.as(user, call);
        } finally {
            engine.getProcessEngineConfiguration().setAuthorizationEnabled(true);
        }
    }

    private Task openTask(OrderView order, String step) {
        return taskService.createTaskQuery().processInstanceId(order(order).processInstanceId()).taskDefinitionKey(step).singleResult();
    }

    /** The order's row as it is now. */
    private ServiceOrder order(OrderView view) {
        return repository.find(view.ref()).orElseThrow();
    }

    private Job timer(OrderView order, String activityId) {
        return managementService.createJobQuery().processInstanceId(order(order).processInstanceId()).timers().activityId(activityId)
                .singleResult();
    }

    /** The customer's balance, the order's escrow and the provider's balance, and a ledger that adds up. */
    private void assertBalances(String customerBalance, String escrow, String providerBalance, OrderView order) {
        assertThat(ledger.balance(AccountRef.user(customer), EUR).toDecimalString()).isEqualTo(customerBalance);
        assertThat(ledger.balance(AccountRef.escrow(ServiceOrderProcess.reference(order.ref())), EUR).toDecimalString()).isEqualTo(escrow);
        assertThat(ledger.balance(AccountRef.user(provider), EUR).toDecimalString()).isEqualTo(providerBalance);
        assertThat(ledger.invariantViolations()).isEmpty();
    }
}
