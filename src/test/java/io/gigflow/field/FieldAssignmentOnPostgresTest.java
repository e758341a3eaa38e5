package io.gigflow.field;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Jobs;
import io.gigflow.support.PostgresDatabase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The field-assignment paths on the production database. */
@SpringBootTest(properties = {
        "camunda.bpm.admin-user.password=Postgres-Field-Test-1",
        "camunda.bpm.generate-unique-process-engine-name=true",
        "camunda.bpm.job-execution.enabled=false",
        "logging.level.root=warn"})
@ActiveProfiles("postgres")
@DirtiesContext
class FieldAssignmentOnPostgresTest {

    @RegisterExtension
    static final PostgresDatabase POSTGRES = new PostgresDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        POSTGRES.registerDataSource(registry);
    }

    @Autowired IdentityService identityService;
    @Autowired ManagementService managementService;
    @Autowired FieldAssignmentService service;
    @Autowired Ledger ledger;
    @Autowired org.camunda.bpm.engine.RuntimeService runtimeService;
    @Autowired org.camunda.bpm.engine.HistoryService historyService;
    @Autowired org.camunda.bpm.engine.RepositoryService repositoryService;
    @Autowired org.camunda.bpm.engine.FormService formService;

    @Test
    void paysOneAssignmentOnItsPaymentDateRepublishesOneAfterADeclinedRescheduleAndCancelsOneWithAPayment() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String client = acme[1];
        String worker = fixtures.fieldWorker("walt");
        ledger.transfer("pg-field-fund", AccountRef.external(), AccountRef.company(acme[0]), Money.of("1000.00", "EUR"), "Top-up");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);

        FieldAssignmentView paid = publish(fixtures, acme[0], client, start, true, "300.00");
        assign(fixtures, paid, worker, client);
        fixtures.as(worker, () -> service.checkIn(paid.ref()));
        fixtures.as(worker, () -> service.request(paid.ref(), new FieldAssignmentService.WorkerRequest("EXPENSE", "12.34", null, null, "Parts")));
        long request = fixtures.as(client, () -> service.get(paid.ref())).requests().get(0).id();
        fixtures.as(client, () -> service.answerRequest(paid.ref(), request, true, null));
        fixtures.as(worker, () -> service.checkOut(paid.ref()));
        fixtures.as(worker, () -> service.submit(paid.ref(), new FieldAssignmentService.Submission(Map.of("Photo", "https://x.example/p.jpg"), null)));
        fixtures.as(client, () -> service.approve(paid.ref()));
        Jobs.runAll(managementService);
        managementService.executeJob(managementService.createJobQuery().timers()
                .activityId(FieldAssignmentProcess.TIMER_PAYMENT_DUE_WAIT).singleResult().getId());
        Jobs.runAll(managementService);

        FieldAssignmentView declined = publish(fixtures, acme[0], client, start, true, "100.00");
        assign(fixtures, declined, worker, client);
        fixtures.as(client, () -> service.hold(declined.ref(), "PARTS_NOT_AVAILABLE", null));
        fixtures.as(client, () -> service.removeHold(declined.ref(), start.plusDays(5).toString(), start.plusDays(5).plusHours(2).toString()));
        fixtures.as(worker, () -> service.answerReschedule(declined.ref(), false));

        FieldAssignmentView cancelled = publish(fixtures, acme[0], client, start, false, "100.00");
        assign(fixtures, cancelled, worker, client);
        fixtures.as(client, () -> service.cancel(cancelled.ref(), "25.00", "Not needed"));

        Currency eur = Currency.getInstance("EUR");
        assertThat(fixtures.as(worker, () -> service.get(paid.ref())).status()).isEqualTo(FieldStatus.PAID);
        assertThat(fixtures.as(client, () -> service.get(declined.ref())).status()).isEqualTo(FieldStatus.PUBLISHED);
        assertThat(fixtures.as(worker, () -> service.get(cancelled.ref())).cancelPayment()).isEqualTo("25.00");
        assertThat(ledger.balance(AccountRef.user(worker), eur).toDecimalString()).isEqualTo("337.34");
        assertThat(ledger.balance(AccountRef.company(acme[0]), eur).toDecimalString()).isEqualTo("662.66");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void theActionProcessesActAndARefusedOneLeavesNothingOnPostgres() {
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String client = acme[1];
        String worker = fixtures.fieldWorker("walt");
        ledger.transfer("pg-field-actions-fund", AccountRef.external(), AccountRef.company(acme[0]), Money.of("100.00", "EUR"), "Top-up");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);
        FieldAssignmentView assignment = publish(fixtures, acme[0], client, start, false, "80.00");
        assign(fixtures, assignment, worker, client);
        // the start forms list the person's own assignments (the queries of FieldActionForms on PostgreSQL)
        assertThat(startFormChoices(fixtures, worker, FieldActionProcess.WORKER_KEY)).containsExactly(assignment.ref());
        assertThat(startFormChoices(fixtures, client, FieldActionProcess.CLIENT_KEY)).containsExactly(assignment.ref());
        assertThat(startFormChoices(fixtures, fixtures.fieldWorker("olga"), FieldActionProcess.WORKER_KEY)).isEmpty();

        fixtures.as(worker, () -> runtimeService.startProcessInstanceByKey(FieldActionProcess.WORKER_KEY, Map.of(
                FieldActionProcess.VAR_ASSIGNMENT_REF, assignment.ref(), FieldActionProcess.VAR_ACTION, FieldActionProcess.EXPENSE,
                "requestAmount", "9.99")));
        long before = historyService.createHistoricProcessInstanceQuery().processDefinitionKey(FieldActionProcess.CLIENT_KEY).count();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fixtures.as(client, () -> runtimeService.startProcessInstanceByKey(
                FieldActionProcess.CLIENT_KEY, Map.of(FieldActionProcess.VAR_ASSIGNMENT_REF, assignment.ref(),
                        FieldActionProcess.VAR_ACTION, FieldActionProcess.CANCEL, "cancelPayment", "500.00"))))
                .isInstanceOf(io.gigflow.shared.UnprocessableException.class);
        assertThat(historyService.createHistoricProcessInstanceQuery().processDefinitionKey(FieldActionProcess.CLIENT_KEY).count()).isEqualTo(before);
        fixtures.as(client, () -> runtimeService.startProcessInstanceByKey(FieldActionProcess.CLIENT_KEY, Map.of(
                FieldActionProcess.VAR_ASSIGNMENT_REF, assignment.ref(), FieldActionProcess.VAR_ACTION, FieldActionProcess.HOLD,
                "holdReason", "SITE_NOT_READY")));

        FieldAssignmentView held = fixtures.as(client, () -> service.get(assignment.ref()));
        assertThat(held.status()).isEqualTo(FieldStatus.ON_HOLD);
        // the open request was withdrawn by the hold, as the lifecycle does
        assertThat(held.requests()).singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo("EXPENSE"));
        assertThat(ledger.balance(AccountRef.company(acme[0]), Currency.getInstance("EUR")).toDecimalString()).isEqualTo("100.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    private FieldAssignmentView publish(Fixtures fixtures, String company, String client, OffsetDateTime start, boolean checkIn, String budget) {
        return fixtures.as(client, () -> service.publish(company, new FieldAssignmentService.NewAssignment("Install a router", null,
                "Elm St 5", start.toString(), start.plusHours(6).toString(), budget, "EUR", 0, checkIn, List.of("Photo"), null,
                "Front desk", null, null, null, null, null)));
    }

    private void assign(Fixtures fixtures, FieldAssignmentView assignment, String worker, String client) {
        FieldAssignmentView applied = fixtures.as(worker, () -> service.apply(assignment.ref(),
                new FieldAssignmentService.Application("APPLY", null, null, null, null)));
        long id = applied.applications().stream().filter(a -> a.status().equals("OPEN")).findFirst().orElseThrow().id();
        fixtures.as(client, () -> service.choose(assignment.ref(), id));
    }

    private java.util.List<String> startFormChoices(Fixtures fixtures, String user, String key) {
        String definition = repositoryService.createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult().getId();
        return fixtures.as(user, () -> {
            try (java.io.InputStream form = formService.getDeployedStartForm(definition)) {
                java.util.List<String> refs = new java.util.ArrayList<>();
                for (com.fasterxml.jackson.databind.JsonNode component : new com.fasterxml.jackson.databind.ObjectMapper().readTree(form).get("components")) {
                    if (FieldActionProcess.VAR_ASSIGNMENT_REF.equals(component.path("key").asText())) {
                        component.get("values").forEach(v -> refs.add(v.get("value").asText()));
                    }
                }
                return refs;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
