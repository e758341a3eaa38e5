package io.gigflow.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.field.FieldAssignmentProcess;
import io.gigflow.field.FieldAssignmentService;
import io.gigflow.field.FieldAssignmentView;
import io.gigflow.field.FieldStatus;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.support.Fixtures;
import io.gigflow.topup.TopUpService;
import io.gigflow.topup.TopUpStatus;
import io.gigflow.topup.TopUpView;
import io.gigflow.support.Jobs;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The demo data of the default profile, created at start-up through the same use cases as
 * users' clicks: the field workers and Acme's field assignments in every stage. The job
 * executor is off, as it is while the demo data is made (it starts after it): the paid
 * assignment is paid all the same, so that walt may take FastFunds on the approved one.
 */
@SpringBootTest(properties = {"gigflow.demo.enabled=true", "camunda.bpm.job-execution.enabled=false"})
@ActiveProfiles("test")
class DemoDataTest {

    private static final Currency EUR = Currency.getInstance("EUR");

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;
    @Autowired RuntimeService runtimeService;
    @Autowired ManagementService managementService;
    @Autowired FieldAssignmentService fieldAssignments;
    @Autowired Ledger ledger;
    @Autowired TopUpService topUps;

    @Test
    void fundsTheCompaniesAndTheCustomerThroughTopUpsThatFionaOfFinanceConfirmed() {
        Fixtures fixtures = new Fixtures(identityService);
        assertThat(identityService.checkPassword("fiona", DemoData.PASSWORD)).isTrue();
        assertThat(identityService.createUserQuery().userId("fiona").memberOfGroup(Parties.FINANCE_GROUP).count()).isEqualTo(1);

        List<TopUpView> acme = fixtures.as("carol", () -> topUps.ofCompany("acme", null, 0, 50));
        List<TopUpView> globex = fixtures.as("dan", () -> topUps.ofCompany("globex", null, 0, 50));
        List<TopUpView> carl = fixtures.as("carl", () -> topUps.mine(null, 0, 50));

        assertThat(acme).extracting(t -> t.receivedAmount() + " " + t.currency()).containsExactlyInAnyOrder("5000.00 EUR", "3000.00 USD");
        assertThat(globex).extracting(t -> t.receivedAmount() + " " + t.currency()).containsExactly("800.00 EUR");
        assertThat(carl).extracting(t -> t.receivedAmount() + " " + t.currency()).containsExactly("600.00 EUR");
        assertThat(List.of(acme, globex, carl)).allSatisfy(list -> assertThat(list)
                .allMatch(t -> t.status() == TopUpStatus.CREDITED && "fiona".equals(t.decidedBy())));
        // what each starts with once the demo's tasks, milestones, orders and assignments took their share
        assertThat(ledger.balance(AccountRef.company("acme"), Currency.getInstance("USD")).toDecimalString()).isEqualTo("1800.00");
        assertThat(ledger.balance(AccountRef.user("carl"), EUR).toDecimalString()).isEqualTo("120.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void createsFieldWorkersAndAcmesFieldAssignmentsInEveryStage() {
        Fixtures fixtures = new Fixtures(identityService);
        for (String worker : List.of("walt", "wendy")) {
            assertThat(identityService.checkPassword(worker, DemoData.PASSWORD)).as(worker).isTrue();
            assertThat(identityService.createUserQuery().userId(worker).memberOfGroup(Parties.FIELD_WORKERS_GROUP).count()).isEqualTo(1);
        }

        Map<FieldStatus, FieldAssignmentView> byStatus = fixtures.as("carol", () -> fieldAssignments.ofCompany("acme", null, 0, 50))
                .stream().collect(Collectors.toMap(FieldAssignmentView::status, Function.identity()));
        assertThat(byStatus).containsOnlyKeys(FieldStatus.values());

        FieldAssignmentView published = byStatus.get(FieldStatus.PUBLISHED);
        assertThat(published.applications()).extracting(FieldAssignmentView.ApplicationView::workerId).containsExactlyInAnyOrder("walt", "wendy");
        assertThat(published.applications()).extracting(FieldAssignmentView.ApplicationView::kind).containsExactlyInAnyOrder("APPLY", "COUNTEROFFER");
        assertThat(published.questions()).hasSize(1).allMatch(q -> q.answer() == null);
        assertThat(byStatus.get(FieldStatus.ASSIGNED).labels()).contains("WORKER_NOT_CONFIRMED");
        assertThat(byStatus.get(FieldStatus.IN_PROGRESS).checkedInAt()).isNotNull();

        FieldAssignmentView paid = byStatus.get(FieldStatus.PAID);
        FieldAssignmentView approved = byStatus.get(FieldStatus.APPROVED);
        assertThat(paid.workerId()).isEqualTo("walt");
        assertThat(approved.workerId()).isEqualTo("walt");
        assertThat(approved.invoice().paymentDate()).isAfter(LocalDate.now());
        assertThat(ledger.balance(AccountRef.user("walt"), EUR).toDecimalString()).isEqualTo(paid.invoice().total());
        // the approval's asynchronous steps (the invoice) run once the job executor starts, after the demo data
        String approvedInstance = runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(approved.ref()).singleResult().getId();
        Jobs.run(managementService, approvedInstance);
        assertThat(taskService.createTaskQuery().processInstanceBusinessKey(approved.ref())
                .taskDefinitionKey(FieldAssignmentProcess.TASK_REQUEST_FAST_FUNDS).taskAssignee("walt").count())
                .as("walt, paid once before, is offered FastFunds").isEqualTo(1);

        // what the README promises each of them finds in Tasklist
        assertThat(tasksOf("carol", published.ref())).containsExactlyInAnyOrder("Task_ChooseApplicant", "Task_AnswerQuestion");
        assertThat(tasksOf("carol", byStatus.get(FieldStatus.PENDING_APPROVAL).ref())).containsExactly("Task_ReviewSubmission");
        assertThat(tasksOf("carol", byStatus.get(FieldStatus.ON_HOLD).ref())).containsExactly("Task_RemoveHold");
        assertThat(tasksOf("walt", byStatus.get(FieldStatus.ASSIGNED).ref())).containsExactlyInAnyOrder("Task_ConfirmAssignment", "Task_CheckIn");
        assertThat(tasksOf("wendy", byStatus.get(FieldStatus.IN_PROGRESS).ref())).contains("Task_CheckOut");
        assertThat(tasksOf("wendy", published.ref())).containsExactly("Task_ApplyForAssignment");
    }

    private List<String> tasksOf(String user, String ref) {
        return new Fixtures(identityService).as(user, () -> taskService.createTaskQuery().processInstanceBusinessKey(ref).listPage(0, 50).stream()
                .map(t -> t.getTaskDefinitionKey()).toList());
    }
}
