package io.gigflow.milestone;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.PostgresDatabase;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Currency;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.camunda.bpm.engine.runtime.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The contractor-milestone paths on the production database: row locks, sequences, identity
 * columns, bytea files, timestamps with time zone and the engine's transaction on PostgreSQL
 * rather than H2.
 */
@SpringBootTest(properties = {
        "camunda.bpm.admin-user.password=Postgres-Milestone-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "camunda.bpm.job-execution.enabled=false",
        "logging.level.root=warn"})
@ActiveProfiles("postgres")
@DirtiesContext
class ContractorMilestoneOnPostgresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    @Autowired IdentityService identityService;
    @Autowired ManagementService managementService;
    @Autowired RuntimeService runtimeService;
    @Autowired ContractorMilestoneService milestones;
    @Autowired MilestonePaymentService payments;
    @Autowired MilestoneSettings settings;
    @Autowired Ledger ledger;

    @Test
    void approvesRejectsDeletesRemindsAndPaysExactlyAsOnH2() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String company = acme[0];
        String staff = acme[1];
        String alice = fixtures.contractor("alice");
        ledger.transfer("pg-top-up", AccountRef.external(), AccountRef.company(company), Money.of("100.00", "EUR"), "Top-up");
        OffsetDateTime deadline = OffsetDateTime.now(ZoneOffset.UTC).plusDays(10).truncatedTo(ChronoUnit.SECONDS);
        byte[] brief = "the brief".getBytes(StandardCharsets.UTF_8);

        MilestoneView paid = fixtures.as(staff, () -> milestones.create(company, alice, new ContractorMilestoneService.CreateMilestone(
                "Paid", null, deadline.toString(), "60.00", "EUR", null, null,
                new FileInput.FileRequest("brief.txt", "text/plain", Base64.getEncoder().encodeToString(brief)), null)));
        MilestoneView refused = create(fixtures, staff, company, alice, "Refused", "70.00", deadline);
        MilestoneView deleted = create(fixtures, staff, company, alice, "Deleted", "5.00", deadline);
        settings.setAutoApproveAfterDays(company, 2, staff);
        MilestoneView automatic = create(fixtures, staff, company, alice, "Automatic", "1.00", deadline);

        // deliverable, rejection, resubmission, approval
        fixtures.as(alice, () -> milestones.complete(paid.ref(), "v1",
                new FileInput.FileRequest("result.txt", "text/plain", Base64.getEncoder().encodeToString("v1".getBytes(StandardCharsets.UTF_8)))));
        fixtures.as(staff, () -> milestones.reject(paid.ref(), "Not yet"));
        fixtures.as(alice, () -> milestones.complete(paid.ref(), "v2", null));
        fixtures.as(staff, () -> milestones.approve(paid.ref()));
        fixtures.as(alice, () -> milestones.complete(refused.ref(), "Done", null));
        fixtures.as(staff, () -> milestones.approve(refused.ref()));
        fixtures.as(staff, () -> milestones.delete(deleted.ref()));

        // the deadline watch follows an edit; the automatic approval fires
        OffsetDateTime later = deadline.plusDays(5);
        fixtures.as(staff, () -> milestones.edit(automatic.ref(), new ContractorMilestoneService.EditMilestone(
                "Automatic", null, later.toString(), "1.00", "EUR", null)));
        Job reminder = managementService.createJobQuery().processInstanceId(instanceId(automatic.ref())).timers()
                .activityId(ContractorMilestoneProcess.TIMER_DEADLINE_REMINDER).singleResult();
        assertThat(reminder.getDuedate()).isEqualTo(Date.from(later.minusDays(1).toInstant()));
        fixtures.as(alice, () -> milestones.complete(automatic.ref(), "Done", null));
        Job autoApproval = managementService.createJobQuery().processInstanceId(instanceId(automatic.ref())).timers()
                .activityId(ContractorMilestoneProcess.TIMER_AUTO_APPROVAL).singleResult();
        // the approval is automatic once its days have passed (the step checks the row against the clock)
        ClockUtil.setCurrentTime(autoApproval.getDuedate());
        try {
            managementService.executeJob(autoApproval.getId());
        } finally {
            ClockUtil.reset();
        }
        runAllJobs();

        List<Long> paymentIds = List.of(paymentId(fixtures, staff, paid.ref()), paymentId(fixtures, staff, refused.ref()));
        MilestonePaymentService.PayResult result = fixtures.as(staff, () -> payments.pay(company, paymentIds));
        runAllJobs();

        Currency eur = Currency.getInstance("EUR");
        assertThat(result.results()).extracting(PayOutcome::result)
                .containsExactly(PayOutcome.Result.PAID, PayOutcome.Result.INSUFFICIENT_BALANCE);
        assertThat(ledger.balance(AccountRef.company(company), eur).toDecimalString()).isEqualTo("40.00");
        assertThat(ledger.balance(AccountRef.user(alice), eur).toDecimalString()).isEqualTo("60.00");
        MilestoneView paidView = fixtures.as(alice, () -> milestones.get(paid.ref()));
        assertThat(paidView.payment().status()).isEqualTo(PaymentStatus.PAID);
        assertThat(paidView.attachment().sha256()).hasSize(64);
        assertThat(paidView.submissions()).extracting(MilestoneView.SubmissionView::decision).containsExactly("REJECTED", "APPROVED");
        assertThat(fixtures.as(alice, () -> milestones.file(paid.ref(), paidView.attachment().id())).content()).isEqualTo(brief);
        assertThat(fixtures.as(staff, () -> milestones.get(deleted.ref())).status()).isEqualTo(MilestoneStatus.DELETED);
        assertThat(fixtures.as(staff, () -> milestones.get(automatic.ref())).status()).isEqualTo(MilestoneStatus.APPROVED);
        assertThat(fixtures.as(alice, () -> payments.myPayments(null, 0, 50))).extracting(PaymentView::status)
                .containsExactlyInAnyOrder(PaymentStatus.PAID, PaymentStatus.DRAFT, PaymentStatus.DRAFT);
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    private MilestoneView create(Fixtures fixtures, String staff, String company, String contractor, String title, String amount,
            OffsetDateTime deadline) {
        return fixtures.as(staff, () -> milestones.create(company, contractor, new ContractorMilestoneService.CreateMilestone(
                title, null, deadline.toString(), amount, "EUR", null, null, null, null)));
    }

    private String instanceId(String ref) {
        return runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(ref).singleResult().getId();
    }

    private long paymentId(Fixtures fixtures, String staff, String ref) {
        return fixtures.as(staff, () -> milestones.get(ref)).payment().id();
    }

    private void runAllJobs() {
        for (int round = 0; round < 20; round++) {
            List<Job> jobs = managementService.createJobQuery().executable().messages().list();
            if (jobs.isEmpty()) {
                return;
            }
            jobs.forEach(job -> managementService.executeJob(job.getId()));
        }
        throw new AssertionError("jobs kept coming");
    }
}
