package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.gigflow.document.DocumentService;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.UnprocessableException;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import io.gigflow.support.OpenSteps;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Every stage and transition of field-assignment, driven as client and workers drive it, with
 * the job executor off so that the test fires timers and runs asynchronous steps itself.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class FieldAssignmentProcessTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired FieldAssignmentService service;
    @Autowired Ledger ledger;
    @Autowired DocumentService documents;
    @Autowired JdbcClient jdbc;
    @Autowired io.gigflow.shared.FaultInjector faults;

    Fixtures fixtures;
    String company;
    String client;
    String worker;
    String other;
    OffsetDateTime now;
    OffsetDateTime start;
    OffsetDateTime end;

    @BeforeEach
    void givenAClientCompanyWithMoneyAndTwoFieldWorkers() {
        BpmnAwareTests.init(engine);
        now = OffsetDateTime.parse("2026-03-02T09:00:00Z");
        ClockUtil.setCurrentTime(Date.from(now.toInstant()));
        start = now.plusDays(3);
        end = start.plusHours(8);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        client = acme[1];
        worker = fixtures.fieldWorker("walt");
        other = fixtures.fieldWorker("olga");
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.company(company), Money.of("1000.00", "EUR"), "Top-up");
    }

    @AfterEach
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void walksFromPublishedToPaidOnThePaymentDateWithACounterofferRequestsAndLabels() {
        FieldAssignmentView published = publish(true, 14, List.of("Photo of the meter"), List.of("Meter reading"));
        ProcessInstance instance = instance(published.ref());
        assertThat(published.status()).isEqualTo(FieldStatus.PUBLISHED);
        assertThat(instance).isWaitingAt(TASK_CHOOSE_APPLICANT, TASK_APPLY);
        // Tasklist tells the steps of several assignments apart: the reference and the title in each name and form
        assertThat(OpenSteps.form(engine.getFormService(), task(instance, TASK_CHOOSE_APPLICANT).getId())).containsEntry(VAR_REF, published.ref())
                .containsEntry("title", "Replace the meter");
        // the engine keeps no copy of the start's values, nor of what the forms show
        assertThat(runtimeService.getVariables(instance.getId())).doesNotContainKeys(START_VARIABLES.toArray(String[]::new))
                .doesNotContainKeys(VAR_REF, "price", VAR_DESCRIPTION_TEXT, VAR_REQUIREMENTS_TEXT);
        assertThat(task(instance, TASK_APPLY).getName()).isEqualTo("Apply for assignment: " + published.ref() + " Replace the meter");
        assertThat(task(instance, TASK_CHOOSE_APPLICANT).getName()).isEqualTo("Choose applicant: " + published.ref() + " Replace the meter");
        assertThat(engine.getHistoryService().createHistoricTaskInstanceQuery().taskId(task(instance, TASK_APPLY).getId()).singleResult()
                .getName()).isEqualTo("Apply for assignment: " + published.ref() + " Replace the meter");

        // PUBLISHED: a question answered, an application and a counteroffer; workers see the scope only
        FieldAssignmentView asked = fixtures.as(worker, () -> service.ask(published.ref(), "Is there parking?"));
        long questionId = asked.questions().get(0).id();
        assertThat(asked.contact()).isNull();
        assertThat(asked.attachments()).isNull();
        fixtures.as(client, () -> service.answer(published.ref(), questionId, "Yes, in the yard"));
        assertThat(notices(published, worker)).contains("QUESTION_ANSWERED");
        fixtures.as(worker, () -> service.apply(published.ref(), new FieldAssignmentService.Application("APPLY", "Happy to", null, null, null)));
        OffsetDateTime otherStart = start.plusDays(1);
        FieldAssignmentView offered = fixtures.as(other, () -> service.apply(published.ref(), new FieldAssignmentService.Application(
                "COUNTEROFFER", "A day later, cheaper", "450.00", otherStart.toString(), otherStart.plusHours(8).toString())));
        assertThat(offered.applications()).hasSize(1).allMatch(a -> a.workerId().equals(other));
        assertThat(fixtures.as(worker, () -> service.get(published.ref())).questions().get(0).answer()).isEqualTo("Yes, in the yard");

        // the client takes the counteroffer: its terms replace the budget and the schedule
        long counteroffer = offered.applications().get(0).id();
        FieldAssignmentView assigned = fixtures.as(client, () -> service.choose(published.ref(), counteroffer));
        assertThat(assigned.status()).isEqualTo(FieldStatus.ASSIGNED);
        assertThat(assigned.workerId()).isEqualTo(other);
        assertThat(assigned.price()).isEqualTo("450.00");
        assertThat(assigned.scheduledStart()).isEqualTo(otherStart);
        assertThat(assigned.labels()).containsExactly("WORKER_NOT_CONFIRMED");
        assertThat(notices(published, other)).contains("ASSIGNED");
        assertThat(notices(published, worker)).contains("NOT_CHOSEN");
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.get(published.ref()))).isInstanceOf(NotFoundException.class);
        FieldAssignmentView seen = fixtures.as(other, () -> service.get(published.ref()));
        assertThat(seen.contact().name()).isEqualTo("Site manager");

        // the confirmation reminder, due 24 hours before the start
        Job reminder = timer(instance, TIMER_CONFIRMATION_REMINDER);
        assertThat(reminder.getDuedate()).isEqualTo(Date.from(otherStart.minusHours(24).toInstant()));
        fire(reminder);
        assertThat(notices(published, other)).contains("CONFIRMATION_REMINDER");
        assertThat(fixtures.as(other, () -> service.confirm(published.ref())).labels()).isEmpty();

        // requests while ASSIGNED: a budget increase approved, an expense declined; a bonus only later
        fixtures.as(other, () -> service.request(published.ref(), new FieldAssignmentService.WorkerRequest("BUDGET_INCREASE", "50.00", null, null, "More cable")));
        fixtures.as(other, () -> service.request(published.ref(), new FieldAssignmentService.WorkerRequest("EXPENSE", "20.00", null, null, "Parking")));
        assertThatThrownBy(() -> fixtures.as(other, () -> service.request(published.ref(),
                new FieldAssignmentService.WorkerRequest("BONUS", "10.00", null, null, null)))).isInstanceOf(ConflictException.class);
        List<FieldAssignmentView.RequestView> requests = fixtures.as(client, () -> service.get(published.ref())).requests();
        fixtures.as(client, () -> service.answerRequest(published.ref(), requests.get(0).id(), true, null));
        fixtures.as(client, () -> service.answerRequest(published.ref(), requests.get(1).id(), false, "Parking is free"));
        assertThat(notices(published, other)).contains("REQUEST_ANSWERED");
        assertThat(fixtures.as(client, () -> service.total(published.ref())).toDecimalString()).isEqualTo("500.00");

        // not checked in by the start: LATE; checking in starts the work
        fire(timer(instance, TIMER_LATE_CHECK_IN));
        assertThat(fixtures.as(client, () -> service.get(published.ref())).labels()).containsExactly("LATE");
        FieldAssignmentView inProgress = fixtures.as(other, () -> service.checkIn(published.ref()));
        assertThat(inProgress.status()).isEqualTo(FieldStatus.IN_PROGRESS);
        assertThat(inProgress.checkedInAt()).isNotNull();
        fixtures.as(other, () -> service.request(published.ref(), new FieldAssignmentService.WorkerRequest("BONUS", "30.00", null, null, "Weekend")));
        long bonus = fixtures.as(client, () -> service.get(published.ref())).requests().get(2).id();
        fixtures.as(client, () -> service.answerRequest(published.ref(), bonus, true, null));

        // a submission missing items is refused naming each of them
        assertThatThrownBy(() -> fixtures.as(other, () -> service.submit(published.ref(), new FieldAssignmentService.Submission(null, null))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("checkOut").hasMessageContaining("deliverables.Photo of the meter")
                .hasMessageContaining("customFields.Meter reading");
        fixtures.as(other, () -> service.checkOut(published.ref()));
        FieldAssignmentView submitted = fixtures.as(other, () -> service.submit(published.ref(), new FieldAssignmentService.Submission(
                Map.of("Photo of the meter", "https://files.example/meter.jpg"), Map.of("Meter reading", "12345"))));
        assertThat(submitted.status()).isEqualTo(FieldStatus.PENDING_APPROVAL);
        assertThat(notices(published, client)).contains("SUBMITTED");
        // the client's review step shows what was handed in, read from the rows when its form is opened (no variable holds it)
        org.camunda.bpm.engine.task.Task review = task(instance, TASK_REVIEW_SUBMISSION);
        assertThat(review.getName()).isEqualTo("Review submission: " + published.ref() + " Replace the meter");
        String shown = (String) OpenSteps.form(engine.getFormService(), review.getId()).get(VAR_SUBMISSION_TEXT);
        assertThat(engine.getTaskService().getVariablesLocal(review.getId())).isEmpty();
        assertThat(shown).contains("Checked in: " + submitted.checkedInAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                "Checked out: " + submitted.checkedOutAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                "- Photo of the meter: https://files.example/meter.jpg", "- Meter reading: 12345", "Price: 450.00 EUR",
                "BUDGET_INCREASE 50.00 EUR (More cable)", "BONUS 30.00 EUR (Weekend)", "Invoice total if approved now: 530.00 EUR")
                .doesNotContain("EXPENSE", "Parking");
        assertThat(runtimeService.getVariables(instance.getId())).doesNotContainKeys(VAR_SUBMISSION_TEXT, VAR_DELIVERABLES_TEXT);

        // approval: 450 + 50 + 30 into escrow; the invoice; the payment date after 14 days
        FieldAssignmentView approved = fixtures.as(client, () -> service.approve(published.ref()));
        assertThat(approved.status()).isEqualTo(FieldStatus.APPROVED);
        assertThat(approved.invoice().total()).isEqualTo("530.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("470.00");
        assertThat(balance(escrow(published))).isEqualTo("530.00");
        Jobs.run(managementService, instance.getId());
        assertThat(documents.forReference(reference(published.ref()))).singleElement()
                .satisfies(doc -> assertThat(doc.number()).matches("INV-\\d{6,}"));
        Job due = timer(instance, TIMER_PAYMENT_DUE_WAIT);
        assertThat(due.getDuedate()).isEqualTo(Date.from(ClockUtil.getCurrentTime().toInstant().plus(java.time.Duration.ofDays(14))));
        assertThatThrownBy(() -> fixtures.as(client, () -> service.cancel(published.ref(), null, null))).isInstanceOf(ConflictException.class);
        fire(due);

        assertThat(Jobs.ended(instance.getId(), KEY, published.ref())).hasPassed(END_PAID);
        FieldAssignmentView paid = fixtures.as(other, () -> service.get(published.ref()));
        assertThat(paid.status()).isEqualTo(FieldStatus.PAID);
        assertThat(balance(AccountRef.user(other))).isEqualTo("530.00");
        assertThat(balance(escrow(published))).isEqualTo("0.00");
        assertThat(notices(published, other)).contains("APPROVED", "PAID");
        assertThatThrownBy(() -> fixtures.as(client, () -> service.hold(published.ref(), "OTHER", "x"))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(client, () -> service.cancel(published.ref(), null, null))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(other, () -> service.checkOut(published.ref()))).isInstanceOf(ConflictException.class);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void startsAtTheScheduledStartWithoutCheckInLoopsOnNotSatisfiedAndEscalatesASlowApproval() {
        FieldAssignmentView published = publish(false, 0, List.of(), List.of("Hours"));
        ProcessInstance instance = instance(published.ref());
        assign(published, worker);

        fire(timer(instance, TIMER_SCHEDULED_START));
        assertThat(fixtures.as(worker, () -> service.get(published.ref())).status()).isEqualTo(FieldStatus.IN_PROGRESS);
        fire(timer(instance, TIMER_SCHEDULED_END));
        assertThat(fixtures.as(worker, () -> service.get(published.ref())).labels()).contains("LATE_DELIVERABLES");
        submit(published);

        // no approval history: the default approval time (P2D), then every 48 hours
        Job escalation = timer(instance, TIMER_APPROVAL_ESCALATION);
        assertThat(escalation.getDuedate()).isEqualTo(Date.from(ClockUtil.getCurrentTime().toInstant().plus(java.time.Duration.ofDays(2))));
        Date first = escalation.getDuedate();
        fire(escalation);
        assertThat(notices(published, worker)).containsOnlyOnce("APPROVAL_OVERDUE");
        assertThat(notices(published, client)).containsOnlyOnce("APPROVAL_OVERDUE");
        Job again = timer(instance, TIMER_APPROVAL_ESCALATION);
        assertThat(again.getDuedate()).isEqualTo(Date.from(first.toInstant().plus(java.time.Duration.ofHours(48))));
        fire(again);
        assertThat(notices(published, worker).stream().filter("APPROVAL_OVERDUE"::equals)).hasSize(2);

        FieldAssignmentView sentBack = fixtures.as(client, () -> service.notSatisfied(published.ref(), "Hours are missing the break"));
        assertThat(sentBack.status()).isEqualTo(FieldStatus.IN_PROGRESS);
        assertThat(notices(published, worker)).contains("NOT_SATISFIED");
        assertThat(timer(instance, TIMER_APPROVAL_ESCALATION)).isNull();
        submit(published);
        assertThat((String) OpenSteps.form(engine.getFormService(), task(instance, TASK_REVIEW_SUBMISSION).getId()).get(VAR_SUBMISSION_TEXT))
                .contains("Check-in not required", "Deliverables: none required", "- Hours: 8", "Approved requests: none",
                        "Invoice total if approved now: 500.00 EUR").doesNotContain("not yet");
        fixtures.as(client, () -> service.approve(published.ref()));
        Jobs.run(managementService, instance.getId());
        fire(timer(instance, TIMER_PAYMENT_DUE_WAIT));

        assertThat(fixtures.as(worker, () -> service.get(published.ref())).status()).isEqualTo(FieldStatus.PAID);
        assertThat(balance(AccountRef.user(worker))).isEqualTo("500.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("500.00");
    }

    @Test
    void escalatesAfterTheCompanysOwnAverageApprovalTime() {
        FieldAssignmentView first = publish(false, 0, List.of(), List.of());
        assign(first, worker);
        fire(timer(instance(first.ref()), TIMER_SCHEDULED_START));
        submit(first);
        moveClockTo(ClockUtil.getCurrentTime().toInstant().plusSeconds(5 * 3600));
        fixtures.as(client, () -> service.approve(first.ref()));

        FieldAssignmentView second = publish(false, 0, List.of(), List.of());
        assign(second, worker);
        fire(timer(instance(second.ref()), TIMER_SCHEDULED_START));
        submit(second);

        Job escalation = timer(instance(second.ref()), TIMER_APPROVAL_ESCALATION);
        assertThat(escalation.getDuedate()).isEqualTo(Date.from(ClockUtil.getCurrentTime().toInstant().plusSeconds(5 * 3600)));
    }

    @Test
    void putsOnHoldFromAssignedAndResumesWhenTheWorkerAcceptsTheNewSchedule() {
        FieldAssignmentView published = publish(true, 0, List.of(), List.of());
        ProcessInstance instance = instance(published.ref());
        assign(published, worker);
        fire(timer(instance, TIMER_LATE_CHECK_IN));

        FieldAssignmentView held = fixtures.as(client, () -> service.hold(published.ref(), "SITE_NOT_READY", null));
        assertThat(held.status()).isEqualTo(FieldStatus.ON_HOLD);
        assertThat(held.labels()).containsExactlyInAnyOrder("LATE", "WORKER_NOT_CONFIRMED");
        FieldAssignmentView workerView = fixtures.as(worker, () -> service.get(published.ref()));
        assertThat(workerView.labels()).isEmpty();
        assertThat(notices(published, worker)).contains("ON_HOLD");
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.checkIn(published.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.confirm(published.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(client, () -> service.hold(published.ref(), "OTHER", "again"))).isInstanceOf(ConflictException.class);

        OffsetDateTime newStart = now.plusDays(10);
        fixtures.as(client, () -> service.removeHold(published.ref(), newStart.toString(), newStart.plusHours(4).toString()));
        assertThat(notices(published, worker)).contains("RESCHEDULE_REQUESTED");
        FieldAssignmentView resumed = fixtures.as(worker, () -> service.answerReschedule(published.ref(), true));

        assertThat(resumed.status()).isEqualTo(FieldStatus.ASSIGNED);
        assertThat(resumed.scheduledStart()).isEqualTo(newStart);
        assertThat(resumed.labels()).containsExactly("WORKER_NOT_CONFIRMED");
        assertThat(timer(instance, TIMER_LATE_CHECK_IN).getDuedate()).isEqualTo(Date.from(newStart.toInstant()));
        assertThat(fixtures.as(worker, () -> service.checkIn(published.ref())).status()).isEqualTo(FieldStatus.IN_PROGRESS);
    }

    @Test
    void putsOnHoldFromInProgressAndRemovesAWorkerWhoDeclinesTheNewScheduleAndPublishesAgain() throws Exception {
        FieldAssignmentView published = publish(true, 0, List.of(), List.of());
        ProcessInstance instance = instance(published.ref());
        fixtures.as(other, () -> service.apply(published.ref(), new FieldAssignmentService.Application("APPLY", "Runner-up", null, null, null)));
        assign(published, worker);
        fixtures.as(worker, () -> service.checkIn(published.ref()));
        // through the engine, as Tasklist and /engine-rest send it
        fixtures.as(client, () -> runtimeService.createMessageCorrelation(MESSAGE_HOLD_REQUESTED).processInstanceId(instance.getId())
                .setVariable(VAR_HOLD_REASON, "PARTS_NOT_AVAILABLE").correlate());
        assertThat(fixtures.as(client, () -> service.get(published.ref())).status()).isEqualTo(FieldStatus.ON_HOLD);
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.checkOut(published.ref()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.submit(published.ref(), new FieldAssignmentService.Submission(null, null))))
                .isInstanceOf(ConflictException.class);

        OffsetDateTime newStart = now.plusDays(12);
        fixtures.as(client, () -> service.removeHold(published.ref(), newStart.toString(), newStart.plusHours(4).toString()));
        FieldAssignmentView republished = fixtures.as(worker, () -> {
            service.answerReschedule(published.ref(), false);
            return null;
        });

        assertThat(republished).isNull();
        FieldAssignmentView seen = fixtures.as(client, () -> service.get(published.ref()));
        assertThat(seen.status()).isEqualTo(FieldStatus.PUBLISHED);
        assertThat(seen.workerId()).isNull();
        assertThat(seen.scheduledStart()).isEqualTo(newStart);
        assertThat(instance).isWaitingAt(TASK_CHOOSE_APPLICANT, TASK_APPLY);
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.get(published.ref()))).isInstanceOf(NotFoundException.class);
        assertThat(notices(published, worker)).contains("WORKER_REMOVED");
        assertThat(fixtures.as(worker, () -> runtimeService.createProcessInstanceQuery().processInstanceId(instance.getId()).count())).isZero();

        // the runner-up's application stands: the client picks it, listed in the new choice step
        FieldAssignmentView.ApplicationView runnerUp = seen.applications().stream().filter(a -> a.workerId().equals(other)).findFirst().orElseThrow();
        assertThat(runnerUp.status()).isEqualTo("OPEN");
        String choice = engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).taskDefinitionKey(TASK_CHOOSE_APPLICANT)
                .singleResult().getId();
        Map<String, Object> choiceForm = OpenSteps.form(engine.getFormService(), choice);
        assertThat((String) choiceForm.get(VAR_APPLICATIONS_TEXT)).contains("#" + runnerUp.id() + " ");
        // the select offers exactly the open application, by its id
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree((String) choiceForm.get(VAR_APPLICANT_OPTIONS)))
                .extracting(option -> option.get("value").asLong()).containsExactly(runnerUp.id());
        fixtures.as(client, () -> service.choose(published.ref(), runnerUp.id()));
        assertThat(fixtures.as(other, () -> service.get(published.ref())).status()).isEqualTo(FieldStatus.ASSIGNED);
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.apply(published.ref(),
                new FieldAssignmentService.Application("APPLY", null, null, null, null)))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void movesTheScheduleAndItsTimersWhenTheClientApprovesARescheduleRequest() {
        FieldAssignmentView published = publish(true, 0, List.of(), List.of());
        ProcessInstance instance = instance(published.ref());
        assign(published, worker);
        OffsetDateTime later = start.plusDays(2);
        fixtures.as(worker, () -> service.request(published.ref(), new FieldAssignmentService.WorkerRequest("RESCHEDULE", null,
                later.toString(), later.plusHours(5).toString(), "Van in the garage")));
        assertThat(notices(published, client)).contains("REQUEST_SUBMITTED");
        long request = fixtures.as(client, () -> service.get(published.ref())).requests().get(0).id();

        FieldAssignmentView moved = fixtures.as(client, () -> service.answerRequest(published.ref(), request, true, null));

        assertThat(moved.scheduledStart()).isEqualTo(later);
        assertThat(moved.scheduledEnd()).isEqualTo(later.plusHours(5));
        assertThat(moved.requests().get(0).status()).isEqualTo("APPROVED");
        assertThat(timer(instance, TIMER_LATE_CHECK_IN).getDuedate()).isEqualTo(Date.from(later.toInstant()));
        assertThat(timer(instance, TIMER_CONFIRMATION_REMINDER).getDuedate()).isEqualTo(Date.from(later.minusHours(24).toInstant()));
        assertThat(fixtures.as(client, () -> service.total(published.ref())).toDecimalString()).isEqualTo("500.00");
        assertThatThrownBy(() -> fixtures.as(client, () -> service.answerRequest(published.ref(), request, false, null)))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void refusesAHoldWhilePublishedPendingApprovalApprovedPaidOrCancelled() {
        FieldAssignmentView published = publish(false, 30, List.of(), List.of());
        ProcessInstance instance = instance(published.ref());
        assertHoldRefused(published, instance, true);
        assign(published, worker);
        fire(timer(instance, TIMER_SCHEDULED_START));
        submit(published);
        assertHoldRefused(published, instance, true);
        fixtures.as(client, () -> service.approve(published.ref()));
        Jobs.run(managementService, instance.getId());
        assertHoldRefused(published, instance, true);
        fire(timer(instance, TIMER_PAYMENT_DUE_WAIT));
        assertHoldRefused(published, instance, false);

        FieldAssignmentView cancelled = publish(false, 0, List.of(), List.of());
        fixtures.as(client, () -> service.cancel(cancelled.ref(), null, "No longer needed"));
        assertHoldRefused(cancelled, instance(cancelled.ref()), false);
        assertThat(fixtures.as(client, () -> service.get(published.ref())).status()).isEqualTo(FieldStatus.PAID);
    }

    @Test
    void paysAnEligibleWorkerAtOnceMinusTheFastFundsFee() {
        FieldAssignmentView earlier = publish(false, 0, List.of(), List.of());
        assign(earlier, worker);
        fire(timer(instance(earlier.ref()), TIMER_SCHEDULED_START));
        submit(earlier);
        fixtures.as(client, () -> service.approve(earlier.ref()));
        Jobs.run(managementService, instance(earlier.ref()).getId());
        fire(timer(instance(earlier.ref()), TIMER_PAYMENT_DUE_WAIT));
        assertThat(balance(AccountRef.user(worker))).isEqualTo("500.00");

        FieldAssignmentView published = publish(false, 30, List.of(), List.of(), "200.00");
        ProcessInstance instance = instance(published.ref());
        assign(published, worker);
        fire(timer(instance, TIMER_SCHEDULED_START));
        submit(published);
        fixtures.as(client, () -> service.approve(published.ref()));
        Jobs.run(managementService, instance.getId());
        assertThat(instance).isWaitingAt(TASK_REQUEST_FAST_FUNDS);
        Money platformBefore = ledger.balance(AccountRef.platform(), EUR);
        // the form shows what FastFunds costs and the payment date it replaces, from the row when it is opened
        String offer = engine.getTaskService().createTaskQuery().processInstanceId(instance.getId())
                .taskDefinitionKey(TASK_REQUEST_FAST_FUNDS).singleResult().getId();
        java.time.LocalDate due = fixtures.as(worker, () -> service.get(published.ref())).invoice().paymentDate();
        var shown = OpenSteps.form(engine.getFormService(), offer);
        assertThat(shown).containsEntry("invoiceTotalText", "200.00 EUR").containsEntry("feeText", "5.00 EUR")
                .containsEntry("netText", "195.00 EUR");
        assertThat(java.time.Instant.parse((String) shown.get("paymentDate")).atZone(java.time.ZoneId.systemDefault()).toLocalDate())
                .isEqualTo(due);
        assertThat(runtimeService.getVariables(instance.getId())).doesNotContainKeys("feeText", "netText", "paymentDate");

        fixtures.as(worker, () -> service.fastFunds(published.ref()));
        Jobs.run(managementService, instance.getId());

        FieldAssignmentView paid = fixtures.as(worker, () -> service.get(published.ref()));
        assertThat(paid.status()).isEqualTo(FieldStatus.PAID);
        assertThat(paid.invoice().fastFundsFee()).isEqualTo("5.00");
        assertThat(paid.invoice().paidToWorker()).isEqualTo("195.00");
        assertThat(balance(AccountRef.user(worker))).isEqualTo("695.00");
        assertThat(ledger.balance(AccountRef.platform(), EUR).minus(platformBefore).toDecimalString()).isEqualTo("5.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("300.00");
        assertThat(timer(instance, TIMER_PAYMENT_DUE)).isNull();

        // a worker without a paid assignment is not eligible
        FieldAssignmentView third = publish(false, 30, List.of(), List.of(), "100.00");
        assign(third, other);
        fire(timer(instance(third.ref()), TIMER_SCHEDULED_START));
        submit(third, other);
        fixtures.as(client, () -> service.approve(third.ref()));
        assertThatThrownBy(() -> fixtures.as(other, () -> service.fastFunds(third.ref()))).isInstanceOf(UnprocessableException.class);
    }

    @Test
    void cancelsWithoutAndWithAPaymentAtSeveralStagesButNotAfterApproval() {
        FieldAssignmentView whilePublished = publish(false, 0, List.of(), List.of());
        fixtures.as(worker, () -> service.apply(whilePublished.ref(), new FieldAssignmentService.Application("APPLY", null, null, null, null)));
        assertThatThrownBy(() -> fixtures.as(client, () -> service.cancel(whilePublished.ref(), "10.00", null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("cancelPayment");
        assertThat(fixtures.as(client, () -> service.cancel(whilePublished.ref(), null, null)).status()).isEqualTo(FieldStatus.CANCELLED);
        assertThat(Jobs.ended(instance(whilePublished.ref()).getId(), KEY, whilePublished.ref())).hasPassed(END_CANCELLED);
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.get(whilePublished.ref()))).isInstanceOf(NotFoundException.class);

        FieldAssignmentView whileAssigned = publish(false, 0, List.of(), List.of());
        assign(whileAssigned, worker);
        fixtures.as(client, () -> service.cancel(whileAssigned.ref(), null, "Plans changed"));
        assertThatThrownBy(() -> fixtures.as(worker, () -> service.get(whileAssigned.ref()))).isInstanceOf(NotFoundException.class);
        assertThat(notices(whileAssigned, worker)).contains("CANCELLED");

        FieldAssignmentView whileWorking = publish(true, 0, List.of(), List.of());
        assign(whileWorking, other);
        fixtures.as(other, () -> service.checkIn(whileWorking.ref()));
        assertThatThrownBy(() -> fixtures.as(client, () -> service.cancel(whileWorking.ref(), "5000.00", null)))
                .isInstanceOf(UnprocessableException.class).hasMessageContaining("short by 4000.00 EUR");
        assertThat(fixtures.as(client, () -> service.get(whileWorking.ref())).status()).isEqualTo(FieldStatus.IN_PROGRESS);
        fixtures.as(client, () -> service.cancel(whileWorking.ref(), "40.00", "Weather"));
        FieldAssignmentView receivable = fixtures.as(other, () -> service.get(whileWorking.ref()));
        assertThat(receivable.status()).isEqualTo(FieldStatus.CANCELLED);
        assertThat(receivable.cancelPayment()).isEqualTo("40.00");
        assertThat(balance(AccountRef.user(other))).isEqualTo("40.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("960.00");

        FieldAssignmentView approved = publish(false, 30, List.of(), List.of());
        assign(approved, worker);
        fire(timer(instance(approved.ref()), TIMER_SCHEDULED_START));
        submit(approved);
        fixtures.as(client, () -> service.approve(approved.ref()));
        Jobs.run(managementService, instance(approved.ref()).getId());
        assertThatThrownBy(() -> fixtures.as(client, () -> service.cancel(approved.ref(), null, null))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(client, () -> runtimeService.createMessageCorrelation(MESSAGE_CANCEL_REQUESTED)
                .processInstanceId(instance(approved.ref()).getId()).correlate())).isInstanceOf(ConflictException.class);
        assertThat(fixtures.as(client, () -> service.get(approved.ref())).status()).isEqualTo(FieldStatus.APPROVED);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void recordsEveryApplicationWhenWorkersApplyAtTheSameMoment() throws Exception {
        for (int round = 0; round < 4; round++) {
            FieldAssignmentView published = publish(false, 0, List.of(), List.of());
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                List<java.util.concurrent.Future<FieldAssignmentView>> results = new java.util.ArrayList<>();
                for (String who : List.of(worker, other)) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return fixtures.as(who, () -> service.apply(published.ref(),
                                new FieldAssignmentService.Application("APPLY", null, null, null, null)));
                    }));
                }
                go.countDown();
                for (var result : results) {
                    result.get(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(fixtures.as(client, () -> service.get(published.ref())).applications()).extracting(a -> a.workerId())
                    .containsExactlyInAnyOrder(worker, other);
            assertThat(instance(published.ref())).isWaitingAt(TASK_CHOOSE_APPLICANT, TASK_APPLY);
        }
    }

    @Test
    void retriesAFailedPayoutStepAndPaysExactlyOnce() {
        FieldAssignmentView published = publish(false, 0, List.of(), List.of());
        ProcessInstance instance = instance(published.ref());
        assign(published, worker);
        fire(timer(instance, TIMER_SCHEDULED_START));
        submit(published);
        fixtures.as(client, () -> service.approve(published.ref()));
        Jobs.run(managementService, instance.getId());
        Job due = timer(instance, TIMER_PAYMENT_DUE_WAIT);
        managementService.executeJob(due.getId());
        faults.failNext(io.gigflow.shared.FaultInjector.LEDGER_TRANSFER, 1);
        try {
            Job payout = managementService.createJobQuery().processInstanceId(instance.getId()).messages().singleResult();
            assertThatThrownBy(() -> managementService.executeJob(payout.getId()))
                    .isInstanceOf(io.gigflow.shared.FaultInjector.InjectedFault.class);
            assertThat(fixtures.as(worker, () -> service.get(published.ref())).status()).isEqualTo(FieldStatus.APPROVED);
            assertThat(balance(AccountRef.user(worker))).isEqualTo("0.00");
            managementService.executeJob(payout.getId());
        } finally {
            faults.reset();
        }

        assertThat(fixtures.as(worker, () -> service.get(published.ref())).status()).isEqualTo(FieldStatus.PAID);
        assertThat(balance(AccountRef.user(worker))).isEqualTo("500.00");
        assertThat(jdbc.sql("select count(*) from ledger_transfer where idempotency_key like :k").param("k", reference(published.ref()) + ":%")
                .query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void refusesAnApprovalTheBalanceDoesNotCoverAndChangesNothing() {
        FieldAssignmentView published = publish(false, 0, List.of(), List.of(), "1200.00");
        assign(published, worker);
        fire(timer(instance(published.ref()), TIMER_SCHEDULED_START));
        submit(published);

        assertThatThrownBy(() -> fixtures.as(client, () -> service.approve(published.ref())))
                .isInstanceOf(UnprocessableException.class).hasMessageContaining("short by 200.00 EUR");

        assertThat(fixtures.as(client, () -> service.get(published.ref())).status()).isEqualTo(FieldStatus.PENDING_APPROVAL);
        assertThat(instance(published.ref())).isWaitingAt(TASK_REVIEW_SUBMISSION);
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
    }

    @Test
    void cutsATaskNameThatWouldNotFitTheEnginesColumn() {
        String ref = "R" + "x".repeat(63);
        String title = "T" + "y".repeat(199);
        FieldAssignmentView published = fixtures.as(client, () -> service.publish(company, new FieldAssignmentService.NewAssignment(title,
                null, "Elm St 5", start.toString(), end.toString(), "80.00", "EUR", 0, false, List.of(), List.of(), "Front desk", null, null,
                null, List.of(), ref)));
        String name = task(instance(published.ref()), TASK_APPLY).getName();
        assertThat(name).hasSize(255).startsWith("Apply for assignment: " + ref + " T").endsWith("y...");
    }

    @Test
    void refusesInvalidStartsNamingEachProblemAndLeavesNothingBehind() {
        long before = jdbc.sql("select count(*) from field_assignment").query(Long.class).single();
        long instancesBefore = runtimeService.createProcessInstanceQuery().processDefinitionKey(KEY).count();
        assertThatThrownBy(() -> fixtures.as(client, () -> service.publish(company, new FieldAssignmentService.NewAssignment(
                "", null, "Main St 1", "yesterday", now.minusDays(1).toString(), "-5", "EUR", 120, true, null, null, null, null, "x", null,
                null, null))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("title").hasMessageContaining("scheduledStart")
                .hasMessageContaining("budget").hasMessageContaining("paymentTermsDays").hasMessageContaining("contactName")
                .hasMessageContaining("contactEmail");
        assertThatThrownBy(() -> fixtures.as(client, () -> service.publish(company, new FieldAssignmentService.NewAssignment(
                "Fix", null, "Main St 1", start.toString(), end.toString(), "100.00", "EUR", 0, false, null, null, "Site manager", null, null,
                null, List.of(new FieldAssignmentService.Attachment("plan.pdf", "application/x-msdownload", "AAAA")), null))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("attachments[0].contentType");
        Map<String, Object> variables = new HashMap<>();
        variables.put(VAR_COMPANY_ID, company);
        variables.put(VAR_TITLE, "Fix");
        variables.put(VAR_LOCATION, "Main St 1");
        variables.put(VAR_SCHEDULED_START, start.toString());
        variables.put(VAR_SCHEDULED_END, end.toString());
        variables.put(VAR_BUDGET, 100.0);
        variables.put(VAR_CURRENCY, "EUR");
        variables.put(VAR_PAYMENT_TERMS_DAYS, 10);
        variables.put(VAR_CONTACT_NAME, "Site manager");
        assertThatThrownBy(() -> fixtures.as(client, () -> runtimeService.startProcessInstanceByKey(KEY, variables)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("budget");
        String stranger = fixtures.fieldWorker("eve");
        variables.put(VAR_BUDGET, "100.00");
        assertThatThrownBy(() -> fixtures.as(stranger, () -> runtimeService.startProcessInstanceByKey(KEY, variables)))
                .isInstanceOf(org.camunda.bpm.engine.AuthorizationException.class);

        assertThat(jdbc.sql("select count(*) from field_assignment").query(Long.class).single()).isEqualTo(before);
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(KEY).count()).isEqualTo(instancesBefore);
    }

    // ---- helpers

    private void assertHoldRefused(FieldAssignmentView assignment, ProcessInstance instance, boolean alive) {
        FieldStatus status = fixtures.as(client, () -> service.get(assignment.ref())).status();
        assertThatThrownBy(() -> fixtures.as(client, () -> service.hold(assignment.ref(), "SITE_NOT_READY", null)))
                .isInstanceOf(ConflictException.class);
        if (alive) {
            assertThatThrownBy(() -> fixtures.as(client, () -> runtimeService.createMessageCorrelation(MESSAGE_HOLD_REQUESTED)
                    .processInstanceId(instance.getId()).setVariable(VAR_HOLD_REASON, "SITE_NOT_READY").correlate()))
                    .isInstanceOf(ConflictException.class);
        }
        assertThat(fixtures.as(client, () -> service.get(assignment.ref())).status()).isEqualTo(status);
    }

    private FieldAssignmentView publish(boolean checkIn, int terms, List<String> deliverables, List<String> customFields) {
        return publish(checkIn, terms, deliverables, customFields, "500.00");
    }

    private FieldAssignmentView publish(boolean checkIn, int terms, List<String> deliverables, List<String> customFields, String budget) {
        start = OffsetDateTime.ofInstant(ClockUtil.getCurrentTime().toInstant(), java.time.ZoneOffset.UTC).plusDays(3);
        end = start.plusHours(8);
        return fixtures.as(client, () -> service.publish(company, new FieldAssignmentService.NewAssignment("Replace the meter",
                "Replace the <strong>gas meter</strong><script>alert(1)</script>", "Main St 1, Springfield", start.toString(), end.toString(),
                budget, "EUR", terms, checkIn, deliverables, customFields, "Site manager", "+1 555 0100", "site@acme.example", null,
                List.of(new FieldAssignmentService.Attachment("plan.txt", "text/plain", "UGxhbiBvZiB0aGUgc2l0ZQ==")), null)));
    }

    private void assign(FieldAssignmentView published, String who) {
        FieldAssignmentView applied = fixtures.as(who, () -> service.apply(published.ref(),
                new FieldAssignmentService.Application("APPLY", null, null, null, null)));
        long id = applied.applications().stream().filter(a -> a.status().equals("OPEN")).findFirst().orElseThrow().id();
        fixtures.as(client, () -> service.choose(published.ref(), id));
    }

    private void submit(FieldAssignmentView assignment) {
        submit(assignment, worker);
    }

    private void submit(FieldAssignmentView assignment, String who) {
        List<String> fields = fixtures.as(client, () -> service.get(assignment.ref())).requiredCustomFields();
        Map<String, String> values = new HashMap<>();
        fields.forEach(f -> values.put(f, "8"));
        fixtures.as(who, () -> service.submit(assignment.ref(), new FieldAssignmentService.Submission(null, values)));
    }

    private void fire(Job job) {
        assertThat(job).as("timer").isNotNull();
        if (job.getDuedate().after(ClockUtil.getCurrentTime())) {
            moveClockTo(job.getDuedate().toInstant());
        }
        managementService.executeJob(job.getId());
        Jobs.run(managementService, job.getProcessInstanceId());
    }

    private void moveClockTo(java.time.Instant at) {
        ClockUtil.setCurrentTime(Date.from(at));
    }

    private ProcessInstance instance(String ref) {
        String id = jdbc.sql("select process_instance_id from field_assignment where ref = :ref").param("ref", ref).query(String.class).single();
        ProcessInstance running = runtimeService.createProcessInstanceQuery().processInstanceId(id).singleResult();
        return running != null ? running : Jobs.ended(id, KEY, ref);
    }

    /** The open step of the instance; Apply for assignment runs in the offer's process, which the instance calls. */
    private org.camunda.bpm.engine.task.Task task(ProcessInstance instance, String activityId) {
        if (TASK_APPLY.equals(activityId)) {
            ProcessInstance offer = runtimeService.createProcessInstanceQuery().superProcessInstanceId(instance.getId()).singleResult();
            assertThat(offer.getProcessDefinitionId()).startsWith(FieldAssignmentProcess.OFFER_KEY + ":");
            assertThat(offer.getBusinessKey()).isEqualTo(instance.getBusinessKey());
            return engine.getTaskService().createTaskQuery().processInstanceId(offer.getId()).taskDefinitionKey(activityId).singleResult();
        }
        return engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).taskDefinitionKey(activityId).singleResult();
    }

    private Job timer(ProcessInstance instance, String activityId) {
        return managementService.createJobQuery().processInstanceId(instance.getId()).timers().activityId(activityId).singleResult();
    }

    private static AccountRef escrow(FieldAssignmentView assignment) {
        return AccountRef.escrow(reference(assignment.ref()));
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, EUR).toDecimalString();
    }

    private List<String> notices(FieldAssignmentView assignment, String user) {
        return jdbc.sql("select event from notification where recipient_id = :user and reference = :ref order by id")
                .param("user", user).param("ref", reference(assignment.ref())).query(String.class).list();
    }
}
