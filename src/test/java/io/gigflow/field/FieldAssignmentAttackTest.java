package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import io.gigflow.support.OpenSteps;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Each attack on field-assignment as its attacker would make it: a party completes its own step
 * (as itself, through the engine, exactly as /engine-rest and Tasklist do) with variables of its
 * choosing, or is handed a step that is not its own, or sends a message that is not its to send.
 * Each ends with the other party's steps still offered to that party only, the timers and the
 * routing as the row says, nothing paid, and the ledger consistent.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class FieldAssignmentAttackTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired org.camunda.bpm.engine.FormService formService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired FieldAssignmentService service;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;
    @Autowired org.camunda.bpm.engine.AuthorizationService authorizationService;

    Fixtures fixtures;
    String company;
    String client;
    String worker;
    String otherClient;
    OffsetDateTime start;

    @BeforeEach
    void givenAClientCompanyWithMoneyAFieldWorkerAndAnotherCompany() {
        ClockUtil.setCurrentTime(Date.from(OffsetDateTime.parse("2026-03-02T09:00:00Z").toInstant()));
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        client = acme[1];
        otherClient = fixtures.company("globex")[1];
        worker = fixtures.fieldWorker("walt");
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.company(company), Money.of("5000.00", "EUR"), "Top-up");
    }

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void aWorkerWhoPlantsCompanyIdFieldworkersOnHisOwnStepsCannotReviewHisBonusOrHisSubmission() {
        String ref = assigned(true, 14);
        String instance = instance(ref);
        Map<String, String> before = balances(ref);
        Map<String, Object> planted = new HashMap<>(Map.of(VAR_COMPANY_ID, "fieldworkers", VAR_WORKER_ID, worker, VAR_STATUS, "IN_PROGRESS",
                "confirmed", true, VAR_CHECK_IN_REQUIRED, false, "checkOutPending", false, VAR_REVIEW_DECISION, APPROVE,
                VAR_FAST_FUNDS_ELIGIBLE, true, VAR_REQUEST_DECISION, APPROVE));
        completeAsWorker(instance, TASK_CONFIRM_ASSIGNMENT, VAR_CONFIRM, planted);
        completeAsWorker(instance, TASK_CHECK_IN, VAR_CHECK_IN, planted);
        // a check-out is still owed whatever he wrote: the row says check-in is required
        assertThat(task(instance, TASK_CHECK_OUT)).isNotNull();

        fixtures.as(worker, () -> service.request(ref, new FieldAssignmentService.WorkerRequest("BONUS", "3710.00", null, null, "Hard day")));
        Task reviewRequest = task(instance, TASK_REVIEW_REQUEST);
        assertThat(candidateGroups(reviewRequest)).containsExactly(company);
        assertThat(reviewRequest.getAssignee()).isNull();
        // handed the step anyway (as PUT /engine-rest/task/{id} did): his completion is refused and changes nothing
        taskService.setAssignee(reviewRequest.getId(), worker);
        assertThatThrownBy(() -> fixtures.as(worker, () -> taskService.complete(reviewRequest.getId(), Map.of(VAR_REQUEST_DECISION, APPROVE))))
                .isInstanceOf(ForbiddenException.class);
        long bonus = requestId(ref);
        assertThatThrownBy(() -> fixtures.as(otherClient, () -> service.answerRequest(ref, bonus, true, null)))
                .isInstanceOf(NotFoundException.class);
        assertThat(fixtures.as(client, () -> service.get(ref)).requests().get(0).status()).isEqualTo("PENDING");

        completeAsWorker(instance, TASK_CHECK_OUT, VAR_CHECK_OUT, planted);
        submitAsWorker(instance, planted);
        Task review = task(instance, TASK_REVIEW_SUBMISSION);
        assertThat(candidateGroups(review)).containsExactly(company);
        taskService.setAssignee(review.getId(), worker);
        assertThatThrownBy(() -> fixtures.as(worker, () -> taskService.complete(review.getId(), Map.of(VAR_REVIEW_DECISION, APPROVE))))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.approve(ref))).isInstanceOf(ForbiddenException.class);

        assertThat(fixtures.as(client, () -> service.get(ref)).status()).isEqualTo(FieldStatus.PENDING_APPROVAL);
        assertThat(task(instance, TASK_REQUEST_FAST_FUNDS)).isNull();
        assertThat(balances(ref)).isEqualTo(before);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void timersKeepTheRowsDatesWhateverTheWorkerPlantsAndTheEscalationKeepsTheOperatorsInterval() {
        String ref = assigned(true, 14);
        String instance = instance(ref);
        OffsetDateTime soon = now().plusSeconds(2);
        Map<String, Object> planted = new HashMap<>(Map.of("escalationInterval", "PT2S",
                "escalationCycle", "R1000/" + soon.toInstant() + "/PT2S", "escalationAt", Date.from(soon.toInstant()),
                VAR_SCHEDULED_END, Date.from(soon.toInstant()), "paymentDueAt", Date.from(soon.toInstant()),
                "confirmDueAt", Date.from(soon.toInstant()), VAR_CONFIRM_BEFORE, "PT1S"));
        completeAsWorker(instance, TASK_CHECK_IN, VAR_CHECK_IN, planted);
        assertThat(timer(instance, TIMER_SCHEDULED_END).getDuedate()).isEqualTo(Date.from(start.plusHours(8).toInstant()));
        completeAsWorker(instance, TASK_CHECK_OUT, VAR_CHECK_OUT, planted);
        submitAsWorker(instance, planted);

        // the company's usual time (two days without history), then every 48 hours: not the worker's two seconds
        Job escalation = timer(instance, TIMER_APPROVAL_ESCALATION);
        assertThat(escalation.getDuedate()).isEqualTo(Date.from(now().plusDays(2).toInstant()));
        fire(escalation);
        assertThat(timer(instance, TIMER_APPROVAL_ESCALATION).getDuedate()).isEqualTo(Date.from(now().plusHours(48).toInstant()));
        assertThat(jdbc.sql("select count(*) from notification where event = 'APPROVAL_OVERDUE' and reference = :r and recipient_id = :c")
                .param("r", reference(ref)).param("c", client).query(Long.class).single()).isEqualTo(1);

        fixtures.as(client, () -> service.approve(ref));
        Jobs.run(managementService, instance);
        assertThat(timer(instance, TIMER_PAYMENT_DUE_WAIT).getDuedate()).isEqualTo(Date.from(now().plusDays(14).toInstant()));
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void aCancellationPaysOnlyWhatTheClientsOwnMessageCarriedNotWhatTheWorkerPlanted() {
        String ref = assigned(true, 14);
        String instance = instance(ref);
        Map<String, String> before = balances(ref);
        completeAsWorker(instance, TASK_CONFIRM_ASSIGNMENT, VAR_CONFIRM, Map.of(VAR_CANCEL_PAYMENT, "900.00", VAR_CANCEL_REASON, "planted"));
        // and again on a message of his own, which may carry only its own variables
        assertThatThrownBy(() -> fixtures.as(worker, () -> runtimeService.createMessageCorrelation(MESSAGE_WORKER_REQUEST)
                .processInstanceId(instance).setVariable(VAR_REQUEST_KIND, "EXPENSE").setVariable(VAR_REQUEST_AMOUNT, "10.00")
                .setVariable(VAR_CANCEL_PAYMENT, "900.00").correlate()))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(VAR_CANCEL_PAYMENT);
        assertThat(runtimeService.getVariable(instance, VAR_CANCEL_PAYMENT)).isNull();

        FieldAssignmentView cancelled = fixtures.as(client, () -> service.cancel(ref, null, "Not needed any more"));
        assertThat(cancelled.status()).isEqualTo(FieldStatus.CANCELLED);
        assertThat(cancelled.cancelPayment()).isNull();
        assertThat(balances(ref)).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from ledger_transfer where idempotency_key like :k").param("k", reference(ref) + ":%")
                .query(Long.class).single()).isZero();
        // without a payment the worker loses access
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.get(ref))).isInstanceOf(NotFoundException.class);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void onlyTheCompanyHoldsOrCancelsAndOnlyTheAssignedWorkerAsksForMoneyWhateverDoorTheMessageComesBy() {
        String ref = assigned(true, 14);
        String instance = instance(ref);
        Map<String, String> before = balances(ref);
        String stranger = fixtures.fieldWorker("eve");
        // the worker holds the instance's message right (to send his requests), yet the client's messages are not his
        assertThatThrownBy(() -> fixtures.as(worker, () -> runtimeService.createMessageCorrelation(MESSAGE_CANCEL_REQUESTED)
                .processInstanceId(instance).setVariable(VAR_CANCEL_PAYMENT, "5000.00").correlate())).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(worker, () -> runtimeService.createMessageCorrelation(MESSAGE_HOLD_REQUESTED)
                .processInstanceId(instance).setVariable(VAR_HOLD_REASON, "SITE_NOT_READY").correlate())).isInstanceOf(ForbiddenException.class);
        // and the worker's requests are not the client's: a client's own "bonus" for the worker is refused too
        assertThatThrownBy(() -> fixtures.as(client, () -> runtimeService.createMessageCorrelation(MESSAGE_WORKER_REQUEST)
                .processInstanceId(instance).setVariable(VAR_REQUEST_KIND, "EXPENSE").setVariable(VAR_REQUEST_AMOUNT, "1.00").correlate()))
                .isInstanceOf(ForbiddenException.class);
        // engine access granted by mistake does not make a stranger a party either
        grantUpdate(stranger, instance);
        assertThatThrownBy(() -> fixtures.as(stranger, () -> runtimeService.createMessageCorrelation(MESSAGE_WORKER_REQUEST)
                .processInstanceId(instance).setVariable(VAR_REQUEST_KIND, "EXPENSE").setVariable(VAR_REQUEST_AMOUNT, "1.00").correlate()))
                .isInstanceOf(ForbiddenException.class);
        FieldAssignmentView seen = fixtures.as(client, () -> service.get(ref));
        assertThat(seen.status()).isEqualTo(FieldStatus.ASSIGNED);
        assertThat(seen.requests()).isEmpty();
        assertThat(seen.cancelPayment()).isNull();
        assertThat(balances(ref)).isEqualTo(before);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void aRescheduleReplyAcceptsTheClientsProposalAndCannotSetDatesOfTheWorkersChoosing() {
        String ref = assigned(true, 14);
        String instance = instance(ref);
        fixtures.as(client, () -> service.hold(ref, "PARTS_NOT_AVAILABLE", null));
        OffsetDateTime proposed = now().plusDays(10);
        fixtures.as(client, () -> service.removeHold(ref, proposed.toString(), proposed.plusHours(4).toString()));
        Task answer = task(instance, TASK_ANSWER_RESCHEDULE);
        assertThat(answer.getAssignee()).isEqualTo(worker);
        // the form shows the client's proposal from the row
        assertThat(java.time.Instant.parse((String) OpenSteps.form(formService, answer.getId()).get("newStartAt")))
                .isEqualTo(proposed.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        OffsetDateTime mine = now().plusDays(60);
        Map<String, Object> reply = new HashMap<>(Map.of(VAR_RESCHEDULE_ANSWER, ACCEPT, VAR_NEW_START, mine.toString(),
                VAR_NEW_END, mine.plusDays(30).toString(), VAR_SCHEDULED_START, Date.from(mine.toInstant()),
                VAR_SCHEDULED_END, Date.from(mine.plusDays(30).toInstant())));
        assertThatThrownBy(() -> fixtures.as(worker, () -> taskService.complete(answer.getId(), reply)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining(VAR_NEW_START);
        // written anyway (as only an operator could), his dates are not what the answer takes
        Map<String, Object> dates = new HashMap<>(reply);
        dates.remove(VAR_RESCHEDULE_ANSWER);
        runtimeService.setVariables(instance, dates);
        fixtures.as(worker, () -> taskService.complete(answer.getId(), Map.of(VAR_RESCHEDULE_ANSWER, ACCEPT)));

        FieldAssignmentView resumed = fixtures.as(client, () -> service.get(ref));
        assertThat(resumed.status()).isEqualTo(FieldStatus.ASSIGNED);
        assertThat(resumed.scheduledStart().toInstant()).isEqualTo(proposed.toInstant());
        assertThat(resumed.scheduledEnd().toInstant()).isEqualTo(proposed.plusHours(4).toInstant());
        assertThat(timer(instance, TIMER_LATE_CHECK_IN).getDuedate()).isEqualTo(Date.from(proposed.toInstant()));
        assertThat(timer(instance, TIMER_CONFIRMATION_REMINDER).getDuedate()).isEqualTo(Date.from(proposed.minusHours(24).toInstant()));
    }

    @Test
    void thePaymentDateTimerRunEarlyPaysNothingAndFastFundsNeedsTheWorkersOwnRequest() {
        String ref = assigned(true, 14);
        String instance = instance(ref);
        fixtures.as(worker, () -> service.checkIn(ref));
        fixtures.as(worker, () -> service.checkOut(ref));
        fixtures.as(worker, () -> service.submit(ref, new FieldAssignmentService.Submission(null, Map.of("Meter reading", "4711"))));
        fixtures.as(client, () -> service.approve(ref));
        Jobs.run(managementService, instance);
        Map<String, String> approved = balances(ref);
        assertThat(approved.get("escrow")).isEqualTo("500.00");

        // the payment date's timer executed 14 days early (as a job execution through the engine would): its payout step refuses
        managementService.executeJob(timer(instance, TIMER_PAYMENT_DUE_WAIT).getId());
        Job payout = managementService.createJobQuery().processInstanceId(instance).messages().singleResult();
        assertThatThrownBy(() -> managementService.executeJob(payout.getId())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not before");
        assertThat(balances(ref)).isEqualTo(approved);
        assertThat(fixtures.as(worker, () -> service.get(ref)).status()).isEqualTo(FieldStatus.APPROVED);

        // on the payment date it pays, once
        ClockUtil.setCurrentTime(Date.from(now().plusDays(14).toInstant()));
        managementService.executeJob(payout.getId());
        assertThat(fixtures.as(worker, () -> service.get(ref)).status()).isEqualTo(FieldStatus.PAID);
        assertThat(balances(ref).get("worker")).isEqualTo("500.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    // ---- helpers

    /** Published with check-in, a required custom field, budget 500.00; walt applied and was chosen. */
    private String assigned(boolean checkIn, int terms) {
        start = now().plusDays(3);
        FieldAssignmentView published = fixtures.as(client, () -> service.publish(company, new FieldAssignmentService.NewAssignment(
                "Replace the meter", null, "Main St 1", start.toString(), start.plusHours(8).toString(), "500.00", "EUR", terms, checkIn,
                List.of(), List.of("Meter reading"), "Site manager", null, null, null, List.of(), null)));
        FieldAssignmentView applied = fixtures.as(worker, () -> service.apply(published.ref(),
                new FieldAssignmentService.Application("APPLY", null, null, null, null)));
        long id = applied.applications().get(0).id();
        fixtures.as(client, () -> service.choose(published.ref(), id));
        return published.ref();
    }

    /**
     * The worker completes his step with planted variables: the engine's input guard refuses the
     * completion, naming them. Written onto the instance anyway (as only an operator could), they
     * still steer nothing once he completes the step with its own field.
     */
    private void completeAsWorker(String instance, String step, String field, Map<String, Object> planted) {
        Map<String, Object> variables = new HashMap<>(planted);
        variables.put(field, true);
        Task task = task(instance, step);
        assertThat(task.getAssignee()).as(step).isEqualTo(worker);
        assertThatThrownBy(() -> fixtures.as(worker, () -> taskService.complete(task.getId(), variables)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an input of step " + step);
        runtimeService.setVariables(instance, planted);
        fixtures.as(worker, () -> taskService.complete(task.getId(), Map.of(field, true)));
    }

    /** The worker hands in his work with planted variables: refused as above, and harmless when written anyway. */
    private void submitAsWorker(String instance, Map<String, Object> planted) {
        Task submit = task(instance, TASK_SUBMIT_WORK);
        Map<String, Object> submission = new HashMap<>(planted);
        submission.put(VAR_CUSTOM_FIELDS_TEXT, "Meter reading: 4711");
        assertThatThrownBy(() -> fixtures.as(worker, () -> taskService.complete(submit.getId(), submission)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("is not an input of step " + TASK_SUBMIT_WORK);
        runtimeService.setVariables(instance, planted);
        fixtures.as(worker, () -> taskService.complete(submit.getId(), Map.of(VAR_CUSTOM_FIELDS_TEXT, "Meter reading: 4711")));
    }

    private void grantUpdate(String user, String instance) {
        org.camunda.bpm.engine.authorization.Authorization grant = authorizationService.createNewAuthorization(
                org.camunda.bpm.engine.authorization.Authorization.AUTH_TYPE_GRANT);
        grant.setUserId(user);
        grant.setResource(org.camunda.bpm.engine.authorization.Resources.PROCESS_INSTANCE);
        grant.setResourceId(instance);
        grant.addPermission(org.camunda.bpm.engine.authorization.Permissions.READ);
        grant.addPermission(org.camunda.bpm.engine.authorization.Permissions.UPDATE);
        authorizationService.saveAuthorization(grant);
    }

    private long requestId(String ref) {
        return fixtures.as(client, () -> service.get(ref)).requests().get(0).id();
    }

    private List<String> candidateGroups(Task task) {
        return taskService.getIdentityLinksForTask(task.getId()).stream().filter(l -> "candidate".equals(l.getType()))
                .map(IdentityLink::getGroupId).filter(g -> g != null).toList();
    }

    private Map<String, String> balances(String ref) {
        return Map.of("company", balance(AccountRef.company(company)), "worker", balance(AccountRef.user(worker)),
                "escrow", balance(AccountRef.escrow(reference(ref))));
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, EUR).toDecimalString();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.ofInstant(ClockUtil.getCurrentTime().toInstant(), ZoneOffset.UTC);
    }

    private String instance(String ref) {
        return jdbc.sql("select process_instance_id from field_assignment where ref = :ref").param("ref", ref).query(String.class).single();
    }

    private Task task(String instance, String step) {
        return taskService.createTaskQuery().processInstanceId(instance).taskDefinitionKey(step).singleResult();
    }

    private Job timer(String instance, String activityId) {
        return managementService.createJobQuery().processInstanceId(instance).timers().activityId(activityId).singleResult();
    }

    private void fire(Job job) {
        if (job.getDuedate().after(ClockUtil.getCurrentTime())) {
            ClockUtil.setCurrentTime(job.getDuedate());
        }
        managementService.executeJob(job.getId());
        Jobs.run(managementService, job.getProcessInstanceId());
    }
}
