package io.gigflow.milestone;

import static io.gigflow.support.Http.json;
import static io.gigflow.support.OpenSteps.formValue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.OpenSteps;
import io.gigflow.support.WebTestBase;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The forms of contractor-milestone's two human steps show the milestone's rows, read when the
 * form is opened: the terms, the attachment, the other party, the last rejection and the
 * submission under review. The engine keeps no copy of them, whichever door started the
 * milestone, so an edit shows at once, variables of the same names change nothing, and nobody who
 * may not read the step gets them.
 */
class MilestoneFormFactsTest extends WebTestBase {

    private static final List<String> TERMS = List.of("companyId", "contractorId", "title", "description", "descriptionText",
            "deadline", "amount", "currency", "amountText", "attachmentName", "askedBy", "party", "ref");

    @Autowired IdentityService identityService;
    @Autowired RuntimeService runtimeService;
    @Autowired TaskService taskService;

    Http http;
    OpenSteps steps;
    Fixtures fixtures;
    String company;
    String carol;
    String alice;
    OffsetDateTime deadline = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void givenACompanyAndAContractor() {
        http = new Http(port);
        steps = new OpenSteps(runtimeService, taskService, ContractorMilestoneProcess.KEY);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        carol = acme[1];
        alice = fixtures.contractor("alice");
    }

    @Test
    void completeShowsTheRowAndAnEditOrAnAttachmentAtOnceTheEngineKeepsNoCopy() {
        String ref = create(Map.of("fileName", "brief.txt", "contentType", "text/plain", "contentBase64", base64("the brief")));
        String step = steps.step(ref, ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE);

        JsonNode form = http.get(alice, "/engine-rest/task/" + step + "/form-variables").json();

        assertThat(formValue(form, "ref")).isEqualTo(ref);
        assertThat(formValue(form, "title")).isEqualTo("Landing page");
        assertThat(formValue(form, "descriptionText")).isEqualTo("Three sections, bold");
        assertThat(formValue(form, "deadline")).isEqualTo(deadline.toInstant().toString());
        assertThat(formValue(form, "amountText")).isEqualTo("250.00 EUR");
        assertThat(formValue(form, "attachmentName")).isEqualTo("brief.txt");
        assertThat(formValue(form, "askedBy")).isEqualTo("acme Ltd");
        assertThat(runtimeService.getVariables(steps.instance(ref))).doesNotContainKeys(TERMS.toArray(String[]::new));
        assertThat(taskService.getVariablesLocal(step)).isEmpty();

        OffsetDateTime later = deadline.plusDays(5);
        Map<String, Object> edit = new LinkedHashMap<>(Map.of("title", "Landing page, final", "deadline", later.toString(),
                "amount", "300.00", "currency", "EUR"));
        assertThat(http.put(carol, "/api/milestones/" + ref, json(edit)).status()).isEqualTo(200);
        assertThat(http.delete(carol, "/api/milestones/" + ref + "/attachment").status()).isEqualTo(200);

        JsonNode edited = http.get(alice, "/engine-rest/task/" + steps.step(ref, ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE)
                + "/form-variables").json();
        assertThat(formValue(edited, "title")).isEqualTo("Landing page, final");
        assertThat(formValue(edited, "amountText")).isEqualTo("300.00 EUR");
        assertThat(formValue(edited, "deadline")).isEqualTo(later.toInstant().toString());
        assertThat(formValue(edited, "descriptionText")).isNullOrEmpty();
        assertThat(formValue(edited, "attachmentName")).isNull();
        assertThat(runtimeService.getVariables(steps.instance(ref))).doesNotContainKeys(TERMS.toArray(String[]::new));
    }

