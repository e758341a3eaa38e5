package io.gigflow.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Every path of service-order, driven as customer and provider drive it, with the job
 * executor off so that the test fires timers and runs asynchronous steps itself.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class ServiceOrderProcessTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired ServiceCatalog catalog;
    @Autowired ServiceOrderService orders;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

    Fixtures fixtures;
    String provider;
    String customer;
    ServiceCatalog.Offering logo;
    OffsetDateTime now;

    @BeforeEach
    void givenAProviderWithAServiceAndACustomerWithMoney() {
        BpmnAwareTests.init(engine);
        now = OffsetDateTime.parse("2026-03-02T09:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now.toInstant()));
        fixtures = new Fixtures(identityService);
        provider = fixtures.provider("pia");
        customer = fixtures.customer("carl");
        logo = fixtures.as(provider, () -> catalog.publish(new ServiceCatalog.NewOffering("Logo design", "A <em>vector</em> logo",
                "100.00", "EUR", 5, List.of(new ServiceCatalog.NewOption("Source files", "20.00", 1),
                        new ServiceCatalog.NewOption("Express", "30.00", 0)))));
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.user(customer), Money.of("500.00", "EUR"), "Top-up");
    }

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void releasesTheEscrowToTheProviderWhenTheCustomerConfirms() {
        OrderView placed = place(logo.options().get(0).id());
        ProcessInstance instance = instance(placed.ref());
        assertThat(placed.status()).isEqualTo(OrderStatus.AWAITING_START);
        assertThat(placed.total()).isEqualTo("120.00");
        assertThat(balance(AccountRef.user(customer))).isEqualTo("380.00");
        assertThat(balance(escrow(placed))).isEqualTo("120.00");
        assertThat(instance).isWaitingAt(ServiceOrderProcess.TASK_START_WORK);

        OrderView started = fixtures.as(provider, () -> orders.startWork(placed.ref()));

        assertThat(started.status()).isEqualTo(OrderStatus.IN_PROGRESS);
        assertThat(started.dueAt()).isEqualTo(now.plusDays(6));
        assertThat(instance).isWaitingAt(ServiceOrderProcess.TASK_DELIVER_ORDER);
        assertThat(timer(instance, ServiceOrderProcess.TIMER_DUE_DATE).getDuedate()).isEqualTo(Date.from(now.plusDays(6).toInstant()));

        fixtures.as(provider, () -> orders.deliver(placed.ref(), new ServiceOrderService.Delivery("Here is your logo", null)));
        assertThat(fixtures.as(customer, () -> orders.get(placed.ref())).status()).isEqualTo(OrderStatus.DELIVERED);
        fixtures.as(customer, () -> orders.confirm(placed.ref()));
        executeJobs(instance);

        assertThat(instance).hasPassed(ServiceOrderProcess.TASK_RELEASE_ESCROW, ServiceOrderProcess.END_ORDER_DONE).isEnded();
        OrderView done = fixtures.as(customer, () -> orders.get(placed.ref()));
        assertThat(done.status()).isEqualTo(OrderStatus.DONE);
        assertThat(balance(AccountRef.user(provider))).isEqualTo("120.00");
        assertThat(balance(escrow(placed))).isEqualTo("0.00");
        assertThat(done.history()).extracting(OrderView.HistoryEntry::event)
                .containsExactly("PLACED", "STARTED", "DELIVERED", "CONFIRMED", "DONE");
        assertThat(notices(placed, provider)).contains("ORDER_PLACED", "ORDER_DONE");
        assertThat(notices(placed, customer)).contains("WORK_STARTED", "ORDER_DELIVERED", "ORDER_DONE");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void cancelsAndRefundsExactlyOnceWhenTheProviderDoesNotStartInTime() {
        OrderView placed = place();
        ProcessInstance instance = instance(placed.ref());
        Job deadline = timer(instance, ServiceOrderProcess.TIMER_START_DEADLINE);
        assertThat(deadline.getDuedate()).isEqualTo(Date.from(now.plusHours(24).toInstant()));
        moveClock(Duration.ofHours(24));

        managementService.executeJob(deadline.getId());
        executeJobs(instance);

        assertThat(instance).hasPassed(ServiceOrderProcess.TASK_CANCEL_UNSTARTED_ORDER, ServiceOrderProcess.END_ORDER_CANCELLED_NOT_STARTED).isEnded();
        OrderView cancelled = fixtures.as(customer, () -> orders.get(placed.ref()));
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.cancelReason()).isEqualTo("NOT_STARTED");
        assertThat(balance(AccountRef.user(customer))).isEqualTo("500.00");
        assertThat(refunds(placed)).isOne();
        assertThat(notices(placed, customer)).contains("ORDER_CANCELLED_NOT_STARTED");
        assertThat(notices(placed, provider)).contains("ORDER_CANCELLED_NOT_STARTED");
        assertThatThrownBy(() -> fixtures.as(provider, () -> orders.startWork(placed.ref()))).isInstanceOf(ConflictException.class);
    }

    @Test
    void endsInExactlyOneOutcomeWhenTheStartClickRacesTheDeadline() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                OrderView placed = place();
                ProcessInstance instance = instance(placed.ref());
                Job deadline = timer(instance, ServiceOrderProcess.TIMER_START_DEADLINE);
                moveClock(Duration.ofHours(24));
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> click = pool.submit(() -> {
                    go.await();
                    try {
                        fixtures.as(provider, () -> orders.startWork(placed.ref()));
                        return true;
                    } catch (ConflictException | org.camunda.bpm.engine.OptimisticLockingException lost) {
                        return false;
                    }
                });
                Future<Boolean> timerFired = pool.submit(() -> {
                    go.await();
                    try {
                        managementService.executeJob(deadline.getId());
                        return true;
                    } catch (RuntimeException lost) {
                        return false;
                    }
                });
                go.countDown();
                boolean started = click.get();
                boolean fired = timerFired.get();
                executeJobs(instance);

                OrderStatus status = fixtures.as(customer, () -> orders.get(placed.ref())).status();
                assertThat(started ^ fired).as("exactly one of the click and the timer wins").isTrue();
                assertThat(status).isEqualTo(started ? OrderStatus.IN_PROGRESS : OrderStatus.CANCELLED);
                assertThat(refunds(placed)).isEqualTo(started ? 0 : 1);
                assertThat(balance(escrow(placed))).isEqualTo(started ? "100.00" : "0.00");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void pausesForAnExtraRequestAndMovesTheDueDateByTheExtraDaysAndThePausedTime() {
        OrderView order = started();
        OffsetDateTime due = order.dueAt();
        moveClock(Duration.ofDays(1));

        OrderView paused = fixtures.as(customer, () -> orders.requestExtra(order.ref(), new ServiceOrderService.ExtraRequest("A favicon too", 2, "25.00")));

        assertThat(paused.status()).isEqualTo(OrderStatus.PAUSED);
        assertThat(instance(order.ref())).isWaitingAt(ServiceOrderProcess.TASK_REVIEW_EXTRA_REQUEST);
        assertThatThrownBy(() -> fixtures.as(provider, () -> orders.deliver(order.ref(), new ServiceOrderService.Delivery("early", null))))
                .isInstanceOf(ConflictException.class);
        moveClock(Duration.ofHours(5));

        long requestId = paused.requests().get(0).id();
        OrderView resumed = fixtures.as(provider, () -> orders.answerRequest(order.ref(), requestId, true, null));

        assertThat(resumed.status()).isEqualTo(OrderStatus.IN_PROGRESS);
        assertThat(resumed.dueAt()).isEqualTo(due.plusHours(5).plusDays(2));
        assertThat(resumed.requests().get(0).status()).isEqualTo("ACCEPTED");
        assertThat(resumed.requests().get(0).pausedSeconds()).isEqualTo(5 * 3600);
        assertThat(resumed.total()).isEqualTo("125.00");
        assertThat(balance(AccountRef.user(customer))).isEqualTo("375.00");
        assertThat(balance(escrow(order))).isEqualTo("125.00");
        assertThat(timer(instance(order.ref()), ServiceOrderProcess.TIMER_DUE_DATE).getDuedate())
                .isEqualTo(Date.from(due.plusHours(5).plusDays(2).toInstant()));
    }

    @Test
    void resumesWorkWithTheClockStoppedWhenARequestIsDeclined() {
        OrderView order = started();
        OffsetDateTime due = order.dueAt();
        OrderView paused = fixtures.as(customer, () -> orders.requestExtra(order.ref(), new ServiceOrderService.ExtraRequest("More colours", 1, "10.00")));
        moveClock(Duration.ofHours(3));

        OrderView resumed = fixtures.as(provider, () -> orders.answerRequest(order.ref(), paused.requests().get(0).id(), false, "Out of scope"));

        assertThat(resumed.status()).isEqualTo(OrderStatus.IN_PROGRESS);
        assertThat(resumed.dueAt()).isEqualTo(due.plusHours(3));
        assertThat(resumed.requests().get(0).status()).isEqualTo("DECLINED");
        assertThat(resumed.requests().get(0).answerReason()).isEqualTo("Out of scope");
        assertThat(balance(AccountRef.user(customer))).isEqualTo("400.00");
        assertThat(instance(order.ref())).isWaitingAt(ServiceOrderProcess.TASK_DELIVER_ORDER);

        OrderView second = fixtures.as(customer, () -> orders.requestExtra(order.ref(), new ServiceOrderService.ExtraRequest("Then a banner", 1, "15.00")));
        fixtures.as(provider, () -> orders.answerRequest(order.ref(), second.requests().get(1).id(), true, null));
        assertThat(fixtures.as(customer, () -> orders.get(order.ref())).requests()).extracting(OrderView.RequestView::status)
                .containsExactly("DECLINED", "ACCEPTED");
    }

    @Test
    void declinesARequestByItselfWhenTheProviderDoesNotAnswerInTime() {
        OrderView order = started();
        OffsetDateTime due = order.dueAt();
        fixtures.as(customer, () -> orders.requestExtra(order.ref(), new ServiceOrderService.ExtraRequest("Animated version", 3, "50.00")));
        Job answerDeadline = timer(instance(order.ref()), ServiceOrderProcess.TIMER_REQUEST_ANSWER_DEADLINE);
        assertThat(answerDeadline.getDuedate()).isEqualTo(Date.from(now.plusHours(48).toInstant()));
        moveClock(Duration.ofHours(48));

        managementService.executeJob(answerDeadline.getId());

        OrderView resumed = fixtures.as(customer, () -> orders.get(order.ref()));
        assertThat(resumed.status()).isEqualTo(OrderStatus.IN_PROGRESS);
        assertThat(resumed.requests().get(0).status()).isEqualTo("EXPIRED");
        assertThat(resumed.dueAt()).isEqualTo(due.plusHours(48));
        assertThat(balance(AccountRef.user(customer))).isEqualTo("400.00");
    }

    @Test
    void declinesAnAcceptedRequestTheCustomerCannotPayForAndChargesNothing() {
        OrderView order = started();
        OrderView paused = fixtures.as(customer, () -> orders.requestExtra(order.ref(), new ServiceOrderService.ExtraRequest("A whole brand book", 10, "450.00")));

        OrderView resumed = fixtures.as(provider, () -> orders.answerRequest(order.ref(), paused.requests().get(0).id(), true, null));

        assertThat(resumed.status()).isEqualTo(OrderStatus.IN_PROGRESS);
        assertThat(resumed.requests().get(0).status()).isEqualTo("DECLINED");
        assertThat(resumed.requests().get(0).answerReason()).contains("400.00 EUR").contains("450.00 EUR");
        assertThat(balance(AccountRef.user(customer))).isEqualTo("400.00");
        assertThat(resumed.dueAt()).isEqualTo(order.dueAt());
    }

    @Test
    void sendsTheDeliveryBackForARevisionAndThenCompletes() {
        OrderView order = started();
        fixtures.as(provider, () -> orders.deliver(order.ref(), new ServiceOrderService.Delivery("First draft", null)));

        OrderView revision = fixtures.as(customer, () -> orders.requestRevision(order.ref(), "Bigger letters"));

        assertThat(revision.status()).isEqualTo(OrderStatus.IN_PROGRESS);
        assertThat(instance(order.ref())).isWaitingAt(ServiceOrderProcess.TASK_DELIVER_ORDER);
        fixtures.as(provider, () -> orders.deliver(order.ref(), new ServiceOrderService.Delivery("Second draft", null)));
        fixtures.as(customer, () -> orders.confirm(order.ref()));
        executeJobs(instance(order.ref()));
        OrderView done = fixtures.as(provider, () -> orders.get(order.ref()));
        assertThat(done.status()).isEqualTo(OrderStatus.DONE);
        assertThat(done.deliveryMessage()).isEqualTo("Second draft");
        assertThat(notices(order, provider)).contains("REVISION_REQUESTED");
        assertThat(notices(order, customer).stream().filter("ORDER_DELIVERED"::equals)).hasSize(2);
    }

    @Test
    void completesByItselfWhenTheCustomerNeitherConfirmsNorSendsItBack() {
        OrderView order = started();
        fixtures.as(provider, () -> orders.deliver(order.ref(), new ServiceOrderService.Delivery("Done", null)));
        Job autoComplete = timer(instance(order.ref()), ServiceOrderProcess.TIMER_AUTO_COMPLETE);
        assertThat(autoComplete.getDuedate()).isEqualTo(Date.from(now.plusDays(3).toInstant()));
        moveClock(Duration.ofDays(3));

        managementService.executeJob(autoComplete.getId());
        executeJobs(instance(order.ref()));

        OrderView done = fixtures.as(provider, () -> orders.get(order.ref()));
        assertThat(done.status()).isEqualTo(OrderStatus.DONE);
        assertThat(done.history().get(done.history().size() - 1).detail()).contains("automatically");
        assertThat(balance(AccountRef.user(provider))).isEqualTo("100.00");
    }

    @Test
    void letsTheCustomerCancelALateOrderForAFullRefundIncludingExtras() {
        OrderView order = started();
        OrderView paused = fixtures.as(customer, () -> orders.requestExtra(order.ref(), new ServiceOrderService.ExtraRequest("Extra", 0, "40.00")));
        fixtures.as(provider, () -> orders.answerRequest(order.ref(), paused.requests().get(0).id(), true, null));
        assertThatThrownBy(() -> fixtures.as(customer, () -> orders.cancelLate(order.ref()))).isInstanceOf(ConflictException.class);
        ProcessInstance instance = instance(order.ref());
        moveClock(Duration.ofDays(6));

        managementService.executeJob(timer(instance, ServiceOrderProcess.TIMER_DUE_DATE).getId());
        executeJobs(instance);
        assertThat(fixtures.as(customer, () -> orders.get(order.ref())).late()).isTrue();
        assertThat(notices(order, customer)).containsOnlyOnce("ORDER_LATE");
        assertThat(instance).isWaitingAt(ServiceOrderProcess.TASK_DELIVER_ORDER);

        fixtures.as(customer, () -> orders.cancelLate(order.ref()));
        executeJobs(instance);

        assertThat(instance).hasPassed(ServiceOrderProcess.END_ORDER_CANCELLED_LATE).isEnded();
        OrderView cancelled = fixtures.as(customer, () -> orders.get(order.ref()));
        assertThat(cancelled.status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(cancelled.cancelReason()).isEqualTo("LATE");
        assertThat(balance(AccountRef.user(customer))).isEqualTo("500.00");
        assertThat(balance(AccountRef.user(provider))).isEqualTo("0.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void refusesAnInvalidOrderNamingEachProblemAndLeavesNothingBehind() {
        long before = jdbc.sql("select count(*) from service_order").query(Long.class).single();
        String pricey = fixtures.as(provider, () -> catalog.publish(new ServiceCatalog.NewOffering("Brand book", null, "900.00", "EUR", 10, null))).ref();

        assertThatThrownBy(() -> fixtures.as(customer, () -> orders.place(logo.ref(), new ServiceOrderService.PlaceOrder(List.of(999_999L), null))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("optionIds");
        assertThatThrownBy(() -> fixtures.as(customer, () -> orders.place(pricey, new ServiceOrderService.PlaceOrder(null, null))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("balance").hasMessageContaining("500.00 EUR");
        assertThatThrownBy(() -> fixtures.as(provider, () -> orders.place(logo.ref(), new ServiceOrderService.PlaceOrder(null, null))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("customerId");
        assertThatThrownBy(() -> runtimeService.startProcessInstanceByKey(ServiceOrderProcess.KEY,
                Map.of("customerId", customer, "serviceRef", logo.ref(), "startDeadline", "tomorrow")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("startDeadline");

        assertThat(jdbc.sql("select count(*) from service_order").query(Long.class).single()).isEqualTo(before);
        assertThat(balance(AccountRef.user(customer))).isEqualTo("500.00");
    }

    @Test
    void letsEachPartyDoOnlyItsOwnSteps() {
        OrderView placed = place();
        String stranger = fixtures.customer("eve");

        assertThatThrownBy(() -> fixtures.as(customer, () -> orders.startWork(placed.ref()))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(stranger, () -> orders.get(placed.ref()))).isInstanceOf(NotFoundException.class);
        fixtures.as(provider, () -> orders.startWork(placed.ref()));
        assertThatThrownBy(() -> fixtures.as(provider, () -> orders.requestExtra(placed.ref(),
                new ServiceOrderService.ExtraRequest("x", 1, "1.00")))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(stranger, () -> runtimeService.createMessageCorrelation(ServiceOrderProcess.MESSAGE_EXTRA_REQUESTED)
                .processInstanceBusinessKey(placed.ref()).setVariable("extraDescription", "x").correlate()))
                .isInstanceOf(ForbiddenException.class);
        assertThat(fixtures.as(customer, () -> orders.get(placed.ref())).status()).isEqualTo(OrderStatus.IN_PROGRESS);
    }

    // ---- helpers

    private OrderView place(Long... optionIds) {
        return fixtures.as(customer, () -> orders.place(logo.ref(), new ServiceOrderService.PlaceOrder(List.of(optionIds), null)));
    }

    private OrderView started() {
        OrderView placed = place();
        return fixtures.as(provider, () -> orders.startWork(placed.ref()));
    }

    private void moveClock(Duration by) {
        now = now.plus(by);
        ClockUtil.setCurrentTime(Date.from(now.toInstant()));
    }

    private ProcessInstance instance(String ref) {
        String id = jdbc.sql("select process_instance_id from service_order where ref = :ref").param("ref", ref).query(String.class).single();
        return runtimeService.createProcessInstanceQuery().processInstanceId(id).singleResult() != null
                ? runtimeService.createProcessInstanceQuery().processInstanceId(id).singleResult()
                : Jobs.ended(id, ServiceOrderProcess.KEY, ref);
    }

    private Job timer(ProcessInstance instance, String activityId) {
        return managementService.createJobQuery().processInstanceId(instance.getId()).timers().activityId(activityId).singleResult();
    }

    private static AccountRef escrow(OrderView order) {
        return AccountRef.escrow("service-order:" + order.ref());
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, EUR).toDecimalString();
    }

    private long refunds(OrderView order) {
        return jdbc.sql("select count(*) from ledger_transfer where idempotency_key = :k")
                .param("k", "service-order:" + order.ref() + ":refund").query(Long.class).single();
    }

    private List<String> notices(OrderView order, String user) {
        return jdbc.sql("select event from notification where recipient_id = :user and reference = :ref order by id")
                .param("user", user).param("ref", "service-order:" + order.ref()).query(String.class).list();
    }

    private void executeJobs(ProcessInstance instance) {
        Jobs.run(managementService, instance.getId());
    }
}
