package io.gigflow;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Browser;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
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
    @Autowired HistoryService historyService;
    @Autowired TaskService taskService;

    Http http;
    Fixtures fixtures;
    String company;
    String companyName;
    String client;
    String walt;

    @BeforeEach
    void givenAClientCompanyAndAFieldWorker() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        company = acme[0];
        companyName = identityService.createGroupQuery().groupId(company).singleResult().getName();
        client = acme[1];
        walt = fixtures.fieldWorker("walt");
    }

    @Test
    void aClientPutsAnAssignmentOnHoldFromTasklistsStartForm() {
        String ref = assigned(false);

        String othersRef = assignedBy(fixtures.company("globex"), fixtures.fieldWorker("olga"), "Fix the boiler", false);

        signIn(client);
        openStartForm("Field assignment: client action");
        assertThat(shown("Reason for the hold")).as("the hold fields before an action is chosen").isFalse();
        assertThat(options("Assignment")).as("the company's assignments, by reference, title and worker")
                .containsExactly(ref + " · Read the meter (" + name(walt) + ")")
                .noneMatch(label -> label.contains(othersRef));
        pick("Assignment", ref + " · Read the meter (" + name(walt) + ")");
        BROWSER.chooseRadio("What do you want to do?", "Put it on hold");
        BROWSER.chooseOption("Reason for the hold", "Other (say what in the details)");
        assertThat(shown("Payment to the worker in EUR (optional, decimal, e.g. 50.00)")).as("the cancel fields with a hold").isFalse();
        start();
        BROWSER.visible("the refusal in Tasklist", By.xpath("//*[contains(@class,'alert')][contains(.,'The process could not be started')]"
                + "[contains(.,'holdNote: is required when the reason is OTHER')]"));
        assertThat(http.get(client, "/api/field-assignments/" + ref).json().get("status").asText()).isEqualTo("ASSIGNED");

        BROWSER.formField("Details (required with Other)").findElement(By.tagName("textarea")).sendKeys("The lift is out of order");
        // form-js takes typed text after a short pause or when the field loses focus
        BROWSER.click("the form's intro", By.cssSelector(".modal .fjs-form-field-text"));
        start();
        BROWSER.visible("Tasklist's confirmation", By.xpath("//*[contains(@class,'alert')][contains(.,'The process has been started')]"));
        await(ref + " is on hold", () -> "ON_HOLD".equals(http.get(client, "/api/field-assignments/" + ref).json().get("status").asText()));
        JsonNode held = http.get(client, "/api/field-assignments/" + ref).json();
        assertThat(held.get("holdReason").asText()).isEqualTo("OTHER");
        assertThat(held.get("holdNote").asText()).isEqualTo("The lift is out of order");
    }

    @Test
    void aWorkerAsksForABudgetIncreaseFromTasklistsStartFormAndTheClientGetsAReviewStep() {
        String ref = assigned(true);
        Http.Response checkedIn = http.post(walt, "/api/field-assignments/" + ref + "/check-in", null);
        assertThat(checkedIn.status()).as(checkedIn.text()).isEqualTo(200);

        signIn(walt);
        openStartForm("Field assignment: worker action");
        BROWSER.chooseOption("Assignment", ref + " · Read the meter (" + companyName + ")");
        BROWSER.chooseRadio("What do you want to do?", "Ask for a budget increase");
        assertThat(shown("New start: date")).as("the reschedule fields with a budget increase").isFalse();
        type("Amount in EUR (decimal, e.g. 50.00)", "50.00");
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

    @Test
    void aWorkerChoosesTheirAssignmentAndPicksANewDateInTheDatetimeFieldToAskForAReschedule() {
        String ref = assigned(false);
        String[] globex = fixtures.company("globex");
        String olgasRef = assignedBy(globex, fixtures.fieldWorker("olga"), "Fix the boiler", false);

        signIn(walt);
        openStartForm("Field assignment: worker action");
        List<String> choices = options("Assignment");
        assertThat(choices).as("walt's assignments, by reference, title and client").containsExactly(ref + " · Read the meter (" + companyName + ")");
        assertThat(String.join("\n", choices)).doesNotContain(olgasRef).doesNotContain("Fix the boiler");
        pick("Assignment", choices.get(0));
        BROWSER.chooseRadio("What do you want to do?", "Ask for a reschedule");

        // the 15th of next month, 09:00 to 17:00, picked in the calendar and the time list
        pickDay("New start: date");
        pickTime("New start: time", "09:00");
        pickDay("New end: date");
        pickTime("New end: time", "17:00");
        BROWSER.formField("Note for the client (optional)").findElement(By.tagName("textarea")).sendKeys("The site opens later");
        start();
        BROWSER.visible("Tasklist's confirmation", By.xpath("//*[contains(@class,'alert')][contains(.,'The process has been started')]"));

        JavascriptExecutor page = (JavascriptExecutor) BROWSER.driver();
        Instant expectedStart = Instant.parse((String) page.executeScript(
                "const d = new Date(); return new Date(d.getFullYear(), d.getMonth() + 1, 15, 9, 0).toISOString();"));
        Instant expectedEnd = Instant.parse((String) page.executeScript(
                "const d = new Date(); return new Date(d.getFullYear(), d.getMonth() + 1, 15, 17, 0).toISOString();"));
        // what the form submitted, as the action instance keeps it: the date and time with the browser's offset
        String submitted = (String) historyService.createHistoricVariableInstanceQuery().variableName("requestNewStart")
                .processDefinitionKey("field-assignment-worker-action").orderByProcessInstanceId().desc().list().stream()
                .filter(v -> ref.equals(historyService.createHistoricVariableInstanceQuery().processInstanceIdIn(v.getProcessInstanceId())
                        .variableName("assignmentRef").singleResult().getValue()))
                .findFirst().orElseThrow().getValue();
        assertThat(submitted).matches("\\d{4}-\\d{2}-15T09:00[+-]\\d{2}:\\d{2}");
        assertThat(OffsetDateTime.parse(submitted).toInstant()).isEqualTo(expectedStart);

        JsonNode request = http.get(walt, "/api/field-assignments/" + ref).json().get("requests").get(0);
        assertThat(request.get("kind").asText()).isEqualTo("RESCHEDULE");
        assertThat(OffsetDateTime.parse(request.get("newStart").asText()).toInstant()).isEqualTo(expectedStart);
        assertThat(OffsetDateTime.parse(request.get("newEnd").asText()).toInstant()).isEqualTo(expectedEnd);
        assertThat(request.get("reason").asText()).isEqualTo("The site opens later");
        await("the client's Review request step", () -> taskService.createTaskQuery().processInstanceBusinessKey(ref)
                .taskDefinitionKey("Task_ReviewRequest").taskCandidateGroup(company).count() == 1);
        Http.Response others = http.get(globex[1], "/api/field-assignments/" + olgasRef);
        assertThat(others.json().get("requests")).as("the other worker's assignment untouched").isEmpty();
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
        BROWSER.clickUntil("the process " + processName, processLink(processName), By.cssSelector(".modal .fjs-form"));
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

    /** The choices of a select, as its list shows them (the list is left open). */
    private List<String> options(String label) {
        WebElement select = BROWSER.formField(label);
        BROWSER.click("the select " + label, select.findElement(By.cssSelector(".fjs-input-group")));
        List<String> labels = BROWSER.driver().findElements(By.cssSelector(".fjs-dropdownlist-item")).stream()
                .filter(WebElement::isDisplayed).map(item -> item.getText().strip()).toList();
        return labels;
    }

    /** Chooses {@code choice} in the list {@link #options} left open. */
    private void pick(String label, String choice) {
        WebElement select = BROWSER.formField(label);
        BROWSER.click("the option " + choice, By.xpath("//*[contains(@class,'fjs-dropdownlist-item')][normalize-space()="
                + Browser.literal(choice) + "]"));
        BROWSER.await(choice + " is selected", d -> select.getText().contains(choice));
    }

    /** The 15th of next month, clicked in the date field's calendar. */
    private void pickDay(String label) {
        WebElement input = BROWSER.formField(label).findElement(By.cssSelector("input[id$='-date']"));
        BROWSER.click(label, input);
        WebElement calendar = BROWSER.visible("the calendar of " + label, By.cssSelector(".flatpickr-calendar.open"));
        BROWSER.click("next month", calendar.findElement(By.cssSelector(".flatpickr-next-month")));
        BROWSER.click("the 15th", calendar.findElement(By.xpath(".//span[contains(@class,'flatpickr-day')]"
                + "[not(contains(@class,'prevMonthDay'))][not(contains(@class,'nextMonthDay'))][normalize-space()='15']")));
        BROWSER.await(label + " holds a date", d -> !input.getDomProperty("value").isBlank());
    }

    /** A time chosen from the time field's list. */
    private void pickTime(String label, String time) {
        BROWSER.chooseTime(BROWSER.formField(label), time);
    }

    private String name(String user) {
        org.camunda.bpm.engine.identity.User person = identityService.createUserQuery().userId(user).singleResult();
        return person.getFirstName() + " " + person.getLastName();
    }

    private void type(String label, String text) {
        WebElement input = BROWSER.formField(label).findElement(By.cssSelector("input"));
        input.clear();
        input.sendKeys(text);
        BROWSER.await(label + " holds " + text, d -> text.equals(input.getDomProperty("value")));
    }

    // ---- data, through the domain API

    private String assigned(boolean checkIn) {
        return assignedBy(new String[] {company, client}, walt, "Read the meter", checkIn);
    }

    private String assignedBy(String[] companyAndMember, String worker, String title, boolean checkIn) {
        String company = companyAndMember[0];
        String client = companyAndMember[1];
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);
        Http.Response published = http.post(client, "/api/companies/" + company + "/field-assignments", json(Map.of(
                "title", title, "location", "Elm St 5", "scheduledStart", start.toString(),
                "scheduledEnd", start.plusHours(2).toString(), "budget", "80.00", "currency", "EUR", "paymentTermsDays", 7,
                "checkInRequired", checkIn, "contactName", "Front desk")));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        String ref = published.json().get("ref").asText();
        JsonNode applied = http.post(worker, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).json();
        long id = applied.get("applications").get(0).get("id").asLong();
        Http.Response chosen = http.post(client, "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", id)));
        assertThat(chosen.status()).as(chosen.text()).isEqualTo(200);
        return ref;
    }
}
