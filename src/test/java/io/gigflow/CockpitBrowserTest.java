package io.gigflow;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.shared.FaultInjector;
import io.gigflow.support.Browser;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Incident;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnPlane;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An operator watches and repairs the lifecycles in Camunda Cockpit, in a real browser
 * (headless Chromium, see {@link Browser}): each process definition (all seven lifecycles) shows its diagram and its
 * running instances, and a payout that failed for good is retried from the incident. Field-assignment's stages are
 * collapsed subprocesses, so its top level reads at Cockpit's own zoom and a stage opens with a click. With
 * {@code -Dgigflow.updateScreenshots=true} the definition pages become the README's pictures (docs/screenshots).
 */
class CockpitBrowserTest extends WebTestBase {

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    /** The test profile's administrator (camunda.bpm.admin-user in application-test.yaml). */
    private static final String ADMIN = "admin";

    @Autowired IdentityService identityService;
    @Autowired RepositoryService repositoryService;
    @Autowired RuntimeService runtimeService;
    @Autowired FaultInjector faults;

    Http http;
    Fixtures fixtures;
    String[] acme;
    String alice;

    @BeforeEach
    void givenACompanyAndAContractor() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        acme = fixtures.company("acme");
        alice = fixtures.contractor("alice");
        new Funding(http, fixtures).company(acme[1], acme[0], "500.00", "EUR");
    }

    @AfterEach
    void clearFaults() {
        faults.reset();
    }

    @Test
    void theAdminSeesEachLifecyclesDiagramAndItsRunningInstances() {
        String task = sentTask("Logo for the shop", "40.00");
        String order = placedOrder();
        String milestone = createdMilestone();
        String checklist = placedChecklistOrder();
        String fieldAssignment = publishedFieldAssignment();
        String topUp = registeredTopUp();
        String withdrawal = requestedWithdrawal();

        signIn();
        // the README's pictures are taken on a full HD screen
        BROWSER.driver().manage().window().setSize(new Dimension(1920, 1080));
        assertDefinitionPage("task-payout", task, "Task_AcceptTask", READABLE_SCALE);
        assertDefinitionPage("service-order", order, "Task_StartWork", READABLE_SCALE);
        assertDefinitionPage("contractor-milestone", milestone, "Task_CompleteMilestone", READABLE_SCALE);
        assertDefinitionPage("order-checklist", checklist, "Task_DoChecklistTask", READABLE_SCALE);
        assertDefinitionPage("top-up", topUp, "Task_ConfirmFunds", READABLE_SCALE);
        assertDefinitionPage("withdrawal", withdrawal, "Task_PayOutWithdrawal", READABLE_SCALE);
        // its stages are collapsed subprocesses: the instance waits inside PUBLISHED, one click away
        assertDefinitionPage("field-assignment", fieldAssignment, "SubProcess_Published", READABLE_SCALE);
        BROWSER.click("the drill-down into PUBLISHED", By.cssSelector(".djs-overlays[data-container-id='SubProcess_Published'] .bjs-drilldown"));
        BROWSER.visible("the applications stage with its waiting step", By.cssSelector(".djs-overlays[data-container-id='Task_ApplyForAssignment'] .badge"));
        ProcessDefinition definition = repositoryService.createProcessDefinitionQuery().processDefinitionKey("field-assignment").latestVersion()
                .singleResult();
        assertThat(drawn()).as("PUBLISHED's inside in Cockpit").containsAll(flowNodesOn(definition, "SubProcess_Published"));
        BROWSER.visible("the way back to the whole lifecycle", By.xpath("//*[contains(@class,'bjs-breadcrumbs')]//*[normalize-space()='Field assignment']"));
    }

    private String placedChecklistOrder() {
        String[] agency = fixtures.company("agency");
        String client = fixtures.client("cli");
        Http.Response service = http.post(agency[1], "/api/agencies/" + agency[0] + "/services", json(Map.of("title", "Website care",
                "tasks", java.util.List.of(Map.of("name", "Kick-off call", "assignees", java.util.List.of(agency[1]),
                        "visibleInPortal", true, "clientTask", false)))));
        assertThat(service.status()).as(service.text()).isEqualTo(201);
        Http.Response placed = http.post(agency[1], "/api/agency-services/" + service.json().get("ref").asText() + "/orders",
                json(Map.of("clientId", client)));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        return placed.json().get("ref").asText();
    }

    private String publishedFieldAssignment() {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).truncatedTo(ChronoUnit.HOURS);
        Http.Response published = http.post(acme[1], "/api/companies/" + acme[0] + "/field-assignments", json(Map.of(
                "title", "Replace the gas meter", "location", "Main St 1, Springfield", "scheduledStart", start.toString(),
                "scheduledEnd", start.plusHours(6).toString(), "budget", "300.00", "currency", "EUR", "paymentTermsDays", 14,
                "checkInRequired", true, "contactName", "Site manager")));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        return published.json().get("ref").asText();
    }

    /** A company's top-up, registered and waiting for finance to confirm its funds; its business key is its payment reference. */
    private String registeredTopUp() {
        Http.Response registered = http.post(acme[1], "/api/companies/" + acme[0] + "/top-ups",
                json(Map.of("amount", "80.00", "currency", "EUR", "method", "BANK_TRANSFER")));
        assertThat(registered.status()).as(registered.text()).isEqualTo(201);
        return registered.json().get("reference").asText();
    }

    /** A customer's withdrawal to an IBAN, waiting for finance to pay it out. */
    private String requestedWithdrawal() {
        String wendy = fixtures.customer("wendy");
        new Funding(http, fixtures).customer(wendy, "120.00", "EUR");
        Http.Response destination = http.post(wendy, "/api/me/payout-destinations", json(Map.of("kind", "IBAN",
                "iban", "DE89 3704 0044 0532 0130 00", "holderName", "Wendy Tester")));
        assertThat(destination.status()).as(destination.text()).isEqualTo(201);
        Http.Response requested = http.post(wendy, "/api/me/withdrawals", json(Map.of("amount", "50.00", "currency", "EUR",
                "destinationId", destination.json().get("id").asLong())));
        assertThat(requested.status()).as(requested.text()).isEqualTo(201);
        return requested.json().get("ref").asText();
    }

    @Test
    void anOperatorRetriesAPayoutThatFailedForGoodFromTheIncidentAndTheTaskIsPaid() {
        String task = sentTask("Audit of the books", "75.00");
        String instance = instanceOf("task-payout", task);
        // the payout step fails on its first run and both retries (R3/PT1S in tests): an incident
        faults.failNext(FaultInjector.LEDGER_TRANSFER, 3);
        assertThat(http.post(alice, "/api/tasks/" + task + "/accept", null).status()).isEqualTo(202);
        await("an incident on " + task, () -> runtimeService.createIncidentQuery().processInstanceId(instance).count() == 1);
        Incident incident = runtimeService.createIncidentQuery().processInstanceId(instance).singleResult();
        assertThat(incident.getIncidentType()).isEqualTo(Incident.FAILED_JOB_HANDLER_TYPE);
        assertThat(http.get(alice, "/api/tasks/" + task).json().get("status").asText()).isEqualTo("AWAITING_CONTRACTOR");
        faults.reset();

        signIn();
        open("#/process-instance/" + instance + "/runtime");
        BROWSER.visible("the instance's diagram", By.cssSelector(".djs-container svg [data-element-id='Task_AcceptTask']"));
        BROWSER.click("the Incidents tab", By.xpath("//ul[contains(@class,'nav-tabs')]//a[normalize-space()='Incidents']"));
        BROWSER.visible("the incident's message in the incidents table",
                By.xpath("//table//td[contains(normalize-space(),'injected fault in step ledger-transfer')]"));
        BROWSER.click("the incident's retry action", By.cssSelector("a.action-button[ng-click^='openJobRetryDialog']"));
        BROWSER.click("Retry in the dialog", By.cssSelector(".modal-footer button[ng-click='incrementRetry()']"));
        BROWSER.visible("the dialog saying the retry succeeded", By.xpath("//*[contains(@class,'modal-body')]"
                + "//*[contains(normalize-space(),'Incrementing the number of retries finished successfully')]"));
        BROWSER.click("OK in the dialog", By.cssSelector(".modal-footer button[ng-click='close(status)']"));

        await(task + " is paid", () -> "PAID".equals(http.get(alice, "/api/tasks/" + task).json().get("status").asText()));
        assertThat(runtimeService.createIncidentQuery().processInstanceId(instance).count()).isZero();
        assertThat(http.get(alice, "/api/me/balances").json().toString()).contains("75.00");
    }

    // ---- Cockpit, as an operator uses it

    private void signIn() {
        BROWSER.signInToCamunda(base() + "/camunda/app/cockpit/", ADMIN, ADMIN);
        BROWSER.visible("Cockpit's dashboard", By.xpath("//a[normalize-space()='Processes']"));
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private void open(String route) {
        BROWSER.driver().get(base() + "/camunda/app/cockpit/default/" + route);
    }

    /**
     * The definition's page draws every flow node of the model (a collapsed subprocess's inside on its own plane) and
     * lists the running instance, whose count shows on {@code humanStep} of the top level, which Cockpit fits into view
     * at a zoom of at least {@code minimumZoom}.
     */
    private void assertDefinitionPage(String key, String businessKey, String humanStep, double minimumZoom) {
        ProcessDefinition definition = repositoryService.createProcessDefinitionQuery().processDefinitionKey(key).latestVersion().singleResult();
        String instance = instanceOf(key, businessKey);
        open("#/process-definition/" + definition.getId() + "/runtime");

        BROWSER.visible(key + "'s diagram with " + humanStep, By.cssSelector(".djs-container svg [data-element-id='" + humanStep + "']"));
        assertThat(drawn()).as(key + "'s diagram in Cockpit").containsAll(flowNodesOn(definition, key));

        BROWSER.visible(key + "'s running instance " + instance + " (" + businessKey + ") in the instances table",
                By.cssSelector("table a[href*='" + instance + "']"));
        BROWSER.visible(key + "'s running-instance badge on " + humanStep,
                By.cssSelector(".djs-overlays[data-container-id='" + humanStep + "'] .badge"));
        assertTopLevelFits(key, minimumZoom);
        keepScreenshot(key);
    }

    /** The ids of the flow nodes drawn on the plane of {@code elementId}: the process's own, or a collapsed subprocess's inside. */
    private List<String> flowNodesOn(ProcessDefinition definition, String elementId) {
        List<String> nodes = repositoryService.getBpmnModelInstance(definition.getId()).getModelElementsByType(BpmnPlane.class).stream()
                .filter(plane -> plane.getBpmnElement().getId().equals(elementId))
                .flatMap(plane -> plane.getDiagramElements().stream())
                .filter(element -> element instanceof BpmnShape shape && shape.getBpmnElement() instanceof FlowNode)
                .map(element -> ((BpmnShape) element).getBpmnElement().getId()).toList();
        assertThat(nodes).as("flow nodes drawn on the plane of " + elementId).isNotEmpty();
        return nodes;
    }

    /** What Cockpit has drawn so far (bpmn-js draws a collapsed subprocess's inside when it is opened). */
    @SuppressWarnings("unchecked")
    private List<String> drawn() {
        return (List<String>) ((JavascriptExecutor) BROWSER.driver()).executeScript(
                "return Array.from(document.querySelectorAll('.djs-container [data-element-id]')).map(e => e.getAttribute('data-element-id'));");
    }

    /**
     * At the view's own zoom (Cockpit fits the diagram's top level into the panel), every element of the top level lies
     * inside the panel and is drawn at no less than {@code minimumZoom} of its size; with {@value #READABLE_SCALE} the
     * lifecycle reads at a glance, and its stages open with a click (drill-down into a collapsed subprocess).
     */
    private void assertTopLevelFits(String key, double minimumZoom) {
        @SuppressWarnings("unchecked")
        Map<String, Object> view = (Map<String, Object>) ((JavascriptExecutor) BROWSER.driver()).executeScript("""
                const container = document.querySelector('.djs-container');
                const box = container.getBoundingClientRect();
                const scale = container.querySelector('svg g.viewport').transform.baseVal.consolidate().matrix.a;
                const outside = [];
                let shown = 0;
                for (const e of container.querySelectorAll('.djs-element.djs-shape[data-element-id]')) {
                  const r = e.getBoundingClientRect();
                  if (r.width === 0 && r.height === 0) continue; // on a plane that is not shown
                  shown++;
                  if (r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1) {
                    outside.push(e.getAttribute('data-element-id'));
                  }
                }
                return {scale: scale, shown: shown, outside: outside, width: box.width, height: box.height};
                """);
        assertThat(((Number) view.get("shown")).intValue()).as(key + ": shapes shown on the top level").isPositive();
        assertThat((List<?>) view.get("outside")).as(key + ": top-level shapes outside Cockpit's diagram panel " + view).isEmpty();
        assertThat(((Number) view.get("scale")).doubleValue()).as(key + ": Cockpit's zoom on the top level " + view)
                .isGreaterThanOrEqualTo(minimumZoom);
    }

    /** The smallest zoom at which a step's name (12 px) still reads: about 8 px on the screen. */
    private static final double READABLE_SCALE = 0.65;

    /**
     * With {@code -Dgigflow.updateScreenshots=true}, the page as it is now becomes docs/screenshots/{key}.png (the
     * README's pictures of Cockpit); otherwise the pictures are left alone.
     */
    private void keepScreenshot(String key) {
        if (!Boolean.getBoolean("gigflow.updateScreenshots")) {
            return;
        }
        try {
            Path target = Path.of("docs", "screenshots", key + ".png");
            Files.createDirectories(target.getParent());
            Files.write(target, ((TakesScreenshot) BROWSER.driver()).getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- data, through the domain API

    /** The instance of the process {@code key} (a field assignment's offer runs under the same business key). */
    private String instanceOf(String key, String businessKey) {
        return runtimeService.createProcessInstanceQuery().processDefinitionKey(key).processInstanceBusinessKey(businessKey).singleResult()
                .getId();
    }

    private String sentTask(String title, String amount) {
        Http.Response created = http.post(acme[1], "/api/companies/" + acme[0] + "/tasks",
                json(Map.of("contractorId", alice, "title", title, "amount", amount, "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String ref = created.json().get("ref").asText();
        Http.Response sent = http.post(acme[1], "/api/tasks/" + ref + "/send", null);
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        return ref;
    }

    private String placedOrder() {
        String pia = fixtures.provider("pia");
        String carl = fixtures.customer("carl");
        new Funding(http, fixtures).customer(carl, "200.00", "EUR");
        Http.Response published = http.post(pia, "/api/me/services", json(Map.of("title", "Logo design", "basePrice", "100.00",
                "currency", "EUR", "deliveryDays", 5, "options", List.of())));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        Http.Response placed = http.post(carl, "/api/services/" + published.json().get("ref").asText() + "/orders",
                json(Map.of("optionIds", List.of())));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        return placed.json().get("ref").asText();
    }

    private String createdMilestone() {
        String deadline = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).truncatedTo(ChronoUnit.SECONDS).toString();
        Http.Response created = http.post(acme[1], "/api/companies/" + acme[0] + "/contractors/" + alice + "/milestones",
                json(Map.of("title", "Landing page design", "deadline", deadline, "amount", "250.00", "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("ref").asText();
    }
}
