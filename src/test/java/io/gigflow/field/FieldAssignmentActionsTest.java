package io.gigflow.field;

import static io.gigflow.field.FieldActionProcess.*;
import static io.gigflow.field.FieldAssignmentProcess.TASK_REVIEW_REQUEST;
import static io.gigflow.field.FieldAssignmentProcess.VAR_REQUEST_TEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.UnprocessableException;
import io.gigflow.support.Fixtures;
import io.gigflow.support.OpenSteps;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.history.HistoricProcessInstance;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The client's and the worker's actions on a running assignment as the processes
 * field-assignment-client-action and field-assignment-worker-action, started through the engine
 * as Tasklist's start form starts them: what they do to the assignment, and that a refused action
 * leaves nothing behind (no action instance, no row, no ledger entry).
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class FieldAssignmentActionsTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired RuntimeService runtimeService;
    @Autowired HistoryService historyService;
    @Autowired TaskService taskService;
    @Autowired org.camunda.bpm.engine.FormService formService;
    @Autowired IdentityService identityService;
    @Autowired FieldAssignmentService service;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

    Fixtures fixtures;
    String company;
    String client;
    String worker;
    String otherWorker;
    String stranger;

    @BeforeEach
    void givenAClientCompanyWithMoneyAFieldWorkerAndStrangers() {
        ClockUtil.setCurrentTime(Date.from(OffsetDateTime.parse("2026-03-02T09:00:00Z").toInstant()));
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        client = acme[1];
        worker = fixtures.fieldWorker("walt");
        otherWorker = fixtures.fieldWorker("olga");
        stranger = fixtures.company("globex")[1];
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.company(company), Money.of("1000.00", "EUR"), "Top-up");
    }

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void theClientPutsAnAssignedAssignmentOnHoldWithTheReasonFromTheStartForm() {
        String ref = assigned(false);

        ProcessInstance action = clientAction(client, ref, Map.of(VAR_ACTION, HOLD, "holdReason", "PARTS_NOT_AVAILABLE",
                "holdNote", "The meter arrives next week"));

        FieldAssignmentView held = fixtures.as(client, () -> service.get(ref));
        assertThat(held.status()).isEqualTo(FieldStatus.ON_HOLD);
        assertThat(held.holdReason()).isEqualTo("PARTS_NOT_AVAILABLE");
        assertThat(held.holdNote()).isEqualTo("The meter arrives next week");
        HistoricProcessInstance done = historic(action.getId());
        assertThat(done.getState()).isEqualTo(HistoricProcessInstance.STATE_COMPLETED);
        assertThat(done.getStartUserId()).isEqualTo(client);
        assertThat(done.getEndActivityId()).isEqualTo("End_ClientActionDone");
        assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(action.getId())
                .variableName(VAR_ASSIGNMENT_STATUS).singleResult().getValue()).isEqualTo("ON_HOLD");
    }

    @Test
    void theClientCancelsWithoutAndWithAPaymentItChoosesAndTheBalancesFollow() {
        String unpaid = assigned(false);
        clientAction(client, unpaid, Map.of(VAR_ACTION, CANCEL, "cancelReason", "Not needed any more"));
        assertThat(fixtures.as(client, () -> service.get(unpaid)).status()).isEqualTo(FieldStatus.CANCELLED);
        assertThat(fixtures.as(client, () -> service.get(unpaid)).cancelReason()).isEqualTo("Not needed any more");
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.get(unpaid))).isInstanceOf(NotFoundException.class);
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
        assertThat(balance(AccountRef.user(worker))).isEqualTo("0.00");

        String paid = assigned(false);
        clientAction(client, paid, Map.of(VAR_ACTION, CANCEL, "cancelPayment", "40.00"));
        FieldAssignmentView cancelled = fixtures.as(worker, () -> service.get(paid));
        assertThat(cancelled.status()).isEqualTo(FieldStatus.CANCELLED);
        assertThat(cancelled.cancelPayment()).isEqualTo("40.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("960.00");
        assertThat(balance(AccountRef.user(worker))).isEqualTo("40.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void eitherSidePostsAMessageThatTheOtherSees() {
        String ref = assigned(false);

        clientAction(client, ref, Map.of(VAR_ACTION, MESSAGE, VAR_MESSAGE_BODY, "The gate code is 4711"));
        workerAction(worker, ref, Map.of(VAR_ACTION, MESSAGE, VAR_MESSAGE_BODY, "Thanks, I will be there at eight"));

        List<FieldAssignmentView.MessageView> seenByWorker = fixtures.as(worker, () -> service.get(ref)).messages();
        assertThat(seenByWorker).extracting(FieldAssignmentView.MessageView::author).containsExactly(client, worker);
        assertThat(seenByWorker).extracting(FieldAssignmentView.MessageView::body)
                .containsExactly("The gate code is 4711", "Thanks, I will be there at eight");
        assertThat(fixtures.as(client, () -> service.get(ref)).messages()).hasSize(2);
    }

    @Test
    void eachKindOfWorkerRequestReachesTheClientsReviewRequestStep() {
        String ref = assigned(true);
        fixtures.as(worker, () -> service.checkIn(ref));
        OffsetDateTime newStart = OffsetDateTime.ofInstant(ClockUtil.getCurrentTime().toInstant(), ZoneOffset.UTC).plusDays(5);

        workerAction(worker, ref, Map.of(VAR_ACTION, BUDGET_INCREASE, "requestAmount", "50.00", "requestReason", "More cable"));
        workerAction(worker, ref, Map.of(VAR_ACTION, EXPENSE, "requestAmount", "12.50"));
        workerAction(worker, ref, Map.of(VAR_ACTION, BONUS, "requestAmount", "30.00", "requestReason", "Weekend"));
        workerAction(worker, ref, Map.of(VAR_ACTION, RESCHEDULE, "requestNewStart", newStart.toString(),
                "requestNewEnd", newStart.plusHours(8).toString()));

        assertThat(fixtures.as(client, () -> service.get(ref)).requests())
                .extracting(FieldAssignmentView.RequestView::kind).containsExactly(BUDGET_INCREASE, EXPENSE, BONUS, RESCHEDULE);
        List<Task> reviews = fixtures.as(client, () -> taskService.createTaskQuery().processInstanceId(processInstanceOf(ref))
                .taskDefinitionKey(TASK_REVIEW_REQUEST).taskCandidateGroup(company).listPage(0, 50));
        assertThat(reviews).hasSize(4);
        assertThat(reviews).extracting(t -> String.valueOf(OpenSteps.form(formService, t.getId()).get(VAR_REQUEST_TEXT)))
                .anyMatch(text -> text.contains("50.00")).anyMatch(text -> text.contains("12.50"))
                .anyMatch(text -> text.contains("30.00"));
        // the worker answers nothing itself: the review steps are the client's
        assertThat(fixtures.as(worker, () -> taskService.createTaskQuery().taskDefinitionKey(TASK_REVIEW_REQUEST).count())).isZero();
    }

    @Test
    void refusedActionsAnswerLikeTheDomainApiAndLeaveNothingBehind() {
        String published = published(false);
        String ref = assigned(false);
        long clientActions = actionInstances(CLIENT_KEY);
        long workerActions = actionInstances(WORKER_KEY);
        int ledgerEntries = ledgerEntries();

        // the wrong state: 409
        assertThatThrownBy(() -> clientAction(client, published, Map.of(VAR_ACTION, HOLD, "holdReason", "SITE_NOT_READY")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("PUBLISHED");
        assertThatThrownBy(() -> workerAction(worker, ref, Map.of(VAR_ACTION, BONUS, "requestAmount", "10.00")))
                .isInstanceOf(ConflictException.class).hasMessageContaining("IN_PROGRESS");
        // somebody who may not see the assignment: 404, as for one that does not exist
        assertThatThrownBy(() -> clientAction(stranger, ref, Map.of(VAR_ACTION, CANCEL))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> clientAction(stranger, "F-does-not-exist", Map.of(VAR_ACTION, CANCEL)))
                .isInstanceOf(NotFoundException.class).hasMessage("No assignment F-does-not-exist");
        assertThatThrownBy(() -> workerAction(otherWorker, ref, Map.of(VAR_ACTION, MESSAGE, VAR_MESSAGE_BODY, "Hi")))
                .isInstanceOf(NotFoundException.class);
        // the wrong role: a worker may not start the client's action, a client not the worker's
        assertThatThrownBy(() -> clientAction(worker, ref, Map.of(VAR_ACTION, HOLD, "holdReason", "SITE_NOT_READY")))
                .isInstanceOf(AuthorizationException.class);
        assertThatThrownBy(() -> workerAction(client, ref, Map.of(VAR_ACTION, MESSAGE, VAR_MESSAGE_BODY, "Hi")))
                .isInstanceOf(AuthorizationException.class);
        // bad input: 400 naming the field
        assertThatThrownBy(() -> clientAction(client, ref, Map.of())).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("assignmentRef").hasMessageContaining("action");
        assertThatThrownBy(() -> clientAction(client, ref, Map.of(VAR_ACTION, "DELETE"))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("action: must be one of HOLD, CANCEL, MESSAGE");
        assertThatThrownBy(() -> clientAction(client, ref, Map.of(VAR_ACTION, HOLD))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("holdReason");
        assertThatThrownBy(() -> clientAction(client, ref, Map.of(VAR_ACTION, HOLD, "holdReason", "OTHER")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("holdNote");
        assertThatThrownBy(() -> clientAction(client, ref, Map.of(VAR_ACTION, CANCEL, "cancelPayment", "12.345")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cancelPayment");
        assertThatThrownBy(() -> clientAction(client, ref, Map.of(VAR_ACTION, CANCEL, "cancelPayment", 12.5)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cancelPayment");
        assertThatThrownBy(() -> clientAction(client, ref, Map.of(VAR_ACTION, MESSAGE, VAR_MESSAGE_BODY, " ")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("messageBody");
        assertThatThrownBy(() -> workerAction(worker, ref, Map.of(VAR_ACTION, EXPENSE, "requestAmount", "-5.00")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("requestAmount");
        assertThatThrownBy(() -> workerAction(worker, ref, Map.of(VAR_ACTION, RESCHEDULE, "requestNewStart", "tomorrow")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("requestNewStart");
        // a balance that does not cover the payment: 422
        assertThatThrownBy(() -> clientAction(client, ref, Map.of(VAR_ACTION, CANCEL, "cancelPayment", "5000.00")))
                .isInstanceOf(UnprocessableException.class);

        assertThat(actionInstances(CLIENT_KEY)).isEqualTo(clientActions);
        assertThat(actionInstances(WORKER_KEY)).isEqualTo(workerActions);
        assertThat(ledgerEntries()).isEqualTo(ledgerEntries);
        FieldAssignmentView unchanged = fixtures.as(client, () -> service.get(ref));
        assertThat(unchanged.status()).isEqualTo(FieldStatus.ASSIGNED);
        assertThat(unchanged.messages()).isEmpty();
        assertThat(unchanged.requests()).isEmpty();
        assertThat(fixtures.as(client, () -> service.get(published)).status()).isEqualTo(FieldStatus.PUBLISHED);
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
    }

    @Test
    void nobodyButOperatorsSeesTheActionInstancesOfOthers() {
        String ref = assigned(false);
        ProcessInstance action = clientAction(client, ref, Map.of(VAR_ACTION, MESSAGE, VAR_MESSAGE_BODY, "Private words"));
        ProcessInstance request = workerAction(worker, ref, Map.of(VAR_ACTION, EXPENSE, "requestAmount", "9.00"));

        for (String user : List.of(worker, otherWorker, stranger, fixtures.member(company))) {
            assertThat(fixtures.as(user, () -> historyService.createHistoricProcessInstanceQuery()
                    .processInstanceIds(java.util.Set.of(action.getId(), request.getId())).count())).as(user).isZero();
            assertThat(fixtures.as(user, () -> historyService.createHistoricVariableInstanceQuery()
                    .processInstanceIdIn(action.getId(), request.getId()).count())).as(user).isZero();
        }
    }

    // ---- the starts, as Tasklist's start form and /engine-rest make them

    private ProcessInstance clientAction(String user, String ref, Map<String, Object> variables) {
        return start(user, CLIENT_KEY, ref, variables);
    }

    private ProcessInstance workerAction(String user, String ref, Map<String, Object> variables) {
        return start(user, WORKER_KEY, ref, variables);
    }

    private ProcessInstance start(String user, String key, String ref, Map<String, Object> variables) {
        Map<String, Object> all = new HashMap<>(variables);
        if (!variables.isEmpty()) {
            all.put(VAR_ASSIGNMENT_REF, ref);
        }
        ProcessInstance instance = fixtures.as(user, () -> runtimeService.startProcessInstanceByKey(key, all));
        assertThat(instance.isEnded()).as("the action is done within its start").isTrue();
        return instance;
    }

    // ---- assignments, through the domain API

    private String published(boolean checkIn) {
        OffsetDateTime start = OffsetDateTime.ofInstant(ClockUtil.getCurrentTime().toInstant(), ZoneOffset.UTC).plusDays(3);
        return fixtures.as(client, () -> service.publish(company, new FieldAssignmentService.NewAssignment("Replace the meter", null,
                "Main St 1", start.toString(), start.plusHours(8).toString(), "500.00", "EUR", 14, checkIn, List.of(), List.of(),
                "Site manager", null, null, null, List.of(), null))).ref();
    }

    private String assigned(boolean checkIn) {
        String ref = published(checkIn);
        FieldAssignmentView applied = fixtures.as(worker, () -> service.apply(ref,
                new FieldAssignmentService.Application("APPLY", null, null, null, null)));
        long id = applied.applications().get(0).id();
        fixtures.as(client, () -> service.choose(ref, id));
        return ref;
    }

    private String processInstanceOf(String ref) {
        return jdbc.sql("select process_instance_id from field_assignment where ref = :ref").param("ref", ref).query(String.class).single();
    }

    private HistoricProcessInstance historic(String id) {
        return historyService.createHistoricProcessInstanceQuery().processInstanceId(id).singleResult();
    }

    private long actionInstances(String key) {
        return historyService.createHistoricProcessInstanceQuery().processDefinitionKey(key).count();
    }

    private int ledgerEntries() {
        return jdbc.sql("select (select count(*) from ledger_transfer) + (select count(*) from ledger_posting)").query(Integer.class).single();
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, EUR).toDecimalString();
    }
}
