package io.gigflow.milestone;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.Ledger;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RuntimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A company and its contractors use contractor-milestone over real HTTP, with the job executor
 * running and a real SMTP server (GreenMail) receiving the emails.
 */
class ContractorMilestoneApiTest extends WebTestBase {

    private static final byte[] BRIEF = "%PDF-1.4\n% the brief of the milestone\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DESIGN = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 1, 2, 3, 4};

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired ManagementService managementService;
    @Autowired Ledger ledger;
    @Autowired JdbcClient jdbc;

    Http http;
    Fixtures fixtures;
    String company;
    String carol;
    String alice;
    String eve;

    @BeforeEach
    void givenACompanyAndTwoContractors() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        carol = acme[1];
        alice = fixtures.contractor("alice");
        eve = fixtures.contractor("eve");
    }

    @Test
    void aCompanyTakesAMilestoneFromNewToPaidAndBothSeeEveryStatusToTheCent() throws Exception {
        // given a company with 1000.00 EUR and two milestones for alice, the first with an attachment
        topUp("1000.00");
        Http.Response created = http.post(carol, milestonesOf(alice), json(milestone("Landing page design", "250.00",
                Map.of("fileName", "brief.pdf", "contentType", "application/pdf", "contentBase64", base64(BRIEF)))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String first = created.json().get("ref").asText();
        assertThat(created.header("Location")).isEqualTo("/api/milestones/" + first);
        assertThat(created.json().get("status").asText()).isEqualTo("IN_PROGRESS");
        JsonNode attachment = created.json().get("attachment");
        assertThat(attachment.get("sha256").asText()).isEqualTo(sha256(BRIEF));
        String second = createMilestone(alice, "Checkout flow", "900.00");

        // both parties see them as pending; alice downloads the attachment
        assertThat(refs(http.get(carol, milestonesOf(alice)).json().get("pending"))).containsExactly(second, first);
        assertThat(refs(http.get(alice, "/api/me/milestones").json().get("pending"))).containsExactly(second, first);
        Http.Response brief = http.get(alice, attachment.get("href").asText());
        assertThat(brief.status()).isEqualTo(200);
        assertThat(brief.body()).isEqualTo(BRIEF);
        assertThat(brief.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(brief.header("X-Content-SHA256")).isEqualTo(sha256(BRIEF));
        assertThat(brief.header("Content-Disposition")).startsWith("attachment").contains("brief.pdf");

        // when alice completes the first with a deliverable, and the company rejects it with a reason
        Http.Response completed = http.post(alice, "/api/milestones/" + first + "/complete", json(Map.of("note", "Desktop and mobile",
                "deliverable", Map.of("fileName", "design.png", "contentType", "image/png", "contentBase64", base64(DESIGN)))));
        assertThat(completed.status()).as(completed.text()).isEqualTo(200);
        assertThat(completed.json().get("status").asText()).isEqualTo("SUBMITTED");
        String deliverable = completed.json().get("submissions").get(0).get("deliverable").get("href").asText();
        assertThat(http.get(carol, deliverable).body()).isEqualTo(DESIGN);
        Http.Response rejected = http.post(carol, "/api/milestones/" + first + "/reject", json(Map.of("reason", "The header is misaligned")));
        assertThat(rejected.status()).as(rejected.text()).isEqualTo(200);
        assertThat(rejected.json().get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(rejected.json().get("rejectionReason").asText()).isEqualTo("The header is misaligned");

        // then the reason reaches alice by email and in the app
        await("alice got the rejection email", () -> emailsTo(alice).stream().anyMatch(m -> subject(m).equals("Milestone sent back: Landing page design")));
        MimeMessage email = emailsTo(alice).stream().filter(m -> subject(m).startsWith("Milestone sent back")).findFirst().orElseThrow();
        assertThat(text(email)).contains("The header is misaligned").contains(first);
        assertThat(http.get(alice, "/api/notifications").json().get("items").findValuesAsText("event")).contains("MILESTONE_REJECTED");

        // when she resubmits and the company approves both milestones
        assertThat(http.post(alice, "/api/milestones/" + first + "/complete", json(Map.of("note", "Header fixed"))).status()).isEqualTo(200);
        Http.Response approved = http.post(carol, "/api/milestones/" + first + "/approve", null);
        assertThat(approved.status()).as(approved.text()).isEqualTo(200);
        assertThat(approved.json().get("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.json().get("payment").get("status").asText()).isEqualTo("DRAFT");
        http.post(alice, "/api/milestones/" + second + "/complete", json(Map.of("note", "Done")));
        http.post(carol, "/api/milestones/" + second + "/approve", null);
        assertThat(refs(http.get(carol, milestonesOf(alice)).json().get("approved"))).containsExactly(second, first);
        assertThat(http.get(carol, milestonesOf(alice)).json().get("pending")).isEmpty();

        // then Pay Contractor lists both drafts; paying both pays the first and refuses the second
        JsonNode drafts = http.get(carol, "/api/companies/" + company + "/milestone-payments?status=DRAFT").json();
        assertThat(drafts.findValuesAsText("milestoneRef")).containsExactly(second, first);
        long firstPayment = paymentOf(drafts, first);
        long secondPayment = paymentOf(drafts, second);
        Http.Response pay = http.post(carol, "/api/companies/" + company + "/milestone-payments/pay",
                json(Map.of("paymentIds", List.of(firstPayment, secondPayment))));
        assertThat(pay.status()).as(pay.text()).isEqualTo(200);
        assertThat(pay.json().get("paid").asInt()).isEqualTo(1);
        assertThat(pay.json().get("results").get(0).get("result").asText()).isEqualTo("PAID");
        assertThat(pay.json().get("results").get(1).get("result").asText()).isEqualTo("INSUFFICIENT_BALANCE");
        assertThat(pay.json().get("results").get(1).get("message").asText()).contains("750.00 EUR").contains("900.00 EUR");

        // and the balances are exact to the cent, with nothing moved for the refused payment
        assertThat(balances(carol, "/api/companies/" + company + "/balances")).isEqualTo(Map.of("EUR", "750.00"));
        assertThat(balances(alice, "/api/me/balances")).isEqualTo(Map.of("EUR", "250.00"));
        assertThat(ledger.findTransfer("contractor-milestone:" + second + ":payment")).isEmpty();
        assertThat(ledger.invariantViolations()).isEmpty();

        // and both see each payment's status
        Map<String, String> companySees = paymentStatuses(http.get(carol, "/api/companies/" + company + "/milestone-payments").json());
        Map<String, String> aliceSees = paymentStatuses(http.get(alice, "/api/me/milestone-payments").json());
        assertThat(companySees).isEqualTo(Map.of(first, "PAID", second, "DRAFT")).isEqualTo(aliceSees);
        assertThat(http.get(alice, "/api/milestones/" + first).json().get("payment").get("status").asText()).isEqualTo("PAID");
        assertThat(http.get(carol, "/api/milestones/" + second).json().get("payment").get("refusal").asText()).startsWith("Insufficient balance");
        await("alice got the payment email", () -> emailsTo(alice).stream().anyMatch(m -> subject(m).equals("You were paid for Landing page design")));
        assertThat(http.get(carol, "/api/milestones/" + first + "/history").json().findValuesAsText("event"))
                .containsExactly("CREATED", "ATTACHED", "SUBMITTED", "REJECTED", "SUBMITTED", "APPROVED", "PAYMENT_DRAFTED", "PAID");
    }

    @Test
    void anotherContractorSeesNeitherTheMilestonesNorTheirFilesNorThePayments() throws Exception {
        topUp("100.00");
        Http.Response created = http.post(carol, milestonesOf(alice), json(milestone("Private", "10.00",
                Map.of("fileName", "brief.pdf", "contentType", "application/pdf", "contentBase64", base64(BRIEF)))));
        String ref = created.json().get("ref").asText();
        String file = created.json().get("attachment").get("href").asText();

        assertThat(http.get(eve, "/api/milestones/" + ref).status()).isEqualTo(404);
        assertThat(http.get(eve, file).status()).isEqualTo(404);
        assertThat(http.get(eve, "/api/milestones/" + ref + "/history").status()).isEqualTo(404);
        assertThat(http.post(eve, "/api/milestones/" + ref + "/complete", json(Map.of("note", "Mine"))).status()).isEqualTo(404);
        assertThat(http.get(eve, milestonesOf(alice)).status()).isEqualTo(404);
        assertThat(http.get(eve, "/api/me/milestones").json().get("pending")).isEmpty();
        assertThat(http.get(eve, "/engine-rest/task?maxResults=100").json()).isEmpty();
        assertThat(http.get(eve, "/engine-rest/process-instance?maxResults=10&businessKey=" + ref).json()).isEmpty();
        String stepId = http.get(alice, "/engine-rest/task?maxResults=10&processInstanceBusinessKey=" + ref).json().get(0).get("id").asText();
        assertThat(http.post(eve, "/engine-rest/task/" + stepId + "/complete",
                "{\"variables\":{\"completionNote\":{\"value\":\"Mine\",\"type\":\"String\"}}}").status()).isIn(403, 404);
        WebappSession tasklist = WebappSession.login(port, "tasklist", eve, Fixtures.PASSWORD);
        assertThat(tasklist.get("/camunda/api/engine/engine/default/task/" + stepId).status()).isIn(403, 404);

        // through Tasklist's own API alice completes it
        WebappSession alicesTasklist = WebappSession.login(port, "tasklist", alice, Fixtures.PASSWORD);
        assertThat(alicesTasklist.get("/camunda/api/engine/engine/default/task/" + stepId + "/deployed-form").text())
                .contains("\"id\": \"complete-milestone\"");
        assertThat(alicesTasklist.post("/camunda/api/engine/engine/default/task/" + stepId + "/submit-form",
                "{\"variables\":{\"completionNote\":{\"value\":\"Done in Tasklist\"}}}").status()).isEqualTo(204);
        // the company hears of it by email, then approves through /engine-rest
        await("carol was told", () -> emailsTo(carol).stream().anyMatch(m -> subject(m).equals("Milestone ready for review: Private")));
        String reviewId = http.get(carol, "/engine-rest/task?maxResults=10&processInstanceBusinessKey=" + ref).json().get(0).get("id").asText();
        assertThat(http.post(carol, "/engine-rest/task/" + reviewId + "/complete",
                "{\"variables\":{\"reviewDecision\":{\"value\":\"APPROVE\",\"type\":\"String\"}}}").status()).isEqualTo(204);
        long paymentId = http.get(alice, "/api/me/milestone-payments").json().get(0).get("id").asLong();

        assertThat(http.get(eve, "/api/me/milestone-payments").json()).isEmpty();
        assertThat(http.get(eve, "/api/companies/" + company + "/milestone-payments").status()).isEqualTo(404);
        assertThat(http.post(eve, "/api/companies/" + company + "/milestone-payments/pay", json(Map.of("paymentIds", List.of(paymentId)))).status())
                .isEqualTo(404);
        String message = "{\"messageName\":\"MilestonePaymentRequested\",\"businessKey\":\"" + ref + "\"}";
        assertThat(http.post(eve, "/engine-rest/message", message).status()).isIn(400, 403, 404);
        assertThat(http.post(alice, "/engine-rest/message", message).status()).isIn(400, 403, 404);
        assertThat(http.get(alice, "/api/me/milestone-payments").json().get(0).get("status").asText()).isEqualTo("DRAFT");

        // the company may pay through the engine's message as well
        await("alice was told of the approval", () -> emailsTo(alice).stream().anyMatch(m -> subject(m).equals("Milestone approved: Private")));
        assertThat(http.post(carol, "/engine-rest/message", message).status()).isEqualTo(204);
        assertThat(http.get(alice, "/api/me/milestone-payments").json().get(0).get("status").asText()).isEqualTo("PAID");
        assertThat(balances(alice, "/api/me/balances")).isEqualTo(Map.of("EUR", "10.00"));
        assertThat(balances(eve, "/api/me/balances")).isEmpty();
    }

    @Test
    void aContractorsCompletionThroughEngineRestWithAPlantedCompanyAndAutomaticApprovalApprovesNothing() throws Exception {
        topUp("100.00");
        String[] globex = fixtures.company("globex");
        String ref = createMilestone(alice, "Planted over HTTP", "40.00");
        String stepId = http.get(alice, "/engine-rest/task?maxResults=10&processInstanceBusinessKey=" + ref).json().get(0).get("id").asText();

        Http.Response planted = http.post(alice, "/engine-rest/task/" + stepId + "/complete", "{\"variables\":{"
                + "\"completionNote\":{\"value\":\"Approve me\",\"type\":\"String\"},"
                + "\"companyId\":{\"value\":\"contractors\",\"type\":\"String\"},"
                + "\"autoApprovalAfter\":{\"value\":\"PT1S\",\"type\":\"String\"},"
                + "\"autoApproveAfterDays\":{\"value\":1,\"type\":\"Integer\"},"
                + "\"reviewDecision\":{\"value\":\"APPROVE\",\"type\":\"String\"}}}");
        // the engine's input guard refuses the whole completion, naming a planted variable; the process
        // tests show that variables written anyway (by an operator, say) would steer nothing either
        assertThat(planted.status()).as(planted.text()).isEqualTo(400);
        assertThat(planted.json().get("message").asText()).contains("is not an input of step");
        if (planted.status() == 400) {
            assertThat(http.post(alice, "/engine-rest/task/" + stepId + "/complete",
                    "{\"variables\":{\"completionNote\":{\"value\":\"Approve me\",\"type\":\"String\"}}}").status()).isEqualTo(204);
        }

        assertThat(http.get(alice, "/engine-rest/task?maxResults=10&processInstanceBusinessKey=" + ref).json()).isEmpty();
        assertThat(http.get(globex[1], "/engine-rest/task?maxResults=100").json()).isEmpty();
        JsonNode review = http.get(carol, "/engine-rest/task?maxResults=10&processInstanceBusinessKey=" + ref).json();
        assertThat(review).hasSize(1);
        String reviewId = review.get(0).get("id").asText();
        assertThat(managementService.createJobQuery().processInstanceId(review.get(0).get("processInstanceId").asText())
                .activityId(ContractorMilestoneProcess.TIMER_AUTO_APPROVAL).count()).as("the company's setting is never").isZero();
        String approve = "{\"variables\":{\"reviewDecision\":{\"value\":\"APPROVE\",\"type\":\"String\"}}}";
        assertThat(http.post(alice, "/engine-rest/task/" + reviewId + "/complete", approve).status()).isIn(403, 404);
        WebappSession tasklist = WebappSession.login(port, "tasklist", alice, Fixtures.PASSWORD);
        assertThat(tasklist.post("/camunda/api/engine/engine/default/task/" + reviewId + "/submit-form", approve).status()).isIn(403, 404);
        assertThat(http.post(globex[1], "/engine-rest/task/" + reviewId + "/complete", approve).status()).isIn(403, 404);

        assertThat(http.get(carol, "/api/milestones/" + ref).json().get("status").asText()).isEqualTo("SUBMITTED");
        assertThat(http.get(alice, "/api/me/milestone-payments").json()).isEmpty();
        assertThat(balances(carol, "/api/companies/" + company + "/balances")).isEqualTo(Map.of("EUR", "100.00"));
        assertThat(balances(alice, "/api/me/balances")).isEmpty();
        assertThat(ledger.invariantViolations()).isEmpty();
    }

    @Test
    void answersBadInputWithAProblemNamingEachFieldAndCreatesNothing() {
        long before = jdbc.sql("select count(*) from milestone").query(Long.class).single();
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("deadline", "tomorrow");
        bad.put("amount", "-5");
        bad.put("currency", "EURO");
        bad.put("attachment", Map.of("fileName", "run.html", "contentType", "text/html", "contentBase64", "not base64!"));

        Http.Response missing = http.post(carol, milestonesOf(alice), json(bad));
        Http.Response numeric = http.post(carol, milestonesOf(alice),
                "{\"title\":\"x\",\"deadline\":\"2099-01-01\",\"amount\":12.5,\"currency\":\"EUR\"}");
        Http.Response tooBig = http.post(carol, milestonesOf(alice), json(milestone("Big", "1.00",
                Map.of("fileName", "big.pdf", "contentType", "application/pdf", "contentBase64", base64(new byte[5 * 1024 * 1024 + 1])))));
        Http.Response notAContractor = http.post(carol, milestonesOf("nobody"), json(milestone("x", "1.00", null)));

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("title", "deadline", "amount",
                "currency", "attachment.contentType", "attachment.contentBase64");
        assertThat(numeric.status()).isEqualTo(400);
        assertThat(numeric.json().get("errors").get(0).get("field").asText()).isEqualTo("amount");
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.json().get("detail").asText()).contains("attachment.contentBase64: the file must be at most 5 MB");
        assertThat(notAContractor.json().get("errors").findValuesAsText("field")).containsExactly("contractorId");
        assertThat(jdbc.sql("select count(*) from milestone").query(Long.class).single()).isEqualTo(before);

        String ref = createMilestone(alice, "Checked", "10.00");
        Http.Response noNote = http.post(alice, "/api/milestones/" + ref + "/complete",
                json(Map.of("deliverable", Map.of("fileName", "a/b.png", "contentType", "image/png", "contentBase64", base64(DESIGN)))));
        assertThat(noNote.status()).isEqualTo(400);
        assertThat(noNote.json().get("errors").findValuesAsText("field")).containsExactlyInAnyOrder("note", "deliverable.fileName");
        assertThat(http.post(carol, "/api/companies/" + company + "/milestone-payments/pay", json(Map.of("paymentIds", List.of()))).json()
                .get("errors").findValuesAsText("field")).containsExactly("paymentIds");
        assertThat(http.get(carol, "/api/milestones/M-0").status()).isEqualTo(404);
        assertThat(http.get(null, "/api/milestones/" + ref).status()).isEqualTo(401);

        // a pending milestone may change; an approved one may not
        Map<String, Object> edit = milestone("Checked, v2", "12.00", null);
        assertThat(http.put(carol, "/api/milestones/" + ref, json(edit)).status()).isEqualTo(200);
        http.post(alice, "/api/milestones/" + ref + "/complete", json(Map.of("note", "Done")));
        http.post(carol, "/api/milestones/" + ref + "/approve", null);
        assertThat(http.put(carol, "/api/milestones/" + ref, json(edit)).status()).isEqualTo(409);
        assertThat(http.delete(carol, "/api/milestones/" + ref).status()).isEqualTo(409);
        assertThat(http.post(carol, "/api/milestones/" + ref + "/approve", null).status()).isEqualTo(409);
        assertThat(http.get(alice, "/api/milestones/" + ref).json().get("amount").asText()).isEqualTo("12.00");
    }

    @Test
    void startsThroughEngineRestExactlyAsThroughTheDomainApi() {
        String start = "/engine-rest/process-definition/key/contractor-milestone/start";

        Http.Response invalid = http.post(carol, start, "{\"businessKey\":\"ERP-bad\",\"variables\":{"
                + "\"companyId\":{\"value\":\"" + company + "\",\"type\":\"String\"},"
                + "\"contractorId\":{\"value\":\"" + alice + "\",\"type\":\"String\"},"
                + "\"deadline\":{\"value\":\"2001-01-01\",\"type\":\"String\"},"
                + "\"amount\":{\"value\":12.5,\"type\":\"Double\"},"
                + "\"currency\":{\"value\":\"EUR\",\"type\":\"String\"}}}");
        assertThat(invalid.status()).as(invalid.text()).isEqualTo(400);
        assertThat(invalid.json().get("message").asText()).contains("title: is required").contains("deadline: must be in the future")
                .contains("amount: must be a decimal string");
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceBusinessKey("ERP-bad").count()).isZero();
        assertThat(http.get(carol, "/api/milestones/ERP-bad").status()).isEqualTo(404);

        String valid = "{\"businessKey\":\"ERP-" + company + "\",\"variables\":{"
                + "\"companyId\":{\"value\":\"" + company + "\",\"type\":\"String\"},"
                + "\"contractorId\":{\"value\":\"" + alice + "\",\"type\":\"String\"},"
                + "\"title\":{\"value\":\"From the ERP\",\"type\":\"String\"},"
                + "\"deadline\":{\"value\":\"" + inDays(14) + "\",\"type\":\"String\"},"
                + "\"amount\":{\"value\":\"12.50\",\"type\":\"String\"},"
                + "\"currency\":{\"value\":\"EUR\",\"type\":\"String\"},"
                + "\"autoApproveAfterDays\":{\"value\":7,\"type\":\"Integer\"}}}";
        assertThat(http.post(eve, start, valid).status()).isEqualTo(403);
        Http.Response started = http.post(carol, start, valid);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        JsonNode milestone = http.get(alice, "/api/milestones/ERP-" + company).json();
        assertThat(milestone.get("status").asText()).isEqualTo("IN_PROGRESS");
        assertThat(milestone.get("amount").asText()).isEqualTo("12.50");
        assertThat(milestone.get("autoApproveAfterDays").asInt()).isEqualTo(7);
        // the same start again (a retry after a timeout) starts nothing and names the first instance
        Http.Response repeated = http.post(carol, start, valid);
        assertThat(repeated.status()).as(repeated.text()).isEqualTo(409);
        assertThat(repeated.json().get("processInstanceId").asText()).isEqualTo(started.json().get("id").asText());
        assertThat(runtimeService.createProcessInstanceQuery().processInstanceBusinessKey("ERP-" + company).count()).isOne();

        // the review is checked on the server whichever door it comes through
        http.post(alice, "/api/milestones/ERP-" + company + "/complete", json(Map.of("note", "Done")));
        String reviewId = http.get(carol, "/engine-rest/task?maxResults=10&processInstanceBusinessKey=ERP-" + company).json().get(0).get("id").asText();
        Http.Response noReason = http.post(carol, "/engine-rest/task/" + reviewId + "/complete",
                "{\"variables\":{\"reviewDecision\":{\"value\":\"REJECT\",\"type\":\"String\"}}}");
        assertThat(noReason.status()).isEqualTo(400);
        assertThat(noReason.json().get("message").asText()).contains("rejectionReason: is required");
        assertThat(http.get(carol, "/api/milestones/ERP-" + company).json().get("status").asText()).isEqualTo("SUBMITTED");
    }

    // ---- helpers

    private static Map<String, Object> milestone(String title, String amount, Map<String, String> attachment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("deadline", inDays(30).toString());
        body.put("amount", amount);
        body.put("currency", "EUR");
        if (attachment != null) {
            body.put("attachment", attachment);
        }
        return body;
    }

    private String milestonesOf(String contractor) {
        return "/api/companies/" + company + "/contractors/" + contractor + "/milestones";
    }

    private String createMilestone(String contractor, String title, String amount) {
        Http.Response created = http.post(carol, milestonesOf(contractor), json(milestone(title, amount, null)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("ref").asText();
    }

    private void topUp(String amount) {
        new Funding(http, fixtures).company(carol, company, amount, "EUR");
    }

    private static OffsetDateTime inDays(int days) {
        return OffsetDateTime.now(ZoneOffset.UTC).plusDays(days).truncatedTo(ChronoUnit.SECONDS);
    }

    private static List<String> refs(JsonNode list) {
        return list.findValuesAsText("ref");
    }

    private static long paymentOf(JsonNode payments, String milestoneRef) {
        for (JsonNode payment : payments) {
            if (payment.get("milestoneRef").asText().equals(milestoneRef)) {
                return payment.get("id").asLong();
            }
        }
        throw new AssertionError("no payment of " + milestoneRef + " in " + payments);
    }

    private static Map<String, String> paymentStatuses(JsonNode payments) {
        Map<String, String> result = new TreeMap<>();
        payments.forEach(p -> result.put(p.get("milestoneRef").asText(), p.get("status").asText()));
        return result;
    }

    private Map<String, String> balances(String user, String path) {
        Map<String, String> result = new TreeMap<>();
        http.get(user, path).json().forEach(b -> result.put(b.get("currency").asText(), b.get("amount").asText()));
        return result;
    }

    private static String base64(byte[] content) {
        return Base64.getEncoder().encodeToString(content);
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }
}
