package io.gigflow.milestone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.camunda.bpm.engine.test.assertions.bpmn.BpmnAwareTests.assertThat;

import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.task.IdentityLink;
import org.camunda.bpm.engine.task.Task;
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
 * Every path of contractor-milestone, driven as its users would drive it (through the use
 * cases, as the signed-in user), with the job executor off so that the test runs each
 * asynchronous step and each timer itself.
 */
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class ContractorMilestoneProcessTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired ProcessEngine engine;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;
    @Autowired ManagementService managementService;
    @Autowired IdentityService identityService;
    @Autowired ContractorMilestoneService milestones;
    @Autowired MilestonePaymentService payments;
    @Autowired MilestoneSettings settings;
    @Autowired Ledger ledger;
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
    void resetTheClock() {
        ClockUtil.reset();
    }

    @Test
    void approvesASubmissionDraftsItsPaymentAndPaysItFromTheCompanyBalance() {
        // given a new milestone
        MilestoneView created = create("Wireframes", "250.00", inDays(10));
        ProcessInstance instance = instance(created.ref());
        assertThat(created.status()).isEqualTo(MilestoneStatus.IN_PROGRESS);
        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE).variables()
                .containsEntry("status", "IN_PROGRESS");
        assertThat(BpmnAwareTests.task(ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE, instance)).isAssignedTo(alice);
        executeJobs(instance);
        assertThat(noticesTo(alice, created.ref())).containsExactly("MILESTONE_ADDED");

        // when the contractor marks it completed and the company approves it
        MilestoneView submitted = fixtures.as(alice, () -> milestones.complete(created.ref(), "All twelve screens", null));
        assertThat(submitted.status()).isEqualTo(MilestoneStatus.SUBMITTED);
        assertThat(BpmnAwareTests.task(ContractorMilestoneProcess.TASK_REVIEW_MILESTONE, instance)).hasCandidateGroup(company);
        executeJobs(instance);
        assertThat(noticesTo(staff, created.ref())).containsExactly("MILESTONE_SUBMITTED");
        MilestoneView approved = fixtures.as(staff, () -> milestones.approve(created.ref()));

        // then it is approved with a drafted payment, and the process waits for the payment
        assertThat(approved.status()).isEqualTo(MilestoneStatus.APPROVED);
        assertThat(approved.payment().status()).isEqualTo(PaymentStatus.DRAFT);
        assertThat(approved.payment().amount()).isEqualTo("250.00");
        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.EVENT_PAYMENT_REQUESTED);
        assertThat(managementService.createJobQuery().processInstanceId(instance.getId()).timers().count())
                .as("the deadline watch ended with the pending milestone").isZero();
        executeJobs(instance);
        assertThat(noticesTo(alice, created.ref())).containsExactly("MILESTONE_ADDED", "MILESTONE_APPROVED");
        assertThat(fixtures.as(staff, () -> payments.companyPayments(company, PaymentStatus.DRAFT, null, 0, 50)))
                .extracting(PaymentView::milestoneRef).containsExactly(created.ref());

        // and when the company pays it, the money moves from its balance to the contractor's
        MilestonePaymentService.PayResult paid = fixtures.as(staff, () -> payments.pay(company, List.of(approved.payment().id())));
        assertThat(paid.results()).extracting(PayOutcome::result).containsExactly(PayOutcome.Result.PAID);
        executeJobs(instance);
        assertThat(instance).hasPassed(ContractorMilestoneProcess.TASK_PAY_CONTRACTOR, ContractorMilestoneProcess.END_MILESTONE_PAID)
                .isEnded();
        assertThat(balance(AccountRef.company(company))).isEqualTo("750.00");
        assertThat(balance(AccountRef.user(alice))).isEqualTo("250.00");
        assertThat(fixtures.as(alice, () -> milestones.get(created.ref())).payment().status()).isEqualTo(PaymentStatus.PAID);
        assertThat(noticesTo(alice, created.ref())).containsExactly("MILESTONE_ADDED", "MILESTONE_APPROVED", "MILESTONE_PAID");
        assertThat(fixtures.as(staff, () -> milestones.history(created.ref())))
                .extracting(ContractorMilestoneService.HistoryEntry::event)
                .containsExactly("CREATED", "SUBMITTED", "APPROVED", "PAYMENT_DRAFTED", "PAID");
        assertThat(ledger.findTransfer("contractor-milestone:" + created.ref() + ":payment")).isPresent();
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void rejectsWithAReasonThatReachesTheContractorWhoResubmitsUntilItIsApproved() {
        MilestoneView milestone = create("Logo", "120.00", inDays(10));
        ProcessInstance instance = instance(milestone.ref());
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Three concepts", null));

        MilestoneView rejected = fixtures.as(staff, () -> milestones.reject(milestone.ref(), "The colours clash with our brand"));

        assertThat(rejected.status()).isEqualTo(MilestoneStatus.IN_PROGRESS);
        assertThat(rejected.rejectionReason()).isEqualTo("The colours clash with our brand");
        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE).variables()
                .doesNotContainKeys("completionNote", "lastRejectionReason");
        assertThat(form(instance, ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE))
                .containsEntry("lastRejectionReason", "The colours clash with our brand").doesNotContainKey("completionNote");
        executeJobs(instance);
        assertThat(notices(alice, milestone.ref(), "MILESTONE_REJECTED")).singleElement().asString()
                .contains("submission 1").contains("The colours clash with our brand");

        // the contractor resubmits, the company rejects once more, then approves
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Brand colours now", null));
        assertThat(instance).variables().doesNotContainKey("reviewDecision").doesNotContainKey("rejectionReason");
        fixtures.as(staff, () -> milestones.reject(milestone.ref(), "The font is too thin"));
        executeJobs(instance);
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Bolder font", null));
        MilestoneView approved = fixtures.as(staff, () -> milestones.approve(milestone.ref()));

        assertThat(approved.status()).isEqualTo(MilestoneStatus.APPROVED);
        assertThat(fixtures.as(alice, () -> milestones.get(milestone.ref())).submissions())
                .extracting(MilestoneView.SubmissionView::number, MilestoneView.SubmissionView::decision, MilestoneView.SubmissionView::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "REJECTED", "The colours clash with our brand"),
                        org.assertj.core.groups.Tuple.tuple(2, "REJECTED", "The font is too thin"),
                        org.assertj.core.groups.Tuple.tuple(3, "APPROVED", null));
        assertThat(notices(alice, milestone.ref(), "MILESTONE_REJECTED")).hasSize(2);
        assertThat(notices(staff, milestone.ref(), "MILESTONE_SUBMITTED")).hasSize(3);
        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.EVENT_PAYMENT_REQUESTED);
    }

    @Test
    void deletesAPendingMilestoneInProgressOrSubmittedAndEndsItsProcess() {
        MilestoneView inProgress = create("Never started", "10.00", inDays(10));
        MilestoneView submitted = create("Done but not needed", "20.00", inDays(10));
        fixtures.as(alice, () -> milestones.complete(submitted.ref(), "Here it is", null));

        MilestoneView deleted = fixtures.as(staff, () -> milestones.delete(inProgress.ref()));
        MilestoneView deletedInReview = fixtures.as(staff, () -> milestones.delete(submitted.ref()));

        assertThat(deleted.status()).isEqualTo(MilestoneStatus.DELETED);
        assertThat(deletedInReview.status()).isEqualTo(MilestoneStatus.DELETED);
        for (MilestoneView milestone : List.of(inProgress, submitted)) {
            ProcessInstance instance = instance(milestone.ref());
            executeJobs(instance);
            assertThat(instance).hasPassed(ContractorMilestoneProcess.TASK_DELETE_MILESTONE,
                    ContractorMilestoneProcess.END_MILESTONE_DELETED).isEnded();
            assertThat(notices(alice, milestone.ref(), "MILESTONE_DELETED")).hasSize(1);
        }
        assertThat(managementService.createJobQuery().processInstanceId(instance(submitted.ref()).getId()).count()).isZero();
        assertThatThrownBy(() -> fixtures.as(staff, () -> milestones.delete(inProgress.ref()))).isInstanceOf(ConflictException.class);
        assertThat(fixtures.as(alice, () -> milestones.myMilestones(company)).pending()).isEmpty();
        assertThat(fixtures.as(alice, () -> milestones.get(inProgress.ref())).status()).isEqualTo(MilestoneStatus.DELETED);
        assertThat(fixtures.as(staff, () -> milestones.history(submitted.ref()))).extracting(ContractorMilestoneService.HistoryEntry::actor)
                .contains(staff);
    }

    @Test
    void editsAPendingMilestoneAndTheDeadlineTimersFollowTheNewDeadline() {
        OffsetDateTime firstDeadline = inDays(10);
        MilestoneView milestone = create("Draft terms", "100.00", firstDeadline);
        ProcessInstance instance = instance(milestone.ref());
        assertThat(timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_REMINDER).getDuedate())
                .isEqualTo(Date.from(firstDeadline.minusDays(1).toInstant()));

        OffsetDateTime newDeadline = inDays(20);
        MilestoneView edited = fixtures.as(staff, () -> milestones.edit(milestone.ref(), new ContractorMilestoneService.EditMilestone(
                "Final terms", "<p>Now <strong>bold</strong><script>alert(1)</script></p>", newDeadline.toString(), "300.00", "EUR", null)));

        assertThat(edited.title()).isEqualTo("Final terms");
        assertThat(edited.description()).isEqualTo("Now <strong>bold</strong>");
        assertThat(edited.amount()).isEqualTo("300.00");
        assertThat(edited.deadline()).isEqualTo(newDeadline);
        assertThat(form(instance, ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE)).containsEntry("title", "Final terms")
                .containsEntry("amountText", "300.00 EUR").containsEntry("descriptionText", "Now bold")
                .containsEntry("deadline", newDeadline.toInstant().toString());
        assertThat(instance).variables().doesNotContainKeys("title", "amount", "descriptionText", "deadline");
        assertThat(timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_REMINDER).getDuedate())
                .isEqualTo(Date.from(newDeadline.minusDays(1).toInstant()));
        assertThat(managementService.createJobQuery().processInstanceId(instance.getId()).timers().count()).isOne();

        // a submitted milestone is still pending: the company may change its amount before approving
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Done", null));
        fixtures.as(staff, () -> milestones.edit(milestone.ref(), new ContractorMilestoneService.EditMilestone(
                "Final terms", null, newDeadline.toString(), "320.00", "EUR", null)));
        MilestoneView approved = fixtures.as(staff, () -> milestones.approve(milestone.ref()));
        assertThat(approved.payment().amount()).isEqualTo("320.00");
        assertThat(fixtures.as(staff, () -> milestones.history(milestone.ref()))).extracting(ContractorMilestoneService.HistoryEntry::event)
                .containsExactly("CREATED", "EDITED", "SUBMITTED", "EDITED", "APPROVED", "PAYMENT_DRAFTED");
    }

    @Test
    void refusesToEditOrDeleteAnApprovedMilestone() {
        MilestoneView milestone = approvedMilestone("Approved work", "50.00");

        assertThatThrownBy(() -> fixtures.as(staff, () -> milestones.edit(milestone.ref(), new ContractorMilestoneService.EditMilestone(
                "Late change", null, inDays(30).toString(), "1.00", "EUR", null))))
                .isInstanceOf(ConflictException.class).hasMessageContaining("APPROVED");
        assertThatThrownBy(() -> fixtures.as(staff, () -> milestones.delete(milestone.ref())))
                .isInstanceOf(ConflictException.class).hasMessageContaining("APPROVED");
        assertThatThrownBy(() -> fixtures.as(staff, () -> milestones.removeAttachment(milestone.ref())))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Again", null)))
                .isInstanceOf(ConflictException.class);
        MilestoneView after = fixtures.as(staff, () -> milestones.get(milestone.ref()));
        assertThat(after.amount()).isEqualTo("50.00");
        assertThat(after.status()).isEqualTo(MilestoneStatus.APPROVED);
    }

    @Test
    void remindsTheContractorADayBeforeTheDeadlineAndTellsBothWhenItPasses() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(5);
        MilestoneView milestone = fixtures.as(staff, () -> milestones.create(company, alice, new ContractorMilestoneService.CreateMilestone(
                "Due on a day", null, day.toString(), "40.00", "EUR", null, null, null, null)));
        OffsetDateTime deadline = day.atTime(23, 59, 59).atOffset(ZoneOffset.UTC);
        assertThat(milestone.deadline()).isEqualTo(deadline);
        ProcessInstance instance = instance(milestone.ref());
        executeJobs(instance);

        // the reminder is due a day before the deadline
        Job reminder = timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_REMINDER);
        assertThat(reminder.getDuedate()).isEqualTo(Date.from(deadline.minusDays(1).toInstant()));
        ClockUtil.setCurrentTime(reminder.getDuedate());
        managementService.executeJob(reminder.getId());
        executeJobs(instance);
        assertThat(instance).hasPassed(ContractorMilestoneProcess.TASK_REMIND_CONTRACTOR)
                .isWaitingAt(ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE, ContractorMilestoneProcess.TIMER_DEADLINE_PASSED);
        assertThat(notices(alice, milestone.ref(), "DEADLINE_REMINDER")).singleElement().asString().contains("is due soon");

        // the deadline passes while the work is still in progress: both are told
        Job passed = timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_PASSED);
        assertThat(passed.getDuedate()).isEqualTo(Date.from(deadline.toInstant()));
        ClockUtil.setCurrentTime(Date.from(deadline.plusMinutes(1).toInstant()));
        managementService.executeJob(passed.getId());
        executeJobs(instance);
        assertThat(notices(alice, milestone.ref(), "DEADLINE_PASSED")).hasSize(1);
        assertThat(notices(staff, milestone.ref(), "DEADLINE_PASSED")).singleElement().asString().contains("not been marked completed");
        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE,
                ContractorMilestoneProcess.EVENT_DEADLINE_CHANGED_AFTER_DEADLINE);
        assertThat(fixtures.as(staff, () -> milestones.get(milestone.ref())).overdue()).isTrue();

        // a new deadline starts the watch over: a new reminder for the new deadline
        OffsetDateTime extended = deadline.plusDays(7);
        fixtures.as(staff, () -> milestones.edit(milestone.ref(), new ContractorMilestoneService.EditMilestone(
                "Due on a day", null, extended.toString(), "40.00", "EUR", null)));
        Job second = timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_REMINDER);
        assertThat(second.getDuedate()).isEqualTo(Date.from(extended.minusDays(1).toInstant()));
        managementService.executeJob(second.getId());
        executeJobs(instance);
        assertThat(notices(alice, milestone.ref(), "DEADLINE_REMINDER")).hasSize(2);
        assertThat(fixtures.as(staff, () -> milestones.get(milestone.ref())).overdue()).isFalse();
    }

    @Test
    void remindsNobodyWhenTheWorkWasSubmittedBeforeTheReminder() {
        MilestoneView milestone = create("Early bird", "40.00", inDays(5));
        ProcessInstance instance = instance(milestone.ref());
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Done early", null));

        managementService.executeJob(timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_REMINDER).getId());
        executeJobs(instance);

        assertThat(instance).hasNotPassed(ContractorMilestoneProcess.TASK_REMIND_CONTRACTOR)
                .isWaitingAt(ContractorMilestoneProcess.TASK_REVIEW_MILESTONE, ContractorMilestoneProcess.TIMER_DEADLINE_PASSED);
        assertThat(notices(alice, milestone.ref(), "DEADLINE_REMINDER")).isEmpty();
    }

    @Test
    void setsNoReminderWhenTheDeadlineIsNearerThanTheReminder() {
        OffsetDateTime soon = OffsetDateTime.now(ZoneOffset.UTC).plusHours(12).truncatedTo(ChronoUnit.SECONDS);
        MilestoneView milestone = create("Rush job", "40.00", soon);
        ProcessInstance instance = instance(milestone.ref());

        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE, ContractorMilestoneProcess.TIMER_DEADLINE_PASSED);
        assertThat(managementService.createJobQuery().processInstanceId(instance.getId()).timers().count()).isOne();
        assertThat(timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_PASSED).getDuedate()).isEqualTo(Date.from(soon.toInstant()));
    }

    @Test
    void approvesASubmissionAutomaticallyAfterTheDaysTheCompanySet() {
        settings.setAutoApproveAfterDays(company, 3, staff);
        MilestoneView milestone = create("Auto", "80.00", inDays(10));
        assertThat(milestone.autoApproveAfterDays()).isEqualTo(3);
        ProcessInstance instance = instance(milestone.ref());
        Date submittedAt = Date.from(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toInstant());
        ClockUtil.setCurrentTime(submittedAt);
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Please review", null));

        Job timer = timer(instance, ContractorMilestoneProcess.TIMER_AUTO_APPROVAL);
        assertThat(timer.getDuedate()).isEqualTo(Date.from(submittedAt.toInstant().plus(3, ChronoUnit.DAYS)));
        ClockUtil.setCurrentTime(timer.getDuedate());
        managementService.executeJob(timer.getId());

        MilestoneView approved = fixtures.as(staff, () -> milestones.get(milestone.ref()));
        assertThat(approved.status()).isEqualTo(MilestoneStatus.APPROVED);
        assertThat(approved.payment().status()).isEqualTo(PaymentStatus.DRAFT);
        assertThat(approved.submissions()).singleElement().satisfies(s -> {
            assertThat(s.automatic()).isTrue();
            assertThat(s.decidedBy()).isEqualTo("system");
        });
        assertThat(instance).hasPassed(ContractorMilestoneProcess.TASK_APPROVE_AUTOMATICALLY)
                .isWaitingAt(ContractorMilestoneProcess.EVENT_PAYMENT_REQUESTED);
        assertThat(taskService.createTaskQuery().processInstanceId(instance.getId()).count()).isZero();
        executeJobs(instance);
        assertThat(notices(alice, milestone.ref(), "MILESTONE_APPROVED")).hasSize(1);
        assertThat(notices(staff, milestone.ref(), "MILESTONE_AUTO_APPROVED")).singleElement().asString().contains("within 3 days");
    }

    @Test
    void neverApprovesAutomaticallyByDefaultAndAMilestoneMayChooseOtherwise() {
        MilestoneView byDefault = create("Manual", "10.00", inDays(10));
        settings.setAutoApproveAfterDays(company, 3, staff);
        MilestoneView optedOut = fixtures.as(staff, () -> milestones.create(company, alice, new ContractorMilestoneService.CreateMilestone(
                "Opted out", null, inDays(10).toString(), "10.00", "EUR", 0, null, null, null)));
        MilestoneView ownDays = fixtures.as(staff, () -> milestones.create(company, alice, new ContractorMilestoneService.CreateMilestone(
                "Two days", null, inDays(10).toString(), "10.00", "EUR", 2, null, null, null)));

        for (MilestoneView milestone : List.of(byDefault, optedOut, ownDays)) {
            fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Done", null));
        }

        assertThat(byDefault.autoApproveAfterDays()).isZero();
        assertThat(autoApprovalTimers(byDefault.ref())).isZero();
        assertThat(autoApprovalTimers(optedOut.ref())).isZero();
        assertThat(autoApprovalTimers(ownDays.ref())).isOne();
        assertThat(instance(byDefault.ref())).isWaitingAt(ContractorMilestoneProcess.TASK_REVIEW_MILESTONE);
    }

    @Test
    void rejectsAStartWithInvalidVariablesNamingEachFieldAndLeavesNothingBehind() {
        long instancesBefore = runtimeService.createProcessInstanceQuery().processDefinitionKey(ContractorMilestoneProcess.KEY).count();
        long rowsBefore = jdbc.sql("select count(*) from milestone").query(Long.class).single();
        Map<String, Object> variables = new HashMap<>();
        variables.put("companyId", company);
        variables.put("contractorId", "nobody");
        variables.put("deadline", "2020-01-01");
        variables.put("amount", "12.345");
        variables.put("currency", "EUR");
        variables.put("autoApproveAfterDays", -1);
        variables.put("deadlineReminder", "a day");

        assertThatThrownBy(() -> fixtures.as(staff, () -> runtimeService.startProcessInstanceByKey(ContractorMilestoneProcess.KEY, variables)))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(f -> f.field())
                        .containsExactlyInAnyOrder("contractorId", "title", "deadline", "amount", "autoApproveAfterDays", "deadlineReminder"))
                .hasMessageContaining("deadline: must be in the future");

        variables.putAll(Map.of("contractorId", alice, "title", "Paid by the double", "deadline", "next friday", "amount", 12.5,
                "autoApproveAfterDays", 2, "deadlineReminder", "P1D"));
        assertThatThrownBy(() -> fixtures.as(staff, () -> runtimeService.startProcessInstanceByKey(ContractorMilestoneProcess.KEY, variables)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("amount: must be a decimal string")
                .hasMessageContaining("deadline: must be a date");

        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey(ContractorMilestoneProcess.KEY).count()).isEqualTo(instancesBefore);
        assertThat(jdbc.sql("select count(*) from milestone").query(Long.class).single()).isEqualTo(rowsBefore);
    }

    @Test
    void refusesAStartByAUserOutsideTheCompany() {
        String outsider = fixtures.contractor("mallory");
        Map<String, Object> variables = Map.of("companyId", company, "contractorId", outsider, "title", "Pay myself",
                "deadline", inDays(3).toString(), "amount", "999.00", "currency", "EUR");

        assertThatThrownBy(() -> fixtures.as(outsider, () -> runtimeService.startProcessInstanceByKey(ContractorMilestoneProcess.KEY, variables)))
                .isInstanceOf(AuthorizationException.class);
        assertThat(jdbc.sql("select count(*) from milestone where contractor_id = :c").param("c", outsider).query(Long.class).single()).isZero();
    }

    @Test
    void refusesACompletionWithoutANoteAndAReviewWithoutADecisionOrReasonWhicheverDoorItComesThrough() {
        MilestoneView milestone = create("Checked", "15.00", inDays(10));
        ProcessInstance instance = instance(milestone.ref());
        String completeStep = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult().getId();

        assertThatThrownBy(() -> fixtures.as(alice, () -> taskService.complete(completeStep, Map.of("completionNote", "  "))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("completionNote");
        assertThatThrownBy(() -> fixtures.as(alice, () -> milestones.complete(milestone.ref(), null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("note: is required");
        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE);

        fixtures.as(alice, () -> taskService.complete(completeStep, Map.of("completionNote", "Through Tasklist")));
        String reviewStep = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult().getId();
        assertThatThrownBy(() -> fixtures.as(staff, () -> taskService.complete(reviewStep, Map.of("reviewDecision", "MAYBE"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reviewDecision");
        assertThatThrownBy(() -> fixtures.as(staff, () -> taskService.complete(reviewStep, Map.of("reviewDecision", "REJECT"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("rejectionReason: is required");
        assertThatThrownBy(() -> fixtures.as(staff, () -> milestones.reject(milestone.ref(), "")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reason: is required");

        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.TASK_REVIEW_MILESTONE);
        assertThat(fixtures.as(staff, () -> milestones.get(milestone.ref())).status()).isEqualTo(MilestoneStatus.SUBMITTED);
    }

    @Test
    void paysNothingWhileTheBalanceDoesNotCoverThePaymentAndPaysOnceItDoes() {
        MilestoneView milestone = approvedMilestone("Expensive", "1500.00");
        long paymentId = milestone.payment().id();

        MilestonePaymentService.PayResult refused = fixtures.as(staff, () -> payments.pay(company, List.of(paymentId, 999_999L)));

        assertThat(refused.results()).extracting(PayOutcome::result)
                .containsExactly(PayOutcome.Result.INSUFFICIENT_BALANCE, PayOutcome.Result.NOT_FOUND);
        assertThat(refused.results().get(0).message()).contains("1000.00 EUR").contains("1500.00 EUR");
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
        assertThat(balance(AccountRef.user(alice))).isEqualTo("0.00");
        assertThat(ledger.findTransfer("contractor-milestone:" + milestone.ref() + ":payment")).isEmpty();
        assertThat(instance(milestone.ref())).isWaitingAt(ContractorMilestoneProcess.EVENT_PAYMENT_REQUESTED);
        assertThat(fixtures.as(staff, () -> milestones.get(milestone.ref())).payment().refusal()).startsWith("Insufficient balance");

        ledger.transfer(Fixtures.unique("more"), AccountRef.external(), AccountRef.company(company), Money.of("500.00", "EUR"), "Top-up");
        MilestonePaymentService.PayResult paid = fixtures.as(staff, () -> payments.pay(company, List.of(paymentId)));
        MilestonePaymentService.PayResult again = fixtures.as(staff, () -> payments.pay(company, List.of(paymentId)));

        assertThat(paid.results()).extracting(PayOutcome::result).containsExactly(PayOutcome.Result.PAID);
        assertThat(again.results()).extracting(PayOutcome::result).containsExactly(PayOutcome.Result.ALREADY_PAID);
        assertThat(balance(AccountRef.company(company))).isEqualTo("0.00");
        assertThat(balance(AccountRef.user(alice))).isEqualTo("1500.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void letsOnlyTheContractorCompleteAndOnlyTheCompanyReviewAndNobodyElseSeeAnything() {
        MilestoneView milestone = create("Only for alice", "30.00", inDays(10));
        String bob = fixtures.contractor("bob");
        String[] other = fixtures.company("globex");

        assertThatThrownBy(() -> fixtures.as(bob, () -> milestones.get(milestone.ref()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixtures.as(bob, () -> milestones.complete(milestone.ref(), "Mine now", null))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixtures.as(other[1], () -> milestones.delete(milestone.ref()))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixtures.as(other[1], () -> milestones.contractorMilestones(company, alice))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> fixtures.as(staff, () -> milestones.complete(milestone.ref(), "For her", null))).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> fixtures.as(alice, () -> milestones.delete(milestone.ref()))).isInstanceOf(ForbiddenException.class);
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Done", null));
        assertThatThrownBy(() -> fixtures.as(alice, () -> milestones.approve(milestone.ref()))).isInstanceOf(ForbiddenException.class);
        fixtures.as(staff, () -> milestones.approve(milestone.ref()));

        assertThat(fixtures.as(bob, () -> milestones.myMilestones(null)).approved()).isEmpty();
        assertThat(fixtures.as(bob, () -> payments.myPayments(null, 0, 50))).isEmpty();
        assertThat(fixtures.as(alice, () -> milestones.myMilestones(null)).approved()).extracting(MilestoneView::ref).containsExactly(milestone.ref());
        assertThat(fixtures.as(alice, () -> payments.myPayments(null, 0, 50))).extracting(PaymentView::milestoneRef).containsExactly(milestone.ref());
        assertThat(fixtures.as(bob, () -> runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(milestone.ref()).count())).isZero();
        assertThat(fixtures.as(alice, () -> runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(milestone.ref()).count())).isOne();
    }

    // ---- attacks: every party is an adversary of the other, every variable is somebody's input

    @Test
    void aContractorPlantingACompanyAndAnAutomaticApprovalLeavesTheReviewToHerCompanyAlone() {
        MilestoneView milestone = create("Planted", "300.00", inDays(10));
        ProcessInstance instance = instance(milestone.ref());
        String[] other = fixtures.company("globex");
        plant(instance, Map.of("companyId", Parties.CONTRACTORS_GROUP, "autoApprovalAfter", "PT1S", "autoApproveAfterDays", 1,
                "reviewDecision", ContractorMilestoneProcess.DECISION_APPROVE, "status", "SUBMITTED"));
        String completeStep = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult().getId();

        fixtures.as(alice, () -> taskService.complete(completeStep, Map.of("completionNote", "Approve me")));

        Task review = taskService.createTaskQuery().processInstanceId(instance.getId()).singleResult();
        assertThat(review.getTaskDefinitionKey()).isEqualTo(ContractorMilestoneProcess.TASK_REVIEW_MILESTONE);
        assertThat(taskService.getIdentityLinksForTask(review.getId())).extracting(IdentityLink::getGroupId).containsExactly(company);
        assertThat(fixtures.as(alice, () -> taskService.createTaskQuery().processInstanceId(instance.getId()).count())).isZero();
        assertThat(autoApprovalTimers(milestone.ref())).as("the company's setting is never").isZero();
        plant(instance, Map.of("companyId", other[0]));
        assertThat(fixtures.as(other[1], () -> taskService.createTaskQuery().processInstanceId(instance.getId()).count())).isZero();

        // a review handed to her or to another company (as PUT /engine-rest/task/{id} could) approves nothing
        for (String intruder : List.of(alice, other[1])) {
            taskService.setAssignee(review.getId(), intruder);
            assertThatThrownBy(() -> fixtures.as(intruder, () -> taskService.complete(review.getId(),
                    Map.of("reviewDecision", ContractorMilestoneProcess.DECISION_APPROVE)))).as(intruder).isInstanceOf(ForbiddenException.class);
        }
        taskService.setAssignee(review.getId(), null);

        MilestoneView after = fixtures.as(staff, () -> milestones.get(milestone.ref()));
        assertThat(after.status()).isEqualTo(MilestoneStatus.SUBMITTED);
        assertThat(after.payment()).isNull();
        assertThat(instance).isWaitingAt(ContractorMilestoneProcess.TASK_REVIEW_MILESTONE);
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
        assertThat(balance(AccountRef.user(alice))).isEqualTo("0.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void theCompanysSettingAloneTimesTheAutomaticApprovalAndAnEarlyRunApprovesNothing() {
        settings.setAutoApproveAfterDays(company, 3, staff);
        MilestoneView milestone = create("Auto, by the company", "80.00", inDays(10));
        ProcessInstance instance = instance(milestone.ref());
        plant(instance, Map.of("autoApprovalAfter", "PT1S", "autoApproveAfterDays", 1));
        Date submittedAt = Date.from(OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).toInstant());
        ClockUtil.setCurrentTime(submittedAt);

        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Please review", null));

        Job timer = timer(instance, ContractorMilestoneProcess.TIMER_AUTO_APPROVAL);
        assertThat(timer.getDuedate()).isEqualTo(Date.from(submittedAt.toInstant().plus(3, ChronoUnit.DAYS)));
        assertThatThrownBy(() -> managementService.executeJob(timer.getId())).hasMessageContaining("cannot be approved automatically");
        assertThat(fixtures.as(staff, () -> milestones.get(milestone.ref())).status()).isEqualTo(MilestoneStatus.SUBMITTED);
        assertThat(fixtures.as(staff, () -> milestones.get(milestone.ref())).payment()).isNull();
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void onlyAMemberOfTheCompanyPaysDeletesOrMovesTheDeadlineEvenWhereTheEngineLetsTheMessageThrough() {
        MilestoneView approved = approvedMilestone("Approved", "200.00");
        MilestoneView pending = create("Pending", "50.00", inDays(10));
        String[] other = fixtures.company("globex");

        for (String sender : List.of(alice, other[1])) {
            assertThatThrownBy(() -> send(sender, ContractorMilestoneProcess.MESSAGE_PAYMENT_REQUESTED, approved))
                    .as(sender).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> send(sender, ContractorMilestoneProcess.MESSAGE_MILESTONE_DELETED, pending))
                    .as(sender).isInstanceOf(ForbiddenException.class);
            assertThatThrownBy(() -> send(sender, ContractorMilestoneProcess.MESSAGE_DEADLINE_CHANGED, pending))
                    .as(sender).isInstanceOf(ForbiddenException.class);
        }
        assertThat(fixtures.as(staff, () -> milestones.get(approved.ref())).payment().status()).isEqualTo(PaymentStatus.DRAFT);
        assertThat(fixtures.as(staff, () -> milestones.get(pending.ref())).status()).isEqualTo(MilestoneStatus.IN_PROGRESS);
        assertThat(fixtures.as(staff, () -> milestones.history(pending.ref()))).extracting(ContractorMilestoneService.HistoryEntry::event)
                .containsExactly("CREATED");
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");
        assertThat(balance(AccountRef.user(alice))).isEqualTo("0.00");

        send(staff, ContractorMilestoneProcess.MESSAGE_PAYMENT_REQUESTED, approved);

        assertThat(fixtures.as(alice, () -> milestones.get(approved.ref())).payment().status()).isEqualTo(PaymentStatus.PAID);
        assertThat(balance(AccountRef.company(company))).isEqualTo("800.00");
        assertThat(balance(AccountRef.user(alice))).isEqualTo("200.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void plantedDeadlinesAndStatusesMoveNoDeadlineTimerAndSendNoReminder() {
        OffsetDateTime deadline = inDays(10);
        MilestoneView milestone = create("Timed by the row", "20.00", deadline);
        ProcessInstance instance = instance(milestone.ref());
        Job reminder = timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_REMINDER);
        assertThat(reminder.getDuedate()).isEqualTo(Date.from(deadline.minusDays(1).toInstant()));
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Early", null));
        plant(instance, Map.of("deadline", "2099-01-01T00:00:00Z", "deadlineReminderAt", "2000-01-01T00:00:00Z",
                "deadlineReminderAhead", true, "deadlineReminder", "P9D", "status", "IN_PROGRESS"));

        ClockUtil.setCurrentTime(reminder.getDuedate());
        managementService.executeJob(reminder.getId());
        executeJobs(instance);

        assertThat(notices(alice, milestone.ref(), "DEADLINE_REMINDER")).as("the work was submitted").isEmpty();
        assertThat(timer(instance, ContractorMilestoneProcess.TIMER_DEADLINE_PASSED).getDuedate()).isEqualTo(Date.from(deadline.toInstant()));
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void refusesADeliverableThatIsNotAFreshDeliverableOfThisMilestone() {
        FileInput.FileRequest brief = new FileInput.FileRequest("brief.txt", "text/plain",
                Base64.getEncoder().encodeToString("the brief".getBytes(StandardCharsets.UTF_8)));
        MilestoneView mine = fixtures.as(staff, () -> milestones.create(company, alice, new ContractorMilestoneService.CreateMilestone(
                "Mine", null, inDays(10).toString(), "10.00", "EUR", null, null, brief, null)));
        MilestoneView another = fixtures.as(staff, () -> milestones.create(company, alice, new ContractorMilestoneService.CreateMilestone(
                "Another", null, inDays(10).toString(), "10.00", "EUR", null, null, brief, null)));
        fixtures.as(alice, () -> milestones.complete(another.ref(), "Done", new FileInput.FileRequest("result.txt", "text/plain",
                Base64.getEncoder().encodeToString("v1".getBytes(StandardCharsets.UTF_8)))));
        long otherDeliverable = fixtures.as(alice, () -> milestones.get(another.ref())).submissions().get(0).deliverable().id();
        long ownAttachment = fixtures.as(alice, () -> milestones.get(mine.ref())).attachment().id();
        String step = taskService.createTaskQuery().processInstanceId(instance(mine.ref()).getId()).singleResult().getId();

        for (long fileId : List.of(otherDeliverable, ownAttachment, 999_999_999L)) {
            assertThatThrownBy(() -> fixtures.as(alice, () -> taskService.complete(step, Map.of("completionNote", "Done",
                    "deliverableFileId", fileId)))).as("file %d", fileId).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("deliverableFileId");
        }
        assertThat(fixtures.as(alice, () -> milestones.get(mine.ref())).status()).isEqualTo(MilestoneStatus.IN_PROGRESS);
        assertThat(fixtures.as(alice, () -> milestones.get(mine.ref())).submissions()).isEmpty();
    }

    // ---- helpers

    private MilestoneView create(String title, String amount, OffsetDateTime deadline) {
        return fixtures.as(staff, () -> milestones.create(company, alice, new ContractorMilestoneService.CreateMilestone(
                title, null, deadline.toString(), amount, "EUR", null, null, null, null)));
    }

    private MilestoneView approvedMilestone(String title, String amount) {
        MilestoneView milestone = create(title, amount, inDays(10));
        fixtures.as(alice, () -> milestones.complete(milestone.ref(), "Done", null));
        return fixtures.as(staff, () -> milestones.approve(milestone.ref()));
    }

    private static OffsetDateTime inDays(int days) {
        return OffsetDateTime.now(ZoneOffset.UTC).plusDays(days).truncatedTo(ChronoUnit.SECONDS);
    }

    private ProcessInstance instance(String ref) {
        String id = jdbc.sql("select process_instance_id from milestone where ref = :ref").param("ref", ref).query(String.class).single();
        ProcessInstance running = runtimeService.createProcessInstanceQuery().processInstanceId(id).singleResult();
        return running != null ? running : Jobs.ended(id, ContractorMilestoneProcess.KEY, ref);
    }

    /** What the step's form shows: the engine's form variables, with the row's facts. */
    private Map<String, Object> form(ProcessInstance instance, String step) {
        String task = taskService.createTaskQuery().processInstanceId(instance.getId()).taskDefinitionKey(step).singleResult().getId();
        return engine.getFormService().getTaskFormVariables(task);
    }

    private Job timer(ProcessInstance instance, String activityId) {
        return managementService.createJobQuery().processInstanceId(instance.getId()).timers().activityId(activityId).singleResult();
    }

    private long autoApprovalTimers(String ref) {
        return managementService.createJobQuery().processInstanceId(instance(ref).getId()).timers()
                .activityId(ContractorMilestoneProcess.TIMER_AUTO_APPROVAL).count();
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, EUR).toDecimalString();
    }

    /** The events of the notifications the user got about the milestone, in order. */
    private List<String> noticesTo(String user, String ref) {
        return jdbc.sql("select event from notification where recipient_id = :user and (reference = :ref or reference like :sub) order by id")
                .param("user", user).param("ref", "contractor-milestone:" + ref).param("sub", "contractor-milestone:" + ref + ":%")
                .query(String.class).list();
    }

    /** The bodies of one kind of notification the user got about the milestone. */
    private List<String> notices(String user, String ref, String event) {
        return jdbc.sql("select body from notification where recipient_id = :user and event = :event"
                        + " and (reference = :ref or reference like :sub) order by id")
                .param("user", user).param("event", event).param("ref", "contractor-milestone:" + ref)
                .param("sub", "contractor-milestone:" + ref + ":%").query(String.class).list();
    }

    /** Writes variables onto the instance, as any door that let a party write them would. */
    private void plant(ProcessInstance instance, Map<String, Object> variables) {
        runtimeService.setVariables(instance.getId(), variables);
    }

    /**
     * Sends a message as the user with the engine's own authorization checks off: as the engine
     * runs a message correlation that the input guard let through, so that only the lifecycle's
     * listener stands between the sender and the process.
     */
    private void send(String user, String message, MilestoneView milestone) {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration();
        configuration.setAuthorizationEnabled(false);
        try {
            fixtures.as(user, () -> runtimeService.createMessageCorrelation(message)
                    .processInstanceId(instance(milestone.ref()).getId()).correlateWithResult());
        } finally {
            configuration.setAuthorizationEnabled(true);
        }
    }

    /** Runs every due asynchronous step of the instance, as the job executor would. */
    private void executeJobs(ProcessInstance instance) {
        Jobs.run(managementService, instance.getId());
    }
}
