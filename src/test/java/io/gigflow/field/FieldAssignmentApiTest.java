package io.gigflow.field;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A field assignment over real HTTP, with the job executor running and GreenMail receiving the
 * emails: what an applicant, another applicant, the assigned worker and a stranger can and
 * cannot see at each stage, through /api and /engine-rest, and money exact to the cent.
 */
class FieldAssignmentApiTest extends WebTestBase {

    private static final String CONTACT_EMAIL = "site.manager@acme.example";
    private static final String CONTACT_PHONE = "+1 555 0199";
    private static final String PLAN = "Floor plan: meter room behind the garage";

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired org.camunda.bpm.engine.ManagementService managementService;
    @Autowired Ledger ledger;

    Http http;
    Fixtures fixtures;
    String company;
    String client;
    String walt;
    String olga;
    String sam;
    String eve;
    OffsetDateTime start;

    @BeforeEach
    void givenAClientCompanyWithMoneyThreeFieldWorkersAndAStranger() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        client = acme[1];
        walt = fixtures.fieldWorker("walt");
        olga = fixtures.fieldWorker("olga");
        sam = fixtures.fieldWorker("sam");
        eve = fixtures.contractor("eve");
        new Funding(http, fixtures).company(client, company, "1000.00", "EUR");
        start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);
    }

    @Test
    void eachPersonSeesOnlyWhatTheStageAllowsThroughTheApiAndTheEngineRestAndTheWorkerIsPaidToTheCent() {
        String ref = publish("500.00", true, 0);

        // PUBLISHED: field workers see the scope, not the contact, attachments or messages; others see nothing
        JsonNode scope = http.get(walt, "/api/field-assignments/" + ref).json();
        assertThat(scope.get("title").asText()).isEqualTo("Replace the gas meter");
        assertThat(scope.hasNonNull("contact")).isFalse();
        assertThat(scope.hasNonNull("attachments")).isFalse();
        assertThat(scope.hasNonNull("messages")).isFalse();
        assertThat(scope.toString()).doesNotContain(CONTACT_EMAIL, CONTACT_PHONE);
        long fileId = http.get(client, "/api/field-assignments/" + ref).json().get("attachments").get(0).get("id").asLong();
        assertThat(http.get(walt, "/api/field-assignments/" + ref + "/attachments/" + fileId).status()).isEqualTo(404);
        assertThat(http.get(eve, "/api/field-assignments/" + ref).status()).isEqualTo(404);
        assertThat(http.get(sam, "/api/field-assignments/published").json().findValuesAsText("ref")).contains(ref);
        assertThat(http.get(walt, "/engine-rest/process-instance?maxResults=50&businessKey=" + ref).json()).isEmpty();
        JsonNode applyTask = http.get(walt, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref + "&taskDefinitionKey=Task_ApplyForAssignment").json();
        assertThat(applyTask).hasSize(1);
        String formVariables = http.get(walt, "/engine-rest/task/" + applyTask.get(0).get("id").asText() + "/form-variables").text();
        assertThat(formVariables).contains("Replace the gas meter").doesNotContain(CONTACT_EMAIL, CONTACT_PHONE, "Site manager", PLAN);
        String taskVariables = http.get(walt, "/engine-rest/task/" + applyTask.get(0).get("id").asText() + "/variables").text();
        assertThat(taskVariables).doesNotContain(CONTACT_EMAIL, CONTACT_PHONE, "Site manager", PLAN);
        assertThat(http.get(eve, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref).json()).isEmpty();
        Http.Response holdWhilePublished = http.post(client, "/engine-rest/message", message("AssignmentHoldRequested", ref, "SITE_NOT_READY"));
        assertThat(holdWhilePublished.status()).as(holdWhilePublished.text()).isEqualTo(409);
        assertThat(http.post(client, "/api/field-assignments/" + ref + "/hold", json(Map.of("reason", "SITE_NOT_READY"))).status()).isEqualTo(409);

        // a question answered, two applications
        JsonNode asked = http.post(walt, "/api/field-assignments/" + ref + "/questions", json(Map.of("question", "Is there parking?"))).json();
        long question = asked.get("questions").get(0).get("id").asLong();
        assertThat(http.post(client, "/api/field-assignments/" + ref + "/questions/" + question + "/answer", json(Map.of("answer", "In the yard"))).status())
                .isEqualTo(200);
        JsonNode applied = http.post(walt, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).json();
        long waltsApplication = applied.get("applications").get(0).get("id").asLong();
        Http.Response counter = http.post(olga, "/api/field-assignments/" + ref + "/applications",
                json(Map.of("kind", "COUNTEROFFER", "price", "450.00")));
        assertThat(counter.status()).as(counter.text()).isEqualTo(200);
        assertThat(counter.json().get("applications")).hasSize(1);
        assertThat(http.post(eve, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).status()).isEqualTo(404);
        // sam applies in Tasklist's way; the client's choice form lists the applications, the workers' step does not
        String samsTask = http.get(sam, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                + "&taskDefinitionKey=Task_ApplyForAssignment").json().get(0).get("id").asText();
        Http.Response samApplied = http.post(sam, "/engine-rest/task/" + samsTask + "/complete",
                "{\"variables\":{\"applicationKind\":{\"value\":\"APPLY\",\"type\":\"String\"}}}");
        assertThat(samApplied.status()).as(samApplied.text()).isEqualTo(204);
        String chooseTask = http.get(client, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                + "&taskDefinitionKey=Task_ChooseApplicant").json().get(0).get("id").asText();
        assertThat(http.get(client, "/engine-rest/task/" + chooseTask + "/form-variables").text()).contains("450.00")
                .containsIgnoringCase(sam + " Tester"); // the worker by name (the fixtures name sam "Sam... Tester")
        String nextApplyTask = http.get(walt, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                + "&taskDefinitionKey=Task_ApplyForAssignment").json().get(0).get("id").asText();
        assertThat(http.get(walt, "/engine-rest/task/" + nextApplyTask + "/form-variables").text()).doesNotContain("450.00", "applicationsText");
        assertThat(http.get(walt, "/engine-rest/task/" + chooseTask + "/variables").status()).isIn(403, 404);
        assertThat(http.get(walt, "/engine-rest/task/" + chooseTask + "/form-variables").status()).isIn(403, 404);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", waltsApplication))).status()).isEqualTo(403);

        // ASSIGNED: walt sees everything; olga and sam lose access
        JsonNode assigned = http.post(client, "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", waltsApplication))).json();
        assertThat(assigned.get("status").asText()).isEqualTo("ASSIGNED");
        JsonNode waltSees = http.get(walt, "/api/field-assignments/" + ref).json();
        assertThat(waltSees.get("contact").get("email").asText()).isEqualTo(CONTACT_EMAIL);
        assertThat(labels(walt, ref)).containsExactly("WORKER_NOT_CONFIRMED");
        Http.Response file = http.get(walt, "/api/field-assignments/" + ref + "/attachments/" + fileId);
        assertThat(file.status()).isEqualTo(200);
        assertThat(new String(file.body(), StandardCharsets.UTF_8)).isEqualTo(PLAN);
        for (String outsider : List.of(olga, sam, eve)) {
            assertThat(http.get(outsider, "/api/field-assignments/" + ref).status()).as(outsider).isEqualTo(404);
            assertThat(http.get(outsider, "/api/field-assignments/" + ref + "/attachments/" + fileId).status()).isEqualTo(404);
            assertThat(http.get(outsider, "/engine-rest/process-instance?maxResults=50&businessKey=" + ref).json()).isEmpty();
        }
        JsonNode instances = http.get(walt, "/engine-rest/process-instance?maxResults=50&businessKey=" + ref).json();
        assertThat(instances).hasSize(1);
        String instanceId = instances.get(0).get("id").asText();
        assertThat(http.get(walt, "/engine-rest/process-instance/" + instanceId + "/variables").text())
                .contains("\"status\"").doesNotContain(CONTACT_EMAIL, CONTACT_PHONE, PLAN);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/messages", json(Map.of("body", "On my way on the day"))).status()).isEqualTo(200);
        assertThat(http.post(olga, "/api/field-assignments/" + ref + "/messages", json(Map.of("body", "me too"))).status()).isEqualTo(404);
        assertThat(http.get(client, "/api/field-assignments/" + ref).json().get("messages").get(0).get("body").asText())
                .isEqualTo("On my way on the day");

        // a refusal names the fields as this API's body does (the engine's doors name its variables)
        Http.Response noNote = http.post(client, "/api/field-assignments/" + ref + "/hold", json(Map.of("reason", "OTHER")));
        assertThat(noNote.status()).as(noNote.text()).isEqualTo(400);
        assertThat(noNote.json().get("errors").findValuesAsText("field")).containsExactly("note");
        // ON_HOLD from ASSIGNED: the client sees the labels, the worker does not; the worker's steps refuse
        assertThat(http.post(client, "/api/field-assignments/" + ref + "/hold", json(Map.of("reason", "PARTS_NOT_AVAILABLE"))).json()
                .get("status").asText()).isEqualTo("ON_HOLD");
        assertThat(labels(client, ref)).containsExactly("WORKER_NOT_CONFIRMED");
        assertThat(labels(walt, ref)).isEmpty();
        assertThat(http.get(walt, "/api/field-assignments/" + ref).json().get("contact").get("phone").asText()).isEqualTo(CONTACT_PHONE);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/check-in", null).status()).isEqualTo(409);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/confirm", null).status()).isEqualTo(409);
        OffsetDateTime newStart = start.plusDays(2);
        assertThat(http.post(client, "/api/field-assignments/" + ref + "/remove-hold", json(Map.of("scheduledStart", newStart.toString(),
                "scheduledEnd", newStart.plusHours(6).toString()))).status()).isEqualTo(200);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/reschedule/accept", null).json().get("status").asText()).isEqualTo("ASSIGNED");
        assertThat(labels(walt, ref)).containsExactly("WORKER_NOT_CONFIRMED");

        // the worker confirms in Tasklist's way (/engine-rest), checks in, checks out and submits through the API
        JsonNode confirmTask = http.get(walt, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref + "&taskDefinitionKey=Task_ConfirmAssignment").json();
        Http.Response confirmed = http.post(walt, "/engine-rest/task/" + confirmTask.get(0).get("id").asText() + "/complete",
                "{\"variables\":{\"confirmAssignment\":{\"value\":true,\"type\":\"Boolean\"}}}");
        assertThat(confirmed.status()).as(confirmed.text()).isEqualTo(204);
        assertThat(labels(client, ref)).isEmpty();
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/check-in", null).json().get("status").asText()).isEqualTo("IN_PROGRESS");
        Http.Response incomplete = http.post(walt, "/api/field-assignments/" + ref + "/submit", json(Map.of("customFields", Map.of("Meter reading", "4711"))));
        assertThat(incomplete.status()).isEqualTo(400);
        assertThat(incomplete.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("checkOut", "deliverables.Photo");
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/check-out", null).status()).isEqualTo(200);
        JsonNode submitted = http.post(walt, "/api/field-assignments/" + ref + "/submit", json(Map.of(
                "deliverables", Map.of("Photo", "https://files.example/meter.jpg"), "customFields", Map.of("Meter reading", "4711")))).json();
        assertThat(submitted.get("status").asText()).isEqualTo("PENDING_APPROVAL");
        // the client's review step shows the submission (and carries the reference and title in its name); the worker cannot read that task
        JsonNode reviewTasks = http.get(client, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                + "&taskDefinitionKey=Task_ReviewSubmission").json();
        assertThat(reviewTasks).hasSize(1);
        String reviewTask = reviewTasks.get(0).get("id").asText();
        assertThat(reviewTasks.get(0).get("name").asText()).isEqualTo("Review submission: " + ref + " Replace the gas meter");
        assertThat(http.get(client, "/engine-rest/task/" + reviewTask + "/form-variables").json().get("submissionText").get("value").asText())
                .contains("- Photo: https://files.example/meter.jpg", "- Meter reading: 4711", "Invoice total if approved now: 500.00 EUR");
        for (String worker : List.of(walt, olga, sam, eve)) {
            assertThat(http.get(worker, "/engine-rest/task/" + reviewTask + "/variables").status()).as(worker).isIn(403, 404);
            assertThat(http.get(worker, "/engine-rest/task/" + reviewTask).status()).as(worker).isIn(403, 404);
            assertThat(http.get(worker, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                    + "&taskDefinitionKey=Task_ReviewSubmission").json()).as(worker).isEmpty();
        }
        assertThat(http.get(walt, "/engine-rest/process-instance/" + instanceId + "/variables").text())
                .contains("\"status\"").doesNotContain("submissionText", "deliverablesText", "meter.jpg");
        for (String outsider : List.of(olga, sam, eve)) {
            assertThat(http.get(outsider, "/engine-rest/variable-instance?maxResults=100&processInstanceIdIn=" + instanceId).json()).as(outsider).isEmpty();
        }
        // the assigned worker reads the instance (READ on it since the assignment); no variable holds the submission's text
        assertThat(http.get(walt, "/engine-rest/variable-instance?maxResults=100&processInstanceIdIn=" + instanceId
                + "&variableName=submissionText").json()).isEmpty();
        Http.Response holdWhilePending = http.post(client, "/engine-rest/message", message("AssignmentHoldRequested", ref, "OTHER"));
        assertThat(holdWhilePending.status()).isEqualTo(409);

        for (String outsider : List.of(olga, sam, eve)) {
            assertThat(http.get(outsider, "/api/field-assignments/" + ref).status()).as(outsider).isEqualTo(404);
        }
        assertThat(http.get(walt, "/api/field-assignments/" + ref).json().get("deliverables").get("Photo").asText())
                .isEqualTo("https://files.example/meter.jpg");

        // approval: the invoice total into escrow, the invoice PDF to the parties only, paid at once (0 days' terms)
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/approve", null).status()).isEqualTo(403);
        assertThat(http.post(client, "/api/field-assignments/" + ref + "/approve", null).json().get("invoice").get("total").asText()).isEqualTo("500.00");
        await("the assignment is paid", () -> "PAID".equals(http.get(walt, "/api/field-assignments/" + ref).json().get("status").asText()));
        JsonNode invoices = http.get(walt, "/api/field-assignments/" + ref + "/documents").json();
        assertThat(invoices).hasSize(1);
        long invoiceId = invoices.get(0).get("id").asLong();
        Http.Response pdf = http.get(walt, "/api/documents/" + invoiceId + "/content");
        assertThat(pdf.status()).isEqualTo(200);
        assertThat(pdfText(pdf.body())).contains(invoices.get(0).get("number").asText(), ref, "500.00");
        assertThat(http.get(olga, "/api/documents/" + invoiceId + "/content").status()).isEqualTo(404);
        assertThat(http.get(olga, "/api/field-assignments/" + ref + "/documents").status()).isEqualTo(404);
        assertThat(http.get(sam, "/api/field-assignments/" + ref).status()).isEqualTo(404);
        assertThat(http.get(walt, "/api/me/field-assignments").json().findValuesAsText("ref")).contains(ref);
        assertThat(http.get(olga, "/api/me/field-assignments").json().findValuesAsText("ref")).doesNotContain(ref);

        // PAID: nothing changes any more
        assertThat(http.post(client, "/api/field-assignments/" + ref + "/hold", json(Map.of("reason", "OTHER", "note", "x"))).status()).isEqualTo(409);
        assertThat(http.post(client, "/api/field-assignments/" + ref + "/cancel", null).status()).isEqualTo(409);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/requests", json(Map.of("kind", "BONUS", "amount", "5.00"))).status()).isEqualTo(409);
        assertThat(balance(AccountRef.company(company))).isEqualTo("500.00");
        assertThat(balance(AccountRef.user(walt))).isEqualTo("500.00");
        await("walt's emails", () -> subjectsTo(walt).stream().anyMatch(s -> s.startsWith("Paid:")));
        assertThat(subjectsTo(walt)).anyMatch(s -> s.startsWith("Assigned to you:")).anyMatch(s -> s.startsWith("On hold:"))
                .anyMatch(s -> s.startsWith("Your question was answered:"));
        await("olga's email", () -> subjectsTo(olga).stream().anyMatch(s -> s.startsWith("Not chosen:")));
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void cancellationTakesAccessAwayUnlessTheClientPaysAndFastFundsPaysAnEligibleWorkerAtOnce() {
        // cancelled without a payment through /engine-rest: the worker loses everything
        String lost = publish("100.00", false, 0);
        assign(lost, walt);
        Http.Response cancelled = http.post(client, "/engine-rest/message", "{\"messageName\":\"AssignmentCancelRequested\",\"businessKey\":\"" + lost + "\"}");
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(204);
        assertThat(http.get(walt, "/api/field-assignments/" + lost).status()).isEqualTo(404);
        assertThat(http.get(walt, "/engine-rest/history/process-instance?maxResults=50&processInstanceBusinessKey=" + lost).json()).isEmpty();
        assertThat(http.get(client, "/api/field-assignments/" + lost).json().get("status").asText()).isEqualTo("CANCELLED");

        // cancelled with a payment: the worker keeps the view and sees its receivable
        String compensated = publish("100.00", true, 0);
        assign(compensated, olga);
        assertThat(http.post(olga, "/api/field-assignments/" + compensated + "/check-in", null).status()).isEqualTo(200);
        Http.Response tooMuch = http.post(client, "/api/field-assignments/" + compensated + "/cancel", json(Map.of("payment", "5000.00")));
        assertThat(tooMuch.status()).isEqualTo(422);
        assertThat(tooMuch.json().get("detail").asText()).contains("short by 4000.00 EUR");
        assertThat(http.post(client, "/api/field-assignments/" + compensated + "/cancel", json(Map.of("payment", "40.00", "reason", "Storm"))).status())
                .isEqualTo(200);
        JsonNode receivable = http.get(olga, "/api/field-assignments/" + compensated).json();
        assertThat(receivable.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(receivable.get("cancelPayment").asText()).isEqualTo("40.00");
        assertThat(receivable.get("contact").get("email").asText()).isEqualTo(CONTACT_EMAIL);

        // a declined reschedule removes the worker: 204, then 404
        String older = publish("100.00", true, 0);
        String declined = publish("100.00", true, 0);
        assign(declined, sam);
        http.post(client, "/api/field-assignments/" + declined + "/hold", json(Map.of("reason", "SITE_NOT_READY")));
        http.post(client, "/api/field-assignments/" + declined + "/remove-hold", json(Map.of("scheduledStart", start.plusDays(4).toString(),
                "scheduledEnd", start.plusDays(4).plusHours(3).toString())));
        assertThat(http.post(sam, "/api/field-assignments/" + declined + "/reschedule/decline", null).status()).isEqualTo(204);
        assertThat(http.get(sam, "/api/field-assignments/" + declined).status()).isEqualTo(404);
        assertThat(http.get(walt, "/api/field-assignments/" + declined).json().get("status").asText()).isEqualTo("PUBLISHED");
        // the published list leaves out what a removed worker may no longer apply for in its query: a page of one is still full
        assertThat(http.get(walt, "/api/field-assignments/published?limit=1").json().findValuesAsText("ref")).containsExactly(declined);
        assertThat(http.get(sam, "/api/field-assignments/published?limit=1").json().findValuesAsText("ref")).containsExactly(older);

        // FastFunds: walt has a paid assignment, then takes the money of the next at once, minus 2.5 %
        String first = publish("100.00", true, 0);
        assign(first, walt);
        workAndApprove(first, walt);
        await("the first is paid", () -> "PAID".equals(http.get(walt, "/api/field-assignments/" + first).json().get("status").asText()));
        String second = publish("200.00", true, 30);
        assign(second, walt);
        assertThat(http.post(walt, "/api/field-assignments/" + second + "/fast-funds", null).status()).isEqualTo(409);
        workAndApprove(second, walt);
        JsonNode approved = http.get(walt, "/api/field-assignments/" + second).json();
        assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.get("invoice").get("paymentDate").asText()).isEqualTo(OffsetDateTime.now(ZoneOffset.UTC).toLocalDate().plusDays(30).toString());
        String platformBefore = balance(AccountRef.platform());
        await("FastFunds is offered", () -> !http.get(walt, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + second
                + "&taskDefinitionKey=Task_RequestFastFunds").json().isEmpty());
        assertThat(http.post(walt, "/api/field-assignments/" + second + "/fast-funds", null).status()).isEqualTo(202);
        await("the second is paid", () -> "PAID".equals(http.get(walt, "/api/field-assignments/" + second).json().get("status").asText()));
        JsonNode paid = http.get(walt, "/api/field-assignments/" + second).json();
        assertThat(paid.get("invoice").get("fastFundsFee").asText()).isEqualTo("5.00");
        assertThat(paid.get("invoice").get("paidToWorker").asText()).isEqualTo("195.00");
        assertThat(new java.math.BigDecimal(balance(AccountRef.platform())).subtract(new java.math.BigDecimal(platformBefore)).toPlainString())
                .isEqualTo("5.00");

        // olga has no paid assignment: not eligible
        String third = publish("100.00", true, 30);
        assign(third, olga);
        workAndApprove(third, olga);
        assertThat(http.post(olga, "/api/field-assignments/" + third + "/fast-funds", null).status()).isEqualTo(422);

        assertThat(balance(AccountRef.user(walt))).isEqualTo("295.00");
        assertThat(balance(AccountRef.user(olga))).isEqualTo("40.00");
        assertThat(balance(AccountRef.user(sam))).isEqualTo("0.00");
        assertThat(balance(AccountRef.company(company))).isEqualTo("560.00");
        await("olga's cancellation email", () -> subjectsTo(olga).stream().anyMatch(s -> s.startsWith("Cancelled:")));
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void aWorkersListLeavesOutWhatTheWorkerMayNoLongerSeeInItsQuerySoAPageIsFull() {
        String kept = publish("100.00", false, 0);
        assign(kept, walt);
        String lost = publish("100.00", false, 0);
        assign(lost, walt);
        Http.Response cancelled = http.post(client, "/engine-rest/message", "{\"messageName\":\"AssignmentCancelRequested\",\"businessKey\":\"" + lost + "\"}");
        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(204);

        // the newest of walt's assignments was cancelled without a payment: a page of one holds the one before it
        JsonNode page = http.get(walt, "/api/me/field-assignments?limit=1").json();
        assertThat(page.findValuesAsText("ref")).containsExactly(kept);
        assertThat(page.get(0).get("workerId").asText()).isEqualTo(walt);
        assertThat(page.get(0).get("attachments").findValuesAsText("fileName")).containsExactly("plan.txt");
        assertThat(http.get(walt, "/api/me/field-assignments").json().findValuesAsText("ref")).containsExactly(kept);
        assertThat(http.get(walt, "/api/me/field-assignments?offset=1").json()).isEmpty();
        // the list shows each assignment as its own view does
        assertThat(page.get(0)).isEqualTo(http.get(walt, "/api/field-assignments/" + kept).json());
    }

    @Test
    void startsThroughTheEngineRestWithTypedVariablesAndRefusesBadInputLeavingNothing() {
        String path = "/engine-rest/process-definition/key/field-assignment/start";
        String variables = "{\"variables\":{"
                + "\"companyId\":{\"value\":\"" + company + "\",\"type\":\"String\"},"
                + "\"title\":{\"value\":\"Read the meter\",\"type\":\"String\"},"
                + "\"location\":{\"value\":\"Elm St 5\",\"type\":\"String\"},"
                + "\"scheduledStart\":{\"value\":\"" + start + "\",\"type\":\"String\"},"
                + "\"scheduledEnd\":{\"value\":\"" + start.plusHours(1) + "\",\"type\":\"String\"},"
                + "\"budget\":{\"value\":\"80.00\",\"type\":\"String\"},"
                + "\"currency\":{\"value\":\"EUR\",\"type\":\"String\"},"
                + "\"paymentTermsDays\":{\"value\":7,\"type\":\"Integer\"},"
                + "\"contactName\":{\"value\":\"Front desk\",\"type\":\"String\"},"
                + "\"contactEmail\":{\"value\":\"" + CONTACT_EMAIL + "\",\"type\":\"String\"}}}";
        long before = runtimeService.createProcessInstanceQuery().processDefinitionKey("field-assignment").count();

        assertThat(http.post(walt, path, variables).status()).isEqualTo(403);
        Http.Response invalid = http.post(client, path, variables.replace("\"value\":\"80.00\",\"type\":\"String\"", "\"value\":80.5,\"type\":\"Double\"")
                .replace("\"value\":7,", "\"value\":91,"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().get("message").asText()).contains("budget").contains("paymentTermsDays");
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey("field-assignment").count()).isEqualTo(before);

        Http.Response started = http.post(client, path, variables);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        String ref = started.json().get("businessKey").asText();
        String instanceId = started.json().get("id").asText();
        assertThat(http.get(client, "/api/field-assignments/" + ref).json().get("contact").get("email").asText()).isEqualTo(CONTACT_EMAIL);
        assertThat(http.get(client, "/engine-rest/process-instance/" + instanceId + "/variables").text()).doesNotContain(CONTACT_EMAIL);
        assertThat(http.get(walt, "/api/field-assignments/" + ref).json().hasNonNull("contact")).isFalse();

        // an approval the balance does not cover, through Tasklist's door: 422, the step stays open
        String pricey = publish("1500.00", true, 0);
        assign(pricey, walt);
        http.post(walt, "/api/field-assignments/" + pricey + "/check-in", null);
        http.post(walt, "/api/field-assignments/" + pricey + "/check-out", null);
        http.post(walt, "/api/field-assignments/" + pricey + "/submit", json(Map.of(
                "deliverables", Map.of("Photo", "p"), "customFields", Map.of("Meter reading", "1"))));
        String review = http.get(client, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + pricey
                + "&taskDefinitionKey=Task_ReviewSubmission").json().get(0).get("id").asText();
        Http.Response refused = http.post(client, "/engine-rest/task/" + review + "/complete",
                "{\"variables\":{\"reviewDecision\":{\"value\":\"APPROVE\",\"type\":\"String\"}}}");
        assertThat(refused.status()).as(refused.text()).isEqualTo(422);
        assertThat(refused.json().get("message").asText()).contains("short by 500.00 EUR");
        assertThat(http.get(client, "/api/field-assignments/" + pricey).json().get("status").asText()).isEqualTo("PENDING_APPROVAL");
        assertThat(balance(AccountRef.company(company))).isEqualTo("1000.00");

        Http.Response missing = http.post(client, "/api/companies/" + company + "/field-assignments", json(Map.of("title", "x", "budget", 5)));
        assertThat(missing.status()).isEqualTo(400);
        Http.Response named = http.post(client, "/api/companies/" + company + "/field-assignments", json(Map.of("title", "x")));
        assertThat(named.json().get("errors").findValuesAsText("field")).contains("location", "scheduledStart", "scheduledEnd", "budget",
                "currency", "paymentTermsDays", "contactName");
        // a complete assignment, from somebody who is not a member of the company
        assertThat(http.post(walt, "/api/companies/" + company + "/field-assignments", json(Map.of("title", "x", "location", "Elm St 5",
                "scheduledStart", start.toString(), "scheduledEnd", start.plusHours(1).toString(), "budget", "80.00", "currency", "EUR",
                "paymentTermsDays", 7, "contactName", "Front desk"))).status()).isEqualTo(404);
        assertThat(runtimeService.createProcessInstanceQuery().processDefinitionKey("field-assignment").count()).isEqualTo(before + 2);
    }

    @Test
    void aWorkerWhoPlantsCompanyIdFieldworkersOnCheckInOverTheEngineRestCannotApproveHisOwnBonusOrSubmission() {
        new Funding(http, fixtures).company(client, company, "4000.00", "EUR");
        String ref = publish("500.00", true, 14);
        assign(ref, walt);
        String companyBefore = balance(AccountRef.company(company));

        // walt completes his own Check in through /engine-rest with the variables that re-routed the company's steps
        String checkIn = http.get(walt, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                + "&taskDefinitionKey=Task_CheckIn").json().get(0).get("id").asText();
        Http.Response planted = http.post(walt, "/engine-rest/task/" + checkIn + "/complete", "{\"variables\":{"
                + "\"checkIn\":{\"value\":true,\"type\":\"Boolean\"},"
                + "\"companyId\":{\"value\":\"fieldworkers\",\"type\":\"String\"},"
                + "\"workerId\":{\"value\":\"" + walt + "\",\"type\":\"String\"},"
                + "\"escalationInterval\":{\"value\":\"PT2S\",\"type\":\"String\"},"
                + "\"reviewDecision\":{\"value\":\"APPROVE\",\"type\":\"String\"},"
                + "\"fastFundsEligible\":{\"value\":true,\"type\":\"Boolean\"}}}");
        // refused outright by the engine's input guard, naming what he planted; he checks in as himself
        assertThat(planted.status()).as(planted.text()).isEqualTo(400);
        assertThat(planted.json().get("message").asText()).contains("companyId").contains("is not an input of step Task_CheckIn");
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/check-in", null).status()).isEqualTo(200);

        // the bonus of 3,710.00: its review goes to the company's group, never to the field workers
        Http.Response bonus = http.post(walt, "/engine-rest/message", "{\"messageName\":\"WorkerRequestSubmitted\",\"businessKey\":\"" + ref
                + "\",\"processVariables\":{\"requestKind\":{\"value\":\"BONUS\",\"type\":\"String\"},"
                + "\"requestAmount\":{\"value\":\"3710.00\",\"type\":\"String\"}}}");
        assertThat(bonus.status()).as(bonus.text()).isEqualTo(204);
        String reviewRequest = http.get(client, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                + "&taskDefinitionKey=Task_ReviewRequest").json().get(0).get("id").asText();
        assertThat(candidateGroups(reviewRequest)).containsExactly(company);
        assertThat(http.get(walt, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                + "&taskDefinitionKey=Task_ReviewRequest").json()).isEmpty();
        assertThat(http.post(walt, "/engine-rest/task/" + reviewRequest + "/complete",
                "{\"variables\":{\"requestDecision\":{\"value\":\"APPROVE\",\"type\":\"String\"}}}").status()).isIn(403, 404);
        assertThat(http.post(walt, "/engine-rest/task/" + reviewRequest + "/claim", "{\"userId\":\"" + walt + "\"}").status()).isIn(400, 403, 404);

        // the submission: reviewed by the company only; no approval, no FastFunds, no money moves on walt's word
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/check-out", null).status()).isEqualTo(200);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/submit", json(Map.of("deliverables", Map.of("Photo", "https://files.example/p.jpg"),
                "customFields", Map.of("Meter reading", "1")))).status()).isEqualTo(200);
        String review = http.get(client, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref
                + "&taskDefinitionKey=Task_ReviewSubmission").json().get(0).get("id").asText();
        assertThat(candidateGroups(review)).containsExactly(company);
        assertThat(http.get(walt, "/engine-rest/task?maxResults=50&processInstanceBusinessKey=" + ref).json().findValuesAsText("taskDefinitionKey"))
                .doesNotContain("Task_ReviewSubmission", "Task_ReviewRequest");
        assertThat(http.post(walt, "/engine-rest/task/" + review + "/complete",
                "{\"variables\":{\"reviewDecision\":{\"value\":\"APPROVE\",\"type\":\"String\"}}}").status()).isIn(403, 404);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/approve", null).status()).isEqualTo(403);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/requests/1/approve", json(Map.of())).status()).isEqualTo(403);
        JsonNode seen = http.get(client, "/api/field-assignments/" + ref).json();
        assertThat(seen.get("status").asText()).isEqualTo("PENDING_APPROVAL");
        assertThat(seen.get("requests").get(0).get("status").asText()).isEqualTo("WITHDRAWN");
        // the escalation waits for the company's usual time (two days without history), not walt's two seconds
        org.camunda.bpm.engine.runtime.Job escalation = managementService.createJobQuery().processInstanceId(instanceOf(ref))
                .activityId("Timer_ApprovalEscalation").singleResult();
        assertThat(escalation.getDuedate()).isAfter(java.util.Date.from(java.time.Instant.now().plus(java.time.Duration.ofDays(1))));
        assertThat(balance(AccountRef.company(company))).isEqualTo(companyBefore);
        assertThat(balance(AccountRef.user(walt))).isEqualTo("0.00");
        assertThat(balance(AccountRef.escrow("field-assignment:" + ref))).isEqualTo("0.00");
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    private List<String> candidateGroups(String taskId) {
        return java.util.stream.StreamSupport.stream(http.get(client, "/engine-rest/task/" + taskId + "/identity-links?type=candidate")
                .json().spliterator(), false).map(link -> link.get("groupId")).filter(g -> g != null && !g.isNull())
                .map(JsonNode::asText).toList();
    }

    private String instanceOf(String ref) {
        return runtimeService.createProcessInstanceQuery().processInstanceBusinessKey(ref).singleResult().getId();
    }

    private void workAndApprove(String ref, String worker) {
        assertThat(http.post(worker, "/api/field-assignments/" + ref + "/check-in", null).status()).isEqualTo(200);
        assertThat(http.post(worker, "/api/field-assignments/" + ref + "/check-out", null).status()).isEqualTo(200);
        Http.Response submitted = http.post(worker, "/api/field-assignments/" + ref + "/submit", json(Map.of(
                "deliverables", Map.of("Photo", "https://files.example/p.jpg"), "customFields", Map.of("Meter reading", "1"))));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(200);
        Http.Response approved = http.post(client, "/api/field-assignments/" + ref + "/approve", null);
        assertThat(approved.status()).as(approved.text()).isEqualTo(200);
    }

    // ---- helpers

    private String publish(String budget, boolean checkIn, int terms) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", "Replace the gas meter");
        body.put("description", "Old meter <strong>leaks</strong><script>alert(1)</script>");
        body.put("location", "Main St 1, Springfield");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plusHours(8).toString());
        body.put("budget", budget);
        body.put("currency", "EUR");
        body.put("paymentTermsDays", terms);
        body.put("checkInRequired", checkIn);
        body.put("requiredDeliverables", List.of("Photo"));
        body.put("requiredCustomFields", checkIn ? List.of("Meter reading") : List.of());
        body.put("contactName", "Site manager");
        body.put("contactPhone", CONTACT_PHONE);
        body.put("contactEmail", CONTACT_EMAIL);
        body.put("attachments", List.of(Map.of("fileName", "plan.txt", "contentType", "text/plain",
                "contentBase64", Base64.getEncoder().encodeToString(PLAN.getBytes(StandardCharsets.UTF_8)))));
        Http.Response published = http.post(client, "/api/companies/" + company + "/field-assignments", json(body));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        assertThat(published.json().get("description").asText()).doesNotContain("script");
        return published.json().get("ref").asText();
    }

    private void assign(String ref, String worker) {
        JsonNode applied = http.post(worker, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).json();
        long id = applied.get("applications").get(0).get("id").asLong();
        Http.Response chosen = http.post(client, "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", id)));
        assertThat(chosen.status()).as(chosen.text()).isEqualTo(200);
    }

    private List<String> labels(String user, String ref) {
        JsonNode labels = http.get(user, "/api/field-assignments/" + ref).json().get("labels");
        return labels == null ? List.of() : java.util.stream.StreamSupport.stream(labels.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static String message(String name, String ref, String reason) {
        return "{\"messageName\":\"" + name + "\",\"businessKey\":\"" + ref + "\",\"processVariables\":{\"holdReason\":{\"value\":\"" + reason
                + "\",\"type\":\"String\"},\"holdNote\":{\"value\":\"why\",\"type\":\"String\"}}}";
    }

    private String balance(AccountRef account) {
        return ledger.balance(account, Currency.getInstance("EUR")).toDecimalString();
    }

    private static String pdfText(byte[] pdf) {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