    @Test
    void aStartThroughEngineRestLeavesNoTermsInTheInstance() {
        String valid = "{\"businessKey\":\"ERP-" + company + "\",\"variables\":{"
                + "\"companyId\":{\"value\":\"" + company + "\",\"type\":\"String\"},"
                + "\"contractorId\":{\"value\":\"" + alice + "\",\"type\":\"String\"},"
                + "\"title\":{\"value\":\"From the ERP\",\"type\":\"String\"},"
                + "\"deadline\":{\"value\":\"" + deadline + "\",\"type\":\"String\"},"
                + "\"amount\":{\"value\":\"12.50\",\"type\":\"String\"},"
                + "\"currency\":{\"value\":\"EUR\",\"type\":\"String\"},"
                + "\"autoApproveAfterDays\":{\"value\":7,\"type\":\"Integer\"},"
                + "\"deadlineReminder\":{\"value\":\"P2D\",\"type\":\"String\"}}}";
        Http.Response started = http.post(carol, "/engine-rest/process-definition/key/contractor-milestone/start", valid);
        assertThat(started.status()).as(started.text()).isEqualTo(200);

        assertThat(runtimeService.getVariables(steps.instance("ERP-" + company))).containsOnlyKeys("status");
        JsonNode form = http.get(alice, "/engine-rest/task/" + steps.step("ERP-" + company, ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE)
                + "/form-variables").json();
        assertThat(formValue(form, "title")).isEqualTo("From the ERP");
        assertThat(formValue(form, "amountText")).isEqualTo("12.50 EUR");
    }

    @Test
    void reviewShowsTheSubmissionAndCompleteTheLastRejectionVariablesOfTheSameNamesChangeNothing() {
        String ref = create(null);
        Http.Response completed = http.post(alice, "/api/milestones/" + ref + "/complete", json(Map.of("note", "All three sections",
                "deliverable", Map.of("fileName", "page.txt", "contentType", "text/plain", "contentBase64", base64("the page")))));
        assertThat(completed.status()).as(completed.text()).isEqualTo(200);
        String review = steps.step(ref, ContractorMilestoneProcess.TASK_REVIEW_MILESTONE);
        runtimeService.setVariables(steps.instance(ref), Map.of("completionNote", "Pay me twice", "deliverableName", "invoice.pdf",
                "title", "Free money", "amountText", "1,000,000.00 EUR"));
        taskService.setVariablesLocal(review, Map.of("party", "The bank", "ref", "M-1"));

        JsonNode form = http.get(carol, "/engine-rest/task/" + review + "/form-variables").json();

        assertThat(formValue(form, "completionNote")).isEqualTo("All three sections");
        assertThat(formValue(form, "deliverableName")).isEqualTo("page.txt");
        assertThat(formValue(form, "party")).isEqualTo(alice.substring(0, 1).toUpperCase() + alice.substring(1) + " Tester");
        assertThat(formValue(form, "title")).isEqualTo("Landing page");
        assertThat(formValue(form, "amountText")).isEqualTo("250.00 EUR");
        assertThat(formValue(form, "ref")).isEqualTo(ref);

        Http.Response rejected = http.post(carol, "/api/milestones/" + ref + "/reject", json(Map.of("reason", "Too plain")));
        assertThat(rejected.status()).as(rejected.text()).isEqualTo(200);
        JsonNode again = http.get(alice, "/engine-rest/task/" + steps.step(ref, ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE)
                + "/form-variables").json();
        assertThat(formValue(again, "lastRejectionReason")).isEqualTo("Too plain");
    }

    @Test
    void nobodyWhoMayNotReadTheStepGetsItsFacts() {
        String ref = create(null);
        String step = steps.step(ref, ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE);
        String eve = fixtures.contractor("eve");
        String otherStaff = fixtures.company("globex")[1];

        for (String who : List.of(eve, otherStaff)) {
            Http.Response answer = http.get(who, "/engine-rest/task/" + step + "/form-variables");
            assertThat(answer.status()).as(who).isBetween(400, 499);
            assertThat(answer.text()).as(who).doesNotContain("Landing page").doesNotContain("250.00");
        }
    }

    private String create(Map<String, String> attachment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Landing page");
        body.put("description", "<p>Three sections, <strong>bold</strong></p>");
        body.put("deadline", deadline.toString());
        body.put("amount", "250.00");
        body.put("currency", "EUR");
        if (attachment != null) {
            body.put("attachment", attachment);
        }
        Http.Response created = http.post(carol, "/api/companies/" + company + "/contractors/" + alice + "/milestones", json(body));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("ref").asText();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
