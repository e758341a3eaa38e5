package io.gigflow;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Browser;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Each kind of person does a step of their lifecycle in Camunda Tasklist, in a real browser
 * (headless Chromium, see {@link Browser}): they sign in, see their own tasks and nobody else's,
 * open one, fill in its Camunda Form and complete it, and the process moves on.
 */
class TasklistBrowserTest extends WebTestBase {

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;
    @Autowired org.camunda.bpm.engine.HistoryService historyService;

    Http http;
    Fixtures fixtures;

    @BeforeEach
    void givenTheApplication() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
    }

    @Test
    void aContractorAcceptsATaskInTasklistAndIsPaid() {
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        String eve = fixtures.contractor("eve");
        topUp(acme, "100.00");
        String mine = sentTask(acme, alice, "Logo for the shop", "40.00");
        String others = sentTask(acme, eve, "Copy for the shop", "30.00");

        signIn(alice);
        String step = stepOf(mine, "Task_AcceptTask");
        assertListShowsExactly(alice, step, stepOf(others, "Task_AcceptTask"));

        openTask(step, "Accept task " + mine + " · Logo for the shop (acme Ltd)");
        BROWSER.awaitFormShows("Task", "Logo for the shop");
        BROWSER.awaitFormShows("Amount", "40.00 EUR");
        assertLabels("Your decision");
        BROWSER.chooseRadio("Your decision", "Accept and get paid");
        complete(step);

        await(mine + " is paid", () -> "PAID".equals(http.get(alice, "/api/tasks/" + mine).json().get("status").asText()));
        assertThat(http.get(eve, "/api/tasks/" + others).json().get("status").asText()).isEqualTo("AWAITING_CONTRACTOR");
    }

    @Test
    void aCompanyMemberClaimsADraftInTasklistAndSendsItToPayment() {
        String[] acme = fixtures.company("acme");
        String[] globex = fixtures.company("globex");
        String alice = fixtures.contractor("alice");
        topUp(acme, "100.00");
        String draft = createTask(acme, alice, "Translate the FAQ", "25.00");
        String othersDraft = createTask(globex, alice, "Globex banner", "10.00");

        signIn(acme[1]);
        String step = stepOf(draft, "Task_ReviewDraft");
        assertListShowsExactly(acme[1], step, stepOf(othersDraft, "Task_ReviewDraft"));

        openTask(step, "Review draft " + draft + " · Translate the FAQ (" + personName(alice) + ")");
        BROWSER.claimIfOffered();
        BROWSER.awaitFormShows("Task", "Translate the FAQ");
        BROWSER.awaitFormShows("Contractor", personName(alice));
        BROWSER.awaitFormShows("Amount", "25.00 EUR");
        BROWSER.chooseOption("What to do", "Send to payment");
        complete(step);

        await(draft + " awaits the contractor",
                () -> "AWAITING_CONTRACTOR".equals(http.get(acme[1], "/api/tasks/" + draft).json().get("status").asText()));
        assertThat(http.get(globex[1], "/api/tasks/" + othersDraft).json().get("status").asText()).isEqualTo("DRAFT");
    }

    @Test
    void aProviderStartsWorkOnAnOrderInTasklist() {
        String pia = fixtures.provider("pia");
        String otto = fixtures.provider("otto");
        String carl = fixtures.customer("carl");
        topUpCustomer(carl, "500.00");
        String order = placeOrder(carl, publishService(pia, "Logo design", "100.00"));
        String othersOrder = placeOrder(carl, publishService(otto, "Website audit", "80.00"));

        signIn(pia);
        String step = stepOf(order, "Task_StartWork");
        assertListShowsExactly(pia, step, stepOf(othersOrder, "Task_StartWork"));

        openTask(step, "Start work " + order + " · Logo design (" + personName(carl) + ")");
        BROWSER.awaitFormShows("Service", "Logo design");
        BROWSER.awaitFormShows("Paid into escrow", "100.00 EUR");
        WebElement checkbox = BROWSER.formField("Start work now").findElement(By.cssSelector("input[type=checkbox]"));
        assertThat(checkbox.isSelected()).isFalse();
        BROWSER.click("the checkbox Start work now", checkbox);
        BROWSER.await("the checkbox is ticked", d -> checkbox.isSelected());
        complete(step);

        await(order + " is in progress", () -> "IN_PROGRESS".equals(http.get(pia, "/api/orders/" + order).json().get("status").asText()));
        assertThat(http.get(otto, "/api/orders/" + othersOrder).json().get("status").asText()).isEqualTo("AWAITING_START");
    }

    @Test
    void aCustomerConfirmsADeliveryInTasklistAndTheOrderIsDone() {
        String pia = fixtures.provider("pia");
        String carl = fixtures.customer("carl");
        String cleo = fixtures.customer("cleo");
        topUpCustomer(carl, "500.00");
        topUpCustomer(cleo, "500.00");
        String service = publishService(pia, "Logo design", "100.00");
        String order = deliveredOrder(pia, carl, service, "Here is your logo");
        String othersOrder = deliveredOrder(pia, cleo, service, "Here is yours");

        signIn(carl);
        String step = stepOf(order, "Task_ConfirmDelivery");
        assertListShowsExactly(carl, step, stepOf(othersOrder, "Task_ConfirmDelivery"));

        openTask(step, "Confirm delivery " + order + " · Logo design (" + personName(pia) + ")");
        BROWSER.awaitFormShows("Service", "Logo design");
        BROWSER.awaitFormShows("The provider's delivery", "Here is your logo");
        BROWSER.chooseRadio("Your answer", "Confirm and release the payment");
        complete(step);

        await(order + " is done", () -> "DONE".equals(http.get(carl, "/api/orders/" + order).json().get("status").asText()));
        assertThat(http.get(cleo, "/api/orders/" + othersOrder).json().get("status").asText()).isEqualTo("DELIVERED");
    }

    @Test
    void aContractorCompletesAMilestoneInTasklist() {
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        String eve = fixtures.contractor("eve");
        String milestone = createMilestone(acme, alice, "Landing page design", "250.00");
        String othersMilestone = createMilestone(acme, eve, "Checkout flow", "90.00");

        signIn(alice);
        String step = stepOf(milestone, "Task_CompleteMilestone");
        assertListShowsExactly(alice, step, stepOf(othersMilestone, "Task_CompleteMilestone"));

        openTask(step, "Complete milestone " + milestone + " · Landing page design (acme Ltd)");
        BROWSER.awaitFormShows("Milestone", "Landing page design");
        BROWSER.awaitFormShows("Amount", "250.00 EUR");
        assertLabels("Deadline", "What you delivered");
        BROWSER.formField("What you delivered").findElement(By.tagName("textarea")).sendKeys("Desktop and mobile layouts");
        complete(step);

        await(milestone + " is submitted",
                () -> "SUBMITTED".equals(http.get(alice, "/api/milestones/" + milestone).json().get("status").asText()));
        assertThat(http.get(acme[1], "/api/milestones/" + milestone).json().toString()).contains("Desktop and mobile layouts");
        assertThat(http.get(eve, "/api/milestones/" + othersMilestone).json().get("status").asText()).isEqualTo("IN_PROGRESS");
    }

    @Test
    void aFieldWorkerAppliesWorksAndSubmitsInTasklistAndTheClientChoosesAndApprovesIt() {
        String[] acme = fixtures.company("acme");
        String client = acme[1];
        String walt = fixtures.fieldWorker("walt");
        String wendy = fixtures.fieldWorker("wendy");
        topUp(acme, "1000.00");
        String ref = publishFieldAssignment(acme, "Replace the gas meter", "500.00");
        String other = publishFieldAssignment(acme, "Read the water meter", "80.00");
        String chooseStep = stepOf(ref, "Task_ChooseApplicant");

        // a field worker applies: the form shows the scope, never the client's contact details
        signIn(walt);
        String applyStep = stepOf(ref, "Task_ApplyForAssignment");
        assertListShowsExactly(walt, applyStep, chooseStep);
        // each assignment's step is named after it, so that the two "Apply for assignment" steps are told apart
        assertListedAs(applyStep, fieldStep("Apply for assignment", ref, "Replace the gas meter"));
        assertListedAs(stepOf(other, "Task_ApplyForAssignment"), fieldStep("Apply for assignment", other, "Read the water meter"));
        openTask(applyStep, fieldStep("Apply for assignment", ref, "Replace the gas meter"));
        BROWSER.claimIfOffered();
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Assignment", "Replace the gas meter");
        BROWSER.awaitFormShows("Location", "Main St 1, Springfield");
        String start = scheduledStart(client, ref);
        assertStartShown(start);
        BROWSER.awaitFormShows("Client", "acme Ltd");
        BROWSER.awaitFormShows("Paid this many days after approval", "0");
        BROWSER.awaitFormShows("Budget", "500.00 EUR");
        assertFormContains("Scope", "leaks");
        assertFormContains("Required at submission", "Photo");
        assertFormContains("Required at submission", "Meter reading");
        assertPageNeverShows(CONTACT_NAME, CONTACT_PHONE, CONTACT_EMAIL);
        BROWSER.chooseRadio("What do you want to do?", "Counteroffer");
        assertLabels("Your price (decimal, e.g. 180.00)");
        BROWSER.chooseRadio("What do you want to do?", "Apply");
        BROWSER.await("the counteroffer's price hidden again", d -> d.findElements(By.xpath("//label[contains(normalize-space(),'Your price')]"))
                .stream().noneMatch(WebElement::isDisplayed));
        BROWSER.formField("Message or question").findElement(By.tagName("textarea")).sendKeys("I replaced twenty of these meters");
        screenshot("field-assignment-apply");
        complete(applyStep);
        await(walt + "'s application", () -> applicationOf(client, ref, walt) != null);
        Http.Response counteroffer = http.post(wendy, "/api/field-assignments/" + ref + "/applications",
                json(Map.of("kind", "COUNTEROFFER", "price", "450.00")));
        assertThat(counteroffer.status()).as(counteroffer.text()).isEqualTo(200);

        // the client picks walt from the open applications
        signIn(client);
        assertListShowsExactly(client, chooseStep, stepOf(ref, "Task_ApplyForAssignment"));
        openTask(chooseStep, fieldStep("Choose applicant", ref, "Replace the gas meter"));
        BROWSER.claimIfOffered();
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Assignment", "Replace the gas meter");
        JsonNode application = applicationOf(client, ref, walt);
        assertFormContains("Open applications, with their messages",
                "#" + application.get("id").asText() + " " + personName(walt) + ": applies at 500.00 EUR");
        assertFormContains("Open applications, with their messages", personName(wendy) + ": counteroffer 450.00 EUR");
        BROWSER.chooseOption("Worker", personName(walt) + " — 500.00 EUR — " + scheduleLabel(client, ref));
        complete(chooseStep);
        assertThat(fieldStatus(client, ref)).isEqualTo("ASSIGNED");

        // walt confirms, checks in and out, and submits with the required items
        signIn(walt);
        String confirmStep = stepOf(ref, "Task_ConfirmAssignment");
        assertListShowsExactly(walt, confirmStep, stepOf(other, "Task_ChooseApplicant"));
        openTask(confirmStep, fieldStep("Confirm assignment", ref, "Replace the gas meter"));
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Assignment", "Replace the gas meter");
        BROWSER.awaitFormShows("Price", "500.00 EUR");
        assertStartShown(start);
        tick("I confirm this assignment");
        complete(confirmStep);

        String checkInStep = stepOf(ref, "Task_CheckIn");
        openListedTask(checkInStep, fieldStep("Check in", ref, "Replace the gas meter"));
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Location", "Main St 1, Springfield");
        assertStartShown(start);
        screenshot("field-assignment-check-in");
        tick("I am on site");
        complete(checkInStep);
        await(ref + " is in progress", () -> "IN_PROGRESS".equals(fieldStatus(walt, ref)));

        String checkOutStep = stepOf(ref, "Task_CheckOut");
        openListedTask(checkOutStep, fieldStep("Check out", ref, "Replace the gas meter"));
        BROWSER.awaitFormShows("Reference", ref);
        tick("I am leaving the site");
        complete(checkOutStep);

        String submitStep = stepOf(ref, "Task_SubmitWork");
        openListedTask(submitStep, fieldStep("Submit for approval", ref, "Replace the gas meter"));
        BROWSER.awaitFormShows("Reference", ref);
        assertFormContains("Required", "Photo");
        BROWSER.formField("Deliverables").findElement(By.tagName("textarea")).sendKeys("Photo: https://files.example/meter.jpg");
        // without the meter reading the server refuses the submission, names what is missing, and the step stays open
        BROWSER.click("the Complete button", By.xpath("//button[normalize-space()='Complete']"));
        BROWSER.visible("Tasklist's error naming the missing custom field",
                By.xpath("//*[contains(@class,'alert')][contains(.,'customFields.Meter reading')]"));
        assertThat(taskService.createTaskQuery().taskId(submitStep).count()).isEqualTo(1);
        BROWSER.click("the error's close button", By.cssSelector(".page-notifications button.close"));
        BROWSER.await("the error closed (it covers the Complete button)",
                d -> d.findElements(By.cssSelector(".page-notifications .alert")).stream().noneMatch(WebElement::isDisplayed));
        BROWSER.formField("Custom fields").findElement(By.tagName("textarea")).sendKeys("Meter reading: 4711");
        complete(submitStep);
        assertThat(fieldStatus(walt, ref)).isEqualTo("PENDING_APPROVAL");

        // another worker sees none of walt's steps, only what is open to every field worker
        signIn(wendy);
        assertListShowsExactly(wendy, stepOf(other, "Task_ApplyForAssignment"), stepOf(ref, "Task_ReviewSubmission"));
        assertThat(http.get(wendy, "/api/field-assignments/" + ref).status()).isEqualTo(404);

        // the client approves; with payment terms of 0 days walt is paid at once
        signIn(client);
        String reviewStep = stepOf(ref, "Task_ReviewSubmission");
        assertListShowsExactly(client, reviewStep, stepOf(other, "Task_ApplyForAssignment"));
        openTask(reviewStep, fieldStep("Review submission", ref, "Replace the gas meter"));
        BROWSER.claimIfOffered();
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Assignment", "Replace the gas meter");
        BROWSER.awaitFormShows("Price", "500.00 EUR");
        BROWSER.awaitFormShows("Worker", personName(walt));
        // what walt handed in, read from the assignment when the step opened
        assertFormContains("What the worker submitted", "- Photo: https://files.example/meter.jpg");
        assertFormContains("What the worker submitted", "- Meter reading: 4711");
        assertFormContains("What the worker submitted", "Checked out: ");
        assertFormContains("What the worker submitted", "Invoice total if approved now: 500.00 EUR");
        ((org.openqa.selenium.JavascriptExecutor) BROWSER.driver()).executeScript("arguments[0].scrollIntoView({block: 'center'});",
                BROWSER.formField("What the worker submitted"));
        screenshot("field-assignment-review");
        BROWSER.chooseRadio("Your decision", "Not satisfied");
        assertLabels("What is not right?");
        BROWSER.chooseRadio("Your decision", "Approve");
        complete(reviewStep);

        await(ref + " is paid", () -> "PAID".equals(fieldStatus(walt, ref)));
        // the form's read-only submission was read from the rows when it opened: never a variable, nor did the completion write it
        assertThat(historyService.createHistoricVariableInstanceQuery().processInstanceId(taskProcessInstance(reviewStep))
                .variableNameIn("submissionText", "applicationsText", "applicantOptions", "title", "price").list()).isEmpty();
        JsonNode paid = http.get(walt, "/api/field-assignments/" + ref).json();
        assertThat(paid.get("deliverables").get("Photo").asText()).isEqualTo("https://files.example/meter.jpg");
        assertThat(paid.get("customFields").get("Meter reading").asText()).isEqualTo("4711");
        assertThat(paid.get("invoice").get("total").asText()).isEqualTo("500.00");
        assertThat(paid.get("invoice").get("paidToWorker").asText()).isEqualTo("500.00");
        assertThat(balance(walt, "/api/me/balances")).isEqualTo("500.00");
        assertThat(balance(client, "/api/companies/" + acme[0] + "/balances")).isEqualTo("500.00");
        assertThat(http.get(wendy, "/api/me/balances").json()).isEmpty();
        assertThat(fieldStatus(client, other)).isEqualTo("PUBLISHED");
    }

    private static final String CONTACT_NAME = "Frank Moss";
    private static final String CONTACT_PHONE = "+1 555 0142";
    private static final String CONTACT_EMAIL = "facility@acme.example";

    private String publishFieldAssignment(String[] company, String title, String budget) {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).truncatedTo(ChronoUnit.HOURS);
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("title", title);
        body.put("description", "The old meter <strong>leaks</strong>");
        body.put("location", "Main St 1, Springfield");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plusHours(6).toString());
        body.put("budget", budget);
        body.put("currency", "EUR");
        body.put("paymentTermsDays", 0);
        body.put("checkInRequired", true);
        body.put("requiredDeliverables", List.of("Photo"));
        body.put("requiredCustomFields", List.of("Meter reading"));
        body.put("contactName", CONTACT_NAME);
        body.put("contactPhone", CONTACT_PHONE);
        body.put("contactEmail", CONTACT_EMAIL);
        Http.Response published = http.post(company[1], "/api/companies/" + company[0] + "/field-assignments", json(body));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        return published.json().get("ref").asText();
    }

    private JsonNode applicationOf(String client, String ref, String worker) {
        for (JsonNode application : http.get(client, "/api/field-assignments/" + ref).json().path("applications")) {
            if (worker.equals(application.get("workerId").asText())) {
                return application;
            }
        }
        return null;
    }

    /** The scheduled start's time of day as the form shows it, in the browser's (this machine's) time zone. */
    private String scheduledStart(String user, String ref) {
        return OffsetDateTime.parse(http.get(user, "/api/field-assignments/" + ref).json().get("scheduledStart").asText())
                .atZoneSameInstant(java.time.ZoneId.systemDefault()).toLocalTime().truncatedTo(ChronoUnit.MINUTES).toString();
    }

    /** The date-and-time field Starts shows the scheduled start's local time. */
    private void assertStartShown(String time) {
        WebElement input = BROWSER.formField("Starts").findElement(By.cssSelector("input[id$='-time']"));
        BROWSER.await("the field Starts shows " + time, d -> time.equals(input.getDomProperty("value")));
    }

    /** The published schedule as Choose applicant's options write it (in UTC, named). */
    private String scheduleLabel(String user, String ref) {
        JsonNode assignment = http.get(user, "/api/field-assignments/" + ref).json();
        return io.gigflow.shared.Readable.dateTime(OffsetDateTime.parse(assignment.get("scheduledStart").asText()).toInstant(), java.time.ZoneId.of("UTC"))
                + " to " + io.gigflow.shared.Readable.dateTime(OffsetDateTime.parse(assignment.get("scheduledEnd").asText()).toInstant(),
                        java.time.ZoneId.of("UTC"));
    }

    private String personName(String userId) {
        var user = identityService.createUserQuery().userId(userId).singleResult();
        return user.getFirstName() + " " + user.getLastName();
    }

    private String fieldStatus(String user, String ref) {
        Http.Response response = http.get(user, "/api/field-assignments/" + ref);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().get("status").asText();
    }

    private String balance(String user, String path) {
        JsonNode balances = http.get(user, path).json();
        for (JsonNode balance : balances) {
            if ("EUR".equals(balance.get("currency").asText())) {
                return balance.get("amount").asText();
            }
        }
        throw new AssertionError("no EUR balance in " + balances);
    }

    // ---- Tasklist, as a person uses it

    /** Signs in and opens the filter that lists every task the person may see (the role filters narrow it). */
    @Test
    void agencyStaffMarkAChecklistTaskDoneInTasklistAndTheNextTaskIsOffered() {
        String[] agency = fixtures.company("agency");
        String ann = agency[1];
        String bob = fixtures.member(agency[0]);
        String client = fixtures.client("cli");
        Http.Response service = http.post(ann, "/api/agencies/" + agency[0] + "/services", json(Map.of("title", "Website care",
                "tasks", List.of(checklistTask("Kick-off call", ann), checklistTask("Review the site", bob)))));
        assertThat(service.status()).as(service.text()).isEqualTo(201);
        Http.Response placed = http.post(ann, "/api/agency-services/" + service.json().get("ref").asText() + "/orders",
                json(Map.of("clientId", client)));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        String order = placed.json().get("ref").asText();

        signIn(ann);
        String step = taskService.createTaskQuery().processInstanceBusinessKey(order).singleResult().getId();
        BROWSER.visible("the task " + step + " in the list", Browser.taskLink(step));
        openTask(step, "Kick-off call " + order + " · Website care (" + personName(client) + ")");
        BROWSER.claimIfOffered();
        BROWSER.awaitFormShows("Task", "Kick-off call");
        WebElement done = BROWSER.formField("This task is done").findElement(By.cssSelector("input[type=checkbox]"));
        BROWSER.click("the checkbox This task is done", done);
        BROWSER.await("the checkbox is ticked", d -> done.isSelected());
        complete(step);

        await("the next task is offered to bob", () -> taskService.createTaskQuery().processInstanceBusinessKey(order)
                .taskCandidateUser(bob).count() == 1);
        JsonNode items = http.get(ann, "/api/checklist-orders/" + order).json().get("items");
        assertThat(items.get(0).get("status").asText()).isEqualTo("DONE");
        assertThat(items.get(1).get("status").asText()).isEqualTo("OPEN");
    }

    private static Map<String, Object> checklistTask(String name, String assignee) {
        return Map.of("name", name, "assignees", List.of(assignee), "visibleInPortal", true, "clientTask", false);
    }

    private void signIn(String user) {
        BROWSER.signInToCamunda("http://127.0.0.1:" + port + "/camunda/app/tasklist/", user, Fixtures.PASSWORD);
        for (String filter : List.of("My tasks", "My company's tasks", "Past due", "All my tasks")) {
            BROWSER.visible("Tasklist's filter " + filter, Browser.tasklistFilter(filter));
        }
        BROWSER.click("the filter All my tasks", Browser.tasklistFilter("All my tasks"));
        BROWSER.visible("the filter All my tasks chosen",
                By.xpath("//*[contains(@class,'task-filter') and contains(@class,'active')]//h4[contains(normalize-space(),'All my tasks')]"));
    }

    /** The task list (filter "My tasks") shows {@code mine} and not {@code others}, and only what the engine gives this user. */
    private void assertListShowsExactly(String user, String mine, String others) {
        BROWSER.visible("the task " + mine + " in the list", Browser.taskLink(mine));
        List<String> listed = BROWSER.driver().findElements(By.cssSelector(".tasks-list li.task h4 a")).stream()
                .map(a -> a.getAttribute("href")).toList();
        long ownTasks = fixtures.as(user, () -> taskService.createTaskQuery().count());
        assertThat(listed).as("the tasks listed for " + user).hasSize((int) Math.min(ownTasks, 15))
                .anyMatch(href -> href.contains(mine)).noneMatch(href -> href.contains(others));
    }

    private String taskProcessInstance(String taskId) {
        return historyService.createHistoricTaskInstanceQuery().taskId(taskId).singleResult().getProcessInstanceId();
    }

    /** A field-assignment step as Tasklist names it: the step, the assignment's reference and title. */
    private static String fieldStep(String step, String ref, String title) {
        return step + ": " + ref + " " + title;
    }

    private void assertListedAs(String taskId, String name) {
        BROWSER.await("the task " + taskId + " listed as " + name,
                d -> name.equals(d.findElement(Browser.taskLink(taskId)).getText().strip()));
    }

    private void openTask(String taskId, String name) {
        BROWSER.click("the task " + name, Browser.taskLink(taskId));
        BROWSER.visible("the task's header " + name, By.xpath("//*[contains(@class,'task-details')]//*[normalize-space()=" + Browser.literal(name) + "]"));
        BROWSER.visible("the Camunda Form of " + name, By.cssSelector(".fjs-form"));
    }
    /** A task that appeared after the page was loaded: reload the list (the filter All my tasks) first. */
    private void openListedTask(String taskId, String name) {
        BROWSER.driver().navigate().refresh();
        BROWSER.click("the filter All my tasks", Browser.tasklistFilter("All my tasks"));
        openTask(taskId, name);
    }

    private void tick(String label) {
        WebElement checkbox = BROWSER.formField(label).findElement(By.cssSelector("input[type=checkbox]"));
        assertThat(checkbox.isSelected()).as(label).isFalse();
        BROWSER.click("the checkbox " + label, checkbox);
        BROWSER.await("the checkbox " + label + " is ticked", d -> checkbox.isSelected());
    }

    private void assertFormContains(String label, String text) {
        WebElement input = BROWSER.formField(label).findElement(By.cssSelector("input, textarea"));
        BROWSER.await("the field " + label + " contains " + text, d -> {
            String value = input.getDomProperty("value");
            return value != null && value.contains(text);
        });
    }

    /** Neither the page's text nor any of its fields' values holds any of these. */
    private void assertPageNeverShows(String... secrets) {
        String shown = (String) ((org.openqa.selenium.JavascriptExecutor) BROWSER.driver()).executeScript(
                "return document.body.innerText + '\\n' + Array.from(document.querySelectorAll('input, textarea'))"
                        + ".map(e => e.value).join('\\n');");
        for (String secret : secrets) {
            assertThat(shown).as("the page").doesNotContain(secret);
        }
    }

    private void screenshot(String name) {
        try {
            java.nio.file.Path target = java.nio.file.Paths.get("target", "browser-screenshots", name + ".png");
            java.nio.file.Files.createDirectories(target.getParent());
            java.nio.file.Files.write(target, ((org.openqa.selenium.TakesScreenshot) BROWSER.driver())
                    .getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void assertLabels(String... labels) {
        for (String label : labels) {
            assertThat(BROWSER.formField(label).isDisplayed()).as(label).isTrue();
        }
    }

    private void complete(String taskId) {
        BROWSER.click("the Complete button", By.xpath("//button[normalize-space()='Complete']"));
        BROWSER.await("the task leaves the list", d -> d.findElements(Browser.taskLink(taskId)).isEmpty());
        await("the step " + taskId + " is done", () -> taskService.createTaskQuery().taskId(taskId).count() == 0);
    }

    // ---- data, through the domain API

    private String stepOf(String businessKey, String taskDefinitionKey) {
        await("the step " + taskDefinitionKey + " of " + businessKey, () -> taskService.createTaskQuery()
                .processInstanceBusinessKey(businessKey).taskDefinitionKey(taskDefinitionKey).count() == 1);
        Task task = taskService.createTaskQuery().processInstanceBusinessKey(businessKey).taskDefinitionKey(taskDefinitionKey).singleResult();
        return task.getId();
    }

    private void topUp(String[] company, String amount) {
        new Funding(http, fixtures).company(company[1], company[0], amount, "EUR");
    }

    private String createTask(String[] company, String contractor, String title, String amount) {
        Http.Response created = http.post(company[1], "/api/companies/" + company[0] + "/tasks",
                json(Map.of("contractorId", contractor, "title", title, "amount", amount, "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("ref").asText();
    }

    private String sentTask(String[] company, String contractor, String title, String amount) {
        String ref = createTask(company, contractor, title, amount);
        Http.Response sent = http.post(company[1], "/api/tasks/" + ref + "/send", null);
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        return ref;
    }

    private void topUpCustomer(String customer, String amount) {
        new Funding(http, fixtures).customer(customer, amount, "EUR");
    }

    private String publishService(String provider, String title, String price) {
        Http.Response published = http.post(provider, "/api/me/services", json(Map.of("title", title, "basePrice", price,
                "currency", "EUR", "deliveryDays", 5, "options", List.of())));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        return published.json().get("ref").asText();
    }

    private String placeOrder(String customer, String service) {
        Http.Response placed = http.post(customer, "/api/services/" + service + "/orders", json(Map.of("optionIds", List.of())));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        return placed.json().get("ref").asText();
    }

    private String deliveredOrder(String provider, String customer, String service, String message) {
        String order = placeOrder(customer, service);
        Http.Response started = http.post(provider, "/api/orders/" + order + "/start", null);
        assertThat(started.status()).as(started.text()).isEqualTo(200);
        Http.Response delivered = http.post(provider, "/api/orders/" + order + "/deliver", json(Map.of("message", message)));
        assertThat(delivered.json().get("status").asText()).as(delivered.text()).isEqualTo("DELIVERED");
        return order;
    }

    private String createMilestone(String[] company, String contractor, String title, String amount) {
        String deadline = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).truncatedTo(ChronoUnit.SECONDS).toString();
        Http.Response created = http.post(company[1], "/api/companies/" + company[0] + "/contractors/" + contractor + "/milestones",
                json(Map.of("title", title, "deadline", deadline, "amount", amount, "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("ref").asText();
    }
}
