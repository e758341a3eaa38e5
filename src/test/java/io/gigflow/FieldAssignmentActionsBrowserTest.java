package io.gigflow;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Browser;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The client's and the worker's actions on a field assignment in Camunda Tasklist, in a real
 * browser (headless Chromium, see {@link Browser}): Start process, the action's start form (its
 * fields shown per action), Start, and the assignment changes; a refused action is shown in
 * Tasklist and changes nothing.
 */
class FieldAssignmentActionsBrowserTest extends WebTestBase {

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;

    Http http;
    Fixtures fixtures;
    String company;
    String client;
    String walt;

    @BeforeEach
    void givenAClientCompanyAndAFieldWorker() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        client = acme[1];
        walt = fixtures.fieldWorker("walt");
    }

    @Test
    void aClientPutsAnAssignmentOnHoldFromTasklistsStartForm() {
        String ref = assigned(false);

        signIn(client);
        openStartForm("Field assignment: client action");
        assertThat(shown("Reason for the hold")).as("the hold fields before an action is chosen").isFalse();
        type("Assignment reference", "F-nobody-has-this");
        BROWSER.chooseRadio("What do you want to do?", "Put it on hold");
        BROWSER.chooseOption("Reason for the hold", "Site not ready");
        assertThat(shown("Payment to the worker (optional, decimal, e.g. 50.00)")).as("the cancel fields with a hold").isFalse();
        start();
        BROWSER.visible("the refusal in Tasklist", By.xpath("//*[contains(@class,'alert')][contains(.,'The process could not be started')]"
                + "[contains(.,'No assignment F-nobody-has-this')]"));
        assertThat(http.get(client, "/api/field-assignments/" + ref).json().get("status").asText()).isEqualTo("ASSIGNED");

        type("Assignment reference", ref);
        start();
        BROWSER.visible("Tasklist's confirmation", By.xpath("//*[contains(@class,'alert')][contains(.,'The process has been started')]"));
        await(ref + " is on hold", () -> "ON_HOLD".equals(http.get(client, "/api/field-assignments/" + ref).json().get("status").asText()));
        JsonNode held = http.get(client, "/api/field-assignments/" + ref).json();
        assertThat(held.get("holdReason").asText()).isEqualTo("SITE_NOT_READY");
    }

    @Test
    void aWorkerAsksForABudgetIncreaseFromTasklistsStartFormAndTheClientGetsAReviewStep() {
        String ref = assigned(true);
        Http.Response checkedIn = http.post(walt, "/api/field-assignments/" + ref + "/check-in", null);
        assertThat(checkedIn.status()).as(checkedIn.text()).isEqualTo(200);

        signIn(walt);
        openStartForm("Field assignment: worker action");
        type("Assignment reference", ref);
        BROWSER.chooseRadio("What do you want to do?", "Ask for a budget increase");
        assertThat(shown("New start (e.g. 2026-03-09T08:00:00+01:00)")).as("the reschedule fields with a budget increase").isFalse();
        type("Amount (decimal, e.g. 50.00, in the assignment's currency)", "50.00");
        BROWSER.formField("Note for the client (optional)").findElement(By.tagName("textarea")).sendKeys("Longer cable needed");
        start();
        BROWSER.visible("Tasklist's confirmation", By.xpath("//*[contains(@class,'alert')][contains(.,'The process has been started')]"));

        await("the client's Review request step", () -> taskService.createTaskQuery().processInstanceBusinessKey(ref)
                .taskDefinitionKey("Task_ReviewRequest").taskCandidateGroup(company).count() == 1);
        JsonNode request = http.get(client, "/api/field-assignments/" + ref).json().get("requests").get(0);
        assertThat(request.get("kind").asText()).isEqualTo("BUDGET_INCREASE");
        assertThat(request.get("amount").asText()).isEqualTo("50.00");
        assertThat(request.get("reason").asText()).isEqualTo("Longer cable needed");
    }

    // ---- Tasklist, as a person uses it

    private void signIn(String user) {
        BROWSER.signInToCamunda("http://127.0.0.1:" + port + "/camunda/app/tasklist/", user, Fixtures.PASSWORD);
        BROWSER.visible("Tasklist's Start process", startProcess());
    }

    private static By startProcess() {
        return By.xpath("//*[contains(@class,'start-process-action')]//a[contains(normalize-space(),'Start process')]");
    }

    private void openStartForm(String processName) {
        BROWSER.click("Start process", startProcess());
        BROWSER.visible("the process " + processName + " offered", processLink(processName));
        String otherAction = processName.contains("client") ? "Field assignment: worker action" : null;
        if (otherAction != null) {
            assertThat(BROWSER.driver().findElements(processLink(otherAction))).as("the worker's action offered to a client").isEmpty();
        }
        BROWSER.click("the process " + processName, By.xpath("//*[contains(@class,'modal')]//ul[contains(@class,'processes')]//a[normalize-space()="
                + Browser.literal(processName) + "]"));
        BROWSER.visible("the start form of " + processName, By.cssSelector(".modal .fjs-form"));
    }

    private static By processLink(String processName) {
        return By.xpath("//*[contains(@class,'modal')]//ul[contains(@class,'processes')]//a[normalize-space()=" + Browser.literal(processName) + "]");
    }

    private void start() {
        BROWSER.click("the Start button", By.xpath("//*[contains(@class,'modal-footer')]//button[normalize-space()='Start']"));
    }

    private boolean shown(String label) {
        return BROWSER.driver().findElements(Browser.formFieldBy(label)).stream().anyMatch(WebElement::isDisplayed);
    }

    private void type(String label, String text) {
        WebElement input = BROWSER.formField(label).findElement(By.cssSelector("input"));
        input.clear();
        input.sendKeys(text);
        BROWSER.await(label + " holds " + text, d -> text.equals(input.getDomProperty("value")));
    }

    // ---- data, through the domain API

    private String assigned(boolean checkIn) {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);
        Http.Response published = http.post(client, "/api/companies/" + company + "/field-assignments", json(Map.of(
                "title", "Read the meter", "location", "Elm St 5", "scheduledStart", start.toString(),
                "scheduledEnd", start.plusHours(2).toString(), "budget", "80.00", "currency", "EUR", "paymentTermsDays", 7,
                "checkInRequired", checkIn, "contactName", "Front desk")));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        String ref = published.json().get("ref").asText();
        JsonNode applied = http.post(walt, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).json();
        long id = applied.get("applications").get(0).get("id").asLong();
        Http.Response chosen = http.post(client, "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", id)));
        assertThat(chosen.status()).as(chosen.text()).isEqualTo(200);
        return ref;
    }
}
