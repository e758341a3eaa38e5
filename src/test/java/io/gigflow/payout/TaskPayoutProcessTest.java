package io.gigflow.payout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.gigflow.document.DocumentService;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import java.time.Duration;
import java.util.Currency;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
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
 * Every path of task-payout, driven as its users would drive it (through the use cases,
 * as the signed-in user), with the job executor off so that the test runs each
 * asynchronous step itself.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class TaskPayoutProcessTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired TaskPayoutService payouts;
    @Autowired PayoutSettings settings;
    @Autowired Ledger ledger;
    @Autowired DocumentService documents;
    @Autowired FaultInjector faults;
    @Autowired JdbcClient jdbc;

    Fixtures fixtures;
    String company;
    String staff;
    String alice;

    @BeforeEach
    void givenACompanyWithBalanceAndAContractor() {
        BpmnAwareTests.init(engine);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        staff = acme[1];
        alice = fixtures.contractor("alice");
        ledger.transfer(Fixtures.unique("test-top-up"), AccountRef.external(), AccountRef.company(company), Money.of("1000.00", "EUR"), "Top-up");
    }

    @AfterEach
    void cleanUp() {
        faults.reset();
        org.camunda.bpm.engine.impl.util.ClockUtil.reset();
    }

    @Test
    void paysTheContractorWhenTheContractorAccepts() {
        TaskView draft = create("Write the user guide", "120.50");
        ProcessInstance instance = instance(draft.ref());
        assertThat(instance).isWaitingAt(TaskPayoutProcess.TASK_REVIEW_DRAFT).variables().containsEntry("status", "DRAFT");

        SendOutcome outcome = fixtures.as(staff, () -> payouts.send(draft.ref()));

        assertThat(outcome.result()).isEqualTo(SendOutcome.Result.SENT);
        assertThat(instance).hasPassed(TaskPayoutProcess.TASK_NOTIFY_TASK_RECEIVED).isWaitingAt(TaskPayoutProcess.TASK_ACCEPT_TASK);
        assertThat(BpmnAwareTests.task(TaskPayoutProcess.TASK_ACCEPT_TASK, instance)).isAssignedTo(alice);
        assertThat(balance(AccountRef.company(company))).isEqualTo("879.50");
        assertThat(balance(AccountRef.escrow("task-payout:" + draft.ref()))).isEqualTo("120.50");
        assertThat(fixtures.as(alice, () -> payouts.get(draft.ref())).status()).isEqualTo(TaskStatus.AWAITING_CONTRACTOR);

        fixtures.as(alice, () -> payouts.accept(draft.ref()));
        executeJobs(instance);

        assertThat(instance).hasPassed(TaskPayoutProcess.TASK_PAY_CONTRACTOR, TaskPayoutProcess.TASK_ISSUE_CLOSING_DOCUMENTS,
                TaskPayoutProcess.TASK_NOTIFY_TASK_ACCEPTED).isEnded();
        assertThat(instance).hasPassed(TaskPayoutProcess.END_TASK_PAID);
        assertThat(status(draft.ref())).isEqualTo(TaskStatus.PAID);
        assertThat(balance(AccountRef.user(alice))).isEqualTo("120.50");
        assertThat(balance(AccountRef.escrow("task-payout:" + draft.ref()))).isEqualTo("0.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("879.50");
        assertThat(documents.forReference("task-payout:" + draft.ref())).extracting(d -> d.type())
                .containsExactlyInAnyOrder("ACCEPTANCE_CERTIFICATE", "INVOICE");
        assertThat(noticesTo(alice, draft.ref())).containsExactlyInAnyOrder("TASK_RECEIVED", "TASK_PAID");
        assertThat(noticesTo(staff, draft.ref())).containsExactly("TASK_ACCEPTED");
        assertThat(fixtures.as(staff, () -> payouts.history(draft.ref()))).extracting(TaskPayoutService.HistoryEntry::event)
                .containsExactly("CREATED", "SENT", "ACCEPTED", "PAID");
        assertThat(fixtures.as(staff, () -> payouts.history(draft.ref())).get(2).actor()).isEqualTo(alice);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void editsADraftButNeverItsContractorAndRefusesToEditASentTask() {
        TaskView draft = create("Draft", "50.00");

        TaskView edited = fixtures.as(staff, () -> payouts.edit(draft.ref(),
                new TaskPayoutService.EditTask("Draft, revised", "<p>Now <strong>bold</strong><script>alert(1)</script></p>", "75.00", "EUR", null)));

        assertThat(edited.amount()).isEqualTo("75.00");
        assertThat(edited.title()).isEqualTo("Draft, revised");
        assertThat(edited.description()).isEqualTo("Now <strong>bold</strong>");
        // the review's form shows the edit, read from the row; the engine holds none of the terms
        String review = taskService.createTaskQuery().processInstanceId(instance(draft.ref()).getId()).singleResult().getId();
        org.camunda.bpm.engine.variable.VariableMap form = fixtures.as(staff, () -> engine.getFormService().getTaskFormVariables(review));
        assertThat(form.get("amountText")).isEqualTo("75.00 EUR");
        assertThat(form.get("title")).isEqualTo("Draft, revised");
        assertThat(form.get("descriptionText")).isEqualTo("Now bold");
        assertThat(runtimeService.getVariables(instance(draft.ref()).getId())).doesNotContainKeys("amount", "title", "descriptionText");
        String bob = fixtures.contractor("bob");
        assertThatThrownBy(() -> fixtures.as(staff, () -> payouts.edit(draft.ref(),
                new TaskPayoutService.EditTask("x", null, "75.00", "EUR", bob))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("contractorId");

        fixtures.as(staff, () -> payouts.send(draft.ref()));

        assertThatThrownBy(() -> fixtures.as(staff, () -> payouts.edit(draft.ref(),
                new TaskPayoutService.EditTask("Late change", null, "1.00", "EUR", null))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("AWAITING_CONTRACTOR");
        assertThatThrownBy(() -> fixtures.as(staff, () -> payouts.delete(draft.ref())))
                .isInstanceOf(ConflictException.class);
        assertThat(balance(AccountRef.escrow("task-payout:" + draft.ref()))).isEqualTo("75.00");
    }

    @Test
    void deletesADraftAndEndsItsProcess() {
        TaskView draft = create("Never mind", "10.00");

        TaskView deleted = fixtures.as(staff, () -> payouts.delete(draft.ref()));

        assertThat(deleted.status()).isEqualTo(TaskStatus.DELETED);
        assertThat(instance(draft.ref())).hasPassed(TaskPayoutProcess.END_TASK_DELETED).isEnded();
        assertThatThrownBy(() -> fixtures.as(staff, () -> payouts.delete(draft.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(alice, () -> payouts.get(draft.ref()))).isInstanceOf(NotFoundException.class);
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
    }

    @Test
    void sendsANewTaskToPaymentAtOnceWhenTheCompanyPublishesAutomatically() {
        settings.setAutoPublish(company, true, staff);

        TaskView task = create("Published at once", "200.00");

        assertThat(task.status()).isEqualTo(TaskStatus.AWAITING_CONTRACTOR);
        assertThat(instance(task.ref())).isWaitingAt(TaskPayoutProcess.TASK_ACCEPT_TASK);
        assertThat(balance(AccountRef.company(company))).isEqualTo("800.00");
    }

    @Test
    void keepsTheTaskADraftAndMovesNoMoneyWhenTheBalanceIsInsufficient() {
        TaskView draft = create("Too expensive", "1500.00");

        SendOutcome outcome = fixtures.as(staff, () -> payouts.send(draft.ref()));

        assertThat(outcome.result()).isEqualTo(SendOutcome.Result.INSUFFICIENT_BALANCE);
        assertThat(outcome.message()).contains("1000.00 EUR").contains("1500.00 EUR");
        ProcessInstance instance = instance(draft.ref());
        assertThat(instance).isWaitingAt(TaskPayoutProcess.TASK_REVIEW_DRAFT).variables()
                .containsEntry("status", "DRAFT").doesNotContainKey("sendRefusal");
        // the review's form tells why, from the row
        String review = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult().getId();
        assertThat((String) fixtures.as(staff, () -> engine.getFormService().getTaskFormVariables(review)).get("sendRefusal"))
                .contains("Insufficient balance").contains("1500.00 EUR");
        assertThat(ledger.findTransfer("task-payout:" + draft.ref() + ":reserve")).isEmpty();
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");

        ledger.transfer(Fixtures.unique("more"), AccountRef.external(), AccountRef.company(company), Money.of("500.00", "EUR"), "Top-up");
        SendOutcome retried = fixtures.as(staff, () -> payouts.send(draft.ref()));

        assertThat(retried.result()).isEqualTo(SendOutcome.Result.SENT);
        assertThat(balance(AccountRef.company(company))).isEqualTo("0.00");
        assertThat(instance).isWaitingAt(TaskPayoutProcess.TASK_ACCEPT_TASK);
    }

    @Test
    void keepsAnAutomaticallyPublishedTaskADraftWhenTheBalanceIsInsufficient() {
        settings.setAutoPublish(company, true, staff);

        TaskView task = create("Too much at once", "1000.01");

        assertThat(task.status()).isEqualTo(TaskStatus.DRAFT);
        assertThat(task.sendRefusal()).startsWith("Insufficient balance");
        assertThat(instance(task.ref())).isWaitingAt(TaskPayoutProcess.TASK_REVIEW_DRAFT);
    }

    @Test
    void refundsTheCompanyWhenTheContractorDeclines() {
        TaskView task = sentTask("Declined work", "300.00");

        TaskView answered = fixtures.as(alice, () -> payouts.decline(task.ref(), "Not my field"));
        assertThat(answered.decision()).isEqualTo("DECLINE");
        executeJobs(instance(task.ref()));

        assertThat(instance(task.ref())).hasPassed(TaskPayoutProcess.TASK_REFUND_DECLINED_TASK, TaskPayoutProcess.END_TASK_DECLINED).isEnded();
        TaskView after = fixtures.as(staff, () -> payouts.get(task.ref()));
        assertThat(after.status()).isEqualTo(TaskStatus.DECLINED_BY_CONTRACTOR);
        assertThat(after.declineReason()).isEqualTo("Not my field");
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
        assertThat(balance(AccountRef.user(alice))).isEqualTo("0.00");
        assertThat(noticesTo(staff, task.ref())).containsExactly("TASK_DECLINED");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void refundsTheCompanyWhenItCancelsATaskAwaitingTheContractor() {
        TaskView task = sentTask("Cancelled work", "250.00");

        fixtures.as(staff, () -> payouts.cancel(task.ref()));
        executeJobs(instance(task.ref()));

        assertThat(instance(task.ref())).hasPassed(TaskPayoutProcess.TASK_REFUND_CANCELLED_TASK,
                TaskPayoutProcess.END_TASK_CANCELLED_BY_COMPANY).isEnded();
        assertThat(status(task.ref())).isEqualTo(TaskStatus.DECLINED_BY_COMPANY);
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
        assertThat(noticesTo(alice, task.ref())).containsExactlyInAnyOrder("TASK_RECEIVED", "TASK_CANCELLED");
        assertThat(fixtures.as(staff, () -> payouts.history(task.ref()))).extracting(TaskPayoutService.HistoryEntry::actor)
                .contains(staff);
        assertThatThrownBy(() -> fixtures.as(alice, () -> payouts.accept(task.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(staff, () -> payouts.cancel(task.ref()))).isInstanceOf(ConflictException.class);
    }

    @Test
    void refusesToCancelOnceTheContractorHasAccepted() {
        TaskView task = sentTask("Raced", "40.00");
        fixtures.as(alice, () -> payouts.accept(task.ref()));

        assertThatThrownBy(() -> fixtures.as(staff, () -> payouts.cancel(task.ref())))
                .isInstanceOf(ConflictException.class).hasMessageContaining("ACCEPT");
        executeJobs(instance(task.ref()));
        assertThat(status(task.ref())).isEqualTo(TaskStatus.PAID);
    }

    @Test
    void remindsTheContractorWhenTheTaskWaitsTooLongAndKeepsWaiting() {
        TaskView task = sentTask("Slow answer", "20.00");
        ProcessInstance instance = instance(task.ref());
        Job timer = managementService.createJobQuery().processInstanceId(instance.getId()).timers().singleResult();
        assertThat(timer.getDuedate()).isCloseTo(Date.from(new Date().toInstant().plus(Duration.ofDays(3))), 60_000);

        managementService.executeJob(timer.getId());
        executeJobs(instance);

        assertThat(instance).hasPassed(TaskPayoutProcess.TASK_REMIND_CONTRACTOR).isWaitingAt(TaskPayoutProcess.TASK_ACCEPT_TASK);
        assertThat(noticesTo(alice, task.ref())).containsExactlyInAnyOrder("TASK_RECEIVED", "ACCEPTANCE_REMINDER");
    }

    @Test
    void takesTheReminderDelayFromTheStartVariables() {
        TaskView task = fixtures.as(staff, () -> payouts.create(company, new TaskPayoutService.CreateTask(alice, "Quick", null,
                "5.00", "EUR", null, "PT2H")));
        fixtures.as(staff, () -> payouts.send(task.ref()));

        Job timer = managementService.createJobQuery().processInstanceId(instance(task.ref()).getId()).timers().singleResult();

        assertThat(timer.getDuedate()).isCloseTo(Date.from(new Date().toInstant().plus(Duration.ofHours(2))), 60_000);
    }

    @Test
    void rejectsAStartWithInvalidVariablesNamingEachFieldAndLeavesNothingBehind() {
        long instancesBefore = runtimeService.createProcessInstanceQuery().processDefinitionKey(TaskPayoutProcess.KEY).count();
        long tasksBefore = jdbc.sql("select count(*) from payout_task").query(Long.class).single();
        Map<String, Object> variables = new HashMap<>();
        variables.put("companyId", company);
        variables.put("contractorId", "nobody");
        variables.put("amount", "12.345");
        variables.put("currency", "EUR");

        assertThatThrownBy(() -> runtimeService.startProcessInstanceByKey(TaskPayoutProcess.KEY, variables))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("contractorId", "title", "amount"))
                .hasMessageContaining("more decimals than EUR allows");

        variables.put("contractorId", alice);
        variables.put("title", "Paid by the double");
        variables.put("amount", 12.5);
        assertThatThrownBy(() -> runtimeService.startProcessInstanceByKey(TaskPayoutProcess.KEY, variables))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("amount: must be a decimal string");

        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(TaskPayoutProcess.KEY).count()).isEqualTo(instancesBefore);
        assertThat(jdbc.sql("select count(*) from payout_task").query(Long.class).single()).isEqualTo(tasksBefore);
    }

    @Test
    void refusesAStartByAUserOutsideTheCompany() {
        String outsider = fixtures.contractor("mallory");
        Map<String, Object> variables = Map.of("companyId", company, "contractorId", outsider, "title", "Pay myself",
                "amount", "999.00", "currency", "EUR");

        assertThatThrownBy(() -> fixtures.as(outsider, () -> runtimeService.startProcessInstanceByKey(TaskPayoutProcess.KEY, variables)))
                .isInstanceOf(org.camunda.bpm.engine.AuthorizationException.class);
        assertThat(jdbc.sql("select count(*) from payout_task where contractor_id = :c").param("c", outsider).query(Long.class).single()).isZero();
    }

    @Test
    void refusesADecisionThatIsNeitherAcceptNorDeclineWhicheverDoorItComesThrough() {
        TaskView task = sentTask("Odd answer", "15.00");
        String stepId = taskService.createTaskQuery().processInstanceId(instance(task.ref()).getId())
                .taskDefinitionKey(TaskPayoutProcess.TASK_ACCEPT_TASK).singleResult().getId();

        assertThatThrownBy(() -> fixtures.as(alice, () -> taskService.complete(stepId, Map.of("decision", "MAYBE"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("decision");

        assertThat(instance(task.ref())).isWaitingAt(TaskPayoutProcess.TASK_ACCEPT_TASK);
    }

    @Test
    void letsNobodyButTheContractorSeeOrDecideTheTask() {
        TaskView task = sentTask("Only for alice", "30.00");
        String bob = fixtures.contractor("bob");
        String[] other = fixtures.company("globex");

        assertThatThrownBy(() -> fixtures.as(bob, () -> payouts.accept(task.ref()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixtures.as(other[1], () -> payouts.cancel(task.ref()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixtures.as(staff, () -> payouts.accept(task.ref()))).isInstanceOf(ForbiddenException.class);
        assertThat(fixtures.as(bob, () -> taskService.createTaskQuery().processInstanceId(instance(task.ref()).getId()).count())).isZero();
        assertThat(fixtures.as(alice, () -> taskService.createTaskQuery().processInstanceId(instance(task.ref()).getId()).count())).isOne();
        assertThat(fixtures.as(bob, () -> runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(task.ref()).count())).isZero();
    }

    @Test
    void paysOnceWhenThePayoutStepFailsAndIsRetried() {
        TaskView task = sentTask("Flaky payout", "60.00");
        fixtures.as(alice, () -> payouts.accept(task.ref()));
        ProcessInstance instance = instance(task.ref());
        Job payout = managementService.createJobQuery().processInstanceId(instance.getId())
                .activityId(TaskPayoutProcess.TASK_PAY_CONTRACTOR).singleResult();
        faults.failNext(FaultInjector.LEDGER_TRANSFER, 1);

        assertThatThrownBy(() -> managementService.executeJob(payout.getId())).hasMessageContaining("injected fault");
        assertThat(managementService.createJobQuery().jobId(payout.getId()).singleResult().getRetries()).isEqualTo(2);
        assertThat(balance(AccountRef.user(alice))).isEqualTo("0.00");

        managementService.executeJob(payout.getId());
        executeJobs(instance);

        assertThat(instance).isEnded();
        assertThat(balance(AccountRef.user(alice))).isEqualTo("60.00");
        assertThat(jdbc.sql("select count(*) from ledger_transfer where idempotency_key like :k")
                .param("k", "task-payout:" + task.ref() + ":%").query(Long.class).single()).isEqualTo(2);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    // ---- attacks: every party is an adversary of the other, every variable is somebody's input

    @Test
    void variablesPlantedBeforeTheSendChangeNeitherWhoDecidesNorTheReminderNorTheAmount() {
        TaskView draft = create("Planted", "100.00");
        ProcessInstance instance = instance(draft.ref());
        String[] other = fixtures.company("globex");
        String mallory = fixtures.contractor("mallory");
        plant(instance, Map.of("companyId", other[0], "contractorId", mallory, "acceptanceReminder", "PT1S", "amount", "1.00",
                "autoPublish", true, "decision", TaskPayoutProcess.DECISION_ACCEPT, "draftDecision", TaskPayoutProcess.DRAFT_DELETE));
        Date sentAt = Date.from(java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        org.camunda.bpm.engine.impl.util.ClockUtil.setCurrentTime(sentAt);

        assertThat(fixtures.as(staff, () -> payouts.send(draft.ref())).result()).isEqualTo(SendOutcome.Result.SENT);

        Task step = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
        assertThat(step.getTaskDefinitionKey()).isEqualTo(TaskPayoutProcess.TASK_ACCEPT_TASK);
        assertThat(step.getAssignee()).isEqualTo(alice);
        assertThat(taskService.getIdentityLinksForTask(step.getId())).extracting(IdentityLink::getGroupId).containsOnlyNulls();
        assertThat(fixtures.as(mallory, () -> taskService.createTaskQuery().processInstanceId(instance.getId()).count())).isZero();
        assertThat(fixtures.as(other[1], () -> taskService.createTaskQuery().processInstanceId(instance.getId()).count())).isZero();
        Job reminder = managementService.createJobQuery().processInstanceId(instance.getId())
                .activityId(TaskPayoutProcess.TIMER_ACCEPTANCE_REMINDER).singleResult();
        assertThat(reminder.getDuedate()).isEqualTo(Date.from(sentAt.toInstant().plus(Duration.ofDays(3))));
        assertThat(balance(AccountRef.escrow("task-payout:" + draft.ref()))).isEqualTo("100.00");

        // a step handed to somebody else (as PUT /engine-rest/task/{id} could) is still hers alone to decide
        taskService.setAssignee(step.getId(), mallory);
        assertThatThrownBy(() -> fixtures.as(mallory, () -> taskService.complete(step.getId(),
                Map.of("decision", TaskPayoutProcess.DECISION_ACCEPT)))).isInstanceOf(ForbiddenException.class);
        taskService.setAssignee(step.getId(), staff);
        assertThatThrownBy(() -> fixtures.as(staff, () -> taskService.complete(step.getId(),
                Map.of("decision", TaskPayoutProcess.DECISION_DECLINE)))).isInstanceOf(ForbiddenException.class);
        taskService.setAssignee(step.getId(), alice);
        executeJobs(instance);
        assertThat(status(draft.ref())).isEqualTo(TaskStatus.AWAITING_CONTRACTOR);
        assertThat(balance(AccountRef.user(mallory))).isEqualTo("0.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("900.00");

        fixtures.as(alice, () -> payouts.accept(draft.ref()));
        executeJobs(instance);

        assertThat(status(draft.ref())).isEqualTo(TaskStatus.PAID);
        assertThat(balance(AccountRef.user(alice))).isEqualTo("100.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("900.00");
        assertThat(balance(AccountRef.company(other[0]))).isEqualTo("0.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void theContractorHandedTheDraftReviewCannotSendTheDraft() {
        TaskView draft = create("Not hers to send", "100.00");
        ProcessInstance instance = instance(draft.ref());
        plant(instance, Map.of("companyId", "contractors"));
        Task review = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
        assertThat(taskService.getIdentityLinksForTask(review.getId())).extracting(IdentityLink::getGroupId).containsExactly(company);

        taskService.setAssignee(review.getId(), alice);

        assertThatThrownBy(() -> fixtures.as(alice, () -> taskService.complete(review.getId(),
                Map.of("draftDecision", TaskPayoutProcess.DRAFT_SEND)))).isInstanceOf(ForbiddenException.class);
        assertThat(instance).isWaitingAt(TaskPayoutProcess.TASK_REVIEW_DRAFT);
        assertThat(status(draft.ref())).isEqualTo(TaskStatus.DRAFT);
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
        assertThat(ledger.findTransfer("task-payout:" + draft.ref() + ":reserve")).isEmpty();
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void onlyAMemberOfTheCompanyCancelsEvenWhereTheEngineLetsTheMessageThrough() {
        TaskView task = sentTask("Hers to keep", "100.00");
        ProcessInstance instance = instance(task.ref());
        String[] other = fixtures.company("globex");

        for (String sender : List.of(alice, other[1])) {
            assertThatThrownBy(() -> asTheEngineLetsThrough(sender, () -> runtimeService
                    .createMessageCorrelation(TaskPayoutProcess.MESSAGE_TASK_CANCELLED_BY_COMPANY)
                    .processInstanceId(instance.getId()).correlateWithResult())).as(sender).isInstanceOf(ForbiddenException.class);
        }
        executeJobs(instance);
        assertThat(instance).isWaitingAt(TaskPayoutProcess.TASK_ACCEPT_TASK);
        assertThat(status(task.ref())).isEqualTo(TaskStatus.AWAITING_CONTRACTOR);
        assertThat(balance(AccountRef.escrow("task-payout:" + task.ref()))).isEqualTo("100.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("900.00");

        asTheEngineLetsThrough(staff, () -> runtimeService.createMessageCorrelation(TaskPayoutProcess.MESSAGE_TASK_CANCELLED_BY_COMPANY)
                .processInstanceId(instance.getId()).correlateWithResult());
        executeJobs(instance);

        assertThat(status(task.ref())).isEqualTo(TaskStatus.DECLINED_BY_COMPANY);
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
        assertThat(fixtures.as(staff, () -> payouts.history(task.ref()))).filteredOn(e -> e.event().equals("CANCELLED"))
                .singleElement().extracting(TaskPayoutService.HistoryEntry::actor).isEqualTo(staff);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void aMoneyStepReachedWithoutTheDecisionThatJustifiesItMovesNothing() {
        TaskView task = sentTask("Moved by modification", "100.00");
        ProcessInstance instance = instance(task.ref());
        plant(instance, Map.of("decision", TaskPayoutProcess.DECISION_ACCEPT));

        runtimeService.createProcessInstanceModification(instance.getId())
                .startBeforeActivity(TaskPayoutProcess.TASK_PAY_CONTRACTOR)
                .startBeforeActivity(TaskPayoutProcess.TASK_REFUND_CANCELLED_TASK).execute();
        for (String step : List.of(TaskPayoutProcess.TASK_PAY_CONTRACTOR, TaskPayoutProcess.TASK_REFUND_CANCELLED_TASK)) {
            Job job = managementService.createJobQuery().processInstanceId(instance.getId()).activityId(step).singleResult();
            assertThatThrownBy(() -> managementService.executeJob(job.getId())).as(step).hasMessageContaining("cannot be");
        }

        assertThat(balance(AccountRef.user(alice))).isEqualTo("0.00");
        assertThat(balance(AccountRef.escrow("task-payout:" + task.ref()))).isEqualTo("100.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("900.00");
        assertThat(status(task.ref())).isEqualTo(TaskStatus.AWAITING_CONTRACTOR);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    // ---- helpers

    private TaskView create(String title, String amount) {
        return fixtures.as(staff, () -> payouts.create(company, new TaskPayoutService.CreateTask(alice, title, null, amount, "EUR", null, null)));
    }

    private TaskView sentTask(String title, String amount) {
        TaskView task = create(title, amount);
        assertThat(fixtures.as(staff, () -> payouts.send(task.ref())).result()).isEqualTo(SendOutcome.Result.SENT);
        return task;
    }

    private ProcessInstance instance(String ref) {
        String id = jdbc.sql("select process_instance_id from payout_task where ref = :ref").param("ref", ref).query(String.class).single();
        ProcessInstance running = runtimeService.createProcessInstanceQuery().processInstanceId(id).singleResult();
        if (running != null) {
            return running;
        }
        return Jobs.ended(id, TaskPayoutProcess.KEY, ref);
    }

    private TaskStatus status(String ref) {
        return TaskStatus.valueOf(jdbc.sql("select status from payout_task where ref = :ref").param("ref", ref).query(String.class).single());
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, EUR).toDecimalString();
    }

    private List<String> noticesTo(String user, String ref) {
        return jdbc.sql("select event from notification where recipient_id = :user and reference = :ref order by id")
                .param("user", user).param("ref", "task-payout:" + ref).query(String.class).list();
    }

    /** Writes variables onto the instance, as any door that let a party write them would. */
    private void plant(ProcessInstance instance, Map<String, Object> variables) {
        runtimeService.setVariables(instance.getId(), variables);
    }

    /**
     * Acts as the user with the engine's own authorization checks off: as the engine runs a
     * message correlation that the input guard let through, so that only the lifecycle's
     * listener stands between the sender and the process.
     */
    private void asTheEngineLetsThrough(String user, Runnable action) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        configuration.setAuthorizationEnabled(false);
        try {
            fixtures.as(user, action);
        } finally {
            configuration.setAuthorizationEnabled(true);
        }
    }

    private void executeJobs(ProcessInstance instance) {
        Jobs.run(managementService, instance.getId());
    }
}
