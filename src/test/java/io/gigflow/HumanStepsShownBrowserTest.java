package io.gigflow;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Browser;
import io.gigflow.support.FieldAssignmentPublisher;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * How a human step is shown in Camunda Tasklist, in a real browser (headless Chromium, see
 * {@link Browser}) whose time zone is not the server's: the list names each step after its
 * reference, title and other party; the form names who asks, shows amounts with their currency in
 * one field and dates in the browser's own time zone, and says what follows each choice.
 */
class HumanStepsShownBrowserTest extends WebTestBase {

    @RegisterExtension
    static final Browser BROWSER = new Browser();

    /** Half an hour off any whole-hour zone, so that a date shown in UTC or the server's zone cannot pass for it. */
    static final ZoneId VIEWER_ZONE = ZoneId.of("Asia/Kolkata");

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;
    @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

    Http http;
    Fixtures fixtures;

    @BeforeEach
    void givenTheApplication() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
    }

    @Test
    void aContractorSeesWhoOffersATaskItsReferenceAndItsAmount() {
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        new Funding(http, fixtures).company(acme[1], acme[0], "3000.00", "EUR");
        String first = sentTask(acme, alice, "Logo design", "1250.00");
        String second = sentTask(acme, alice, "Logo design", "40.00");

        signIn(alice);
        String step = stepOf(first, "Task_AcceptTask");
        // two offers of the same title are told apart in the list by their reference
        assertListedAs(step, "Accept task " + first + " · Logo design (acme Ltd)");
        assertListedAs(stepOf(second, "Task_AcceptTask"), "Accept task " + second + " · Logo design (acme Ltd)");
        openTask(step, "Accept task " + first + " · Logo design (acme Ltd)");
        BROWSER.awaitFormShows("Company", "acme Ltd");
        BROWSER.awaitFormShows("Reference", first);
        BROWSER.awaitFormShows("Task", "Logo design");
        BROWSER.awaitFormShows("Amount", "1,250.00 EUR");
        assertThat(BROWSER.driver().findElements(Browser.formFieldBy("Currency"))).isEmpty();
        BROWSER.chooseRadio("Your decision", "Accept and get paid");
        assertPageSays("the amount is paid to your balance at once");
        complete(step);
        await(first + " is paid", () -> "PAID".equals(http.get(alice, "/api/tasks/" + first).json().get("status").asText()));
    }

    @Test
    void aContractorSeesAMilestonesDeadlineInTheirOwnTimeZone() {
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        OffsetDateTime deadline = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withHour(10).truncatedTo(ChronoUnit.HOURS);
        String milestone = createMilestone(acme, alice, "Landing page design", "250.00", deadline);

        signIn(alice);
        String step = stepOf(milestone, "Task_CompleteMilestone");
        String name = "Complete milestone " + milestone + " · Landing page design (acme Ltd)";
        assertListedAs(step, name);
        openTask(step, name);
        BROWSER.awaitFormShows("Company", "acme Ltd");
        BROWSER.awaitFormShows("Reference", milestone);
        BROWSER.awaitFormShows("Amount", "250.00 EUR");
        assertShowsDateTime("Deadline", deadline);
        BROWSER.formField("What you delivered").findElement(By.tagName("textarea")).sendKeys("Desktop and mobile layouts");
        assertPageSays("the company reviews what you delivered");
        complete(step);
        await(milestone + " is submitted",
                () -> "SUBMITTED".equals(http.get(alice, "/api/milestones/" + milestone).json().get("status").asText()));
    }

    @Test
    void aProviderSeesTheCustomerTheTotalAndTheStartDeadline() {
        String pia = fixtures.provider("pia");
        String carl = fixtures.customer("carl");
        new Funding(http, fixtures).customer(carl, "2000.00", "EUR");
        Http.Response published = http.post(pia, "/api/me/services", json(Map.of("title", "Logo design", "basePrice", "1100.00",
                "currency", "EUR", "deliveryDays", 5, "options", List.of(Map.of("name", "Source files", "price", "150.00", "extraDays", 1)))));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        String service = published.json().get("ref").asText();
        long optionId = published.json().get("options").get(0).get("id").asLong();
        Http.Response placed = http.post(carl, "/api/services/" + service + "/orders", json(Map.of("optionIds", List.of(optionId))));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        String order = placed.json().get("ref").asText();
        // the order card does not show the start deadline: the row holds it
        OffsetDateTime deadline = jdbc.queryForObject("select start_deadline_at from service_order where ref = ?", OffsetDateTime.class, order);

        signIn(pia);
        String step = stepOf(order, "Task_StartWork");
        String name = "Start work " + order + " · Logo design (" + personName(carl) + ")";
        assertListedAs(step, name);
        openTask(step, name);
        BROWSER.awaitFormShows("Customer", personName(carl));
        BROWSER.awaitFormShows("Order", order);
        BROWSER.awaitFormShows("Paid into escrow", "1,250.00 EUR");
        assertShowsDateTime("Start before", deadline);
        assertPageSays("the order is cancelled and the customer gets the total back");
    }

    @Test
    void agencyStaffSeeWhoAChecklistTaskIsForWhenItIsDueAndWhatFollows() {
        String[] agency = fixtures.company("agency");
        String ann = agency[1];
        String client = fixtures.client("cli");
        Http.Response service = http.post(ann, "/api/agencies/" + agency[0] + "/services", json(Map.of("title", "Website care",
                "tasks", List.of(Map.of("name", "Kick-off call", "assignees", List.of(ann), "visibleInPortal", true, "clientTask", false,
                                "deadlineDays", 2),
                        Map.of("name", "Send the logins", "assignees", List.of(), "visibleInPortal", true, "clientTask", true)))));
        assertThat(service.status()).as(service.text()).isEqualTo(201);
        Http.Response placed = http.post(ann, "/api/agency-services/" + service.json().get("ref").asText() + "/orders",
                json(Map.of("clientId", client)));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        String order = placed.json().get("ref").asText();
        OffsetDateTime due = OffsetDateTime.parse(http.get(ann, "/api/checklist-orders/" + order).json().get("items").get(0).get("dueAt").asText());

        signIn(ann);
        String step = taskService.createTaskQuery().processInstanceBusinessKey(order).singleResult().getId();
        String name = "Kick-off call " + order + " · Website care (" + personName(client) + ")";
        assertListedAs(step, name);
        openTask(step, name);
        BROWSER.awaitFormShows("For", personName(client));
        BROWSER.awaitFormShows("Order reference", order);
        BROWSER.awaitFormShows("Task", "Kick-off call");
        assertShowsDateTime("Due", due);
        BROWSER.awaitFormShows("What follows", "When you mark this task done, the next task \u201cSend the logins\u201d is offered to the client.");
    }

    @Test
    void aClientChoosesTheWorkerFromAListOfTheOpenApplications() {
        String[] acme = fixtures.company("acme");
        String client = acme[1];
        String walt = fixtures.fieldWorker("walt");
        String wendy = fixtures.fieldWorker("wendy");
        new Funding(http, fixtures).company(client, acme[0], "1000.00", "EUR");
        // the company's one member reads in Asia/Kolkata: the labels are written in that zone, which they name
        Http.Response zone = http.put(client, "/api/me/notification-settings", json(Map.of("timeZone", VIEWER_ZONE.getId())));
        assertThat(zone.status()).as(zone.text()).isEqualTo(200);
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = new FieldAssignmentPublisher(http).publish(client, acme[0], "Replace the gas meter", start, true);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).status()).isEqualTo(200);
        Http.Response counteroffer = http.post(wendy, "/api/field-assignments/" + ref + "/applications",
                json(Map.of("kind", "COUNTEROFFER", "price", "1450.00")));
        assertThat(counteroffer.status()).as(counteroffer.text()).isEqualTo(200);

        signIn(client);
        String step = stepOf(ref, "Task_ChooseApplicant");
        openTask(step, "Choose applicant: " + ref + " Replace the gas meter");
        BROWSER.awaitFormShows("Published budget", "500.00 EUR");
        String schedule = readable(start) + " to " + readable(start.plusHours(6));
        assertThat(schedule).as("the labels name the viewer's zone").contains(" IST");
        String waltOption = personName(walt) + " — 500.00 EUR — " + schedule;
        String wendyOption = personName(wendy) + " — counteroffer 1,450.00 EUR — " + schedule;
        WebElement select = BROWSER.formField("Worker");
        BROWSER.click("the select Worker", select.findElement(By.cssSelector(".fjs-input-group")));
        BROWSER.await("both applications offered", d -> {
            List<String> offered = d.findElements(By.cssSelector(".fjs-dropdownlist-item")).stream().map(e -> e.getText().strip()).toList();
            return offered.containsAll(List.of(waltOption, wendyOption)) && offered.size() == 2;
        });
        BROWSER.click("the option " + wendyOption, By.xpath("//*[contains(@class,'fjs-dropdownlist-item')][normalize-space()="
                + Browser.literal(wendyOption) + "]"));
        complete(step);

        await(ref + " is assigned", () -> "ASSIGNED".equals(http.get(client, "/api/field-assignments/" + ref).json().get("status").asText()));
        var assigned = http.get(client, "/api/field-assignments/" + ref).json();
        assertThat(assigned.get("workerId").asText()).isEqualTo(wendy);
    }

    private String personName(String userId) {
        var user = identityService.createUserQuery().userId(userId).singleResult();
        return user.getFirstName() + " " + user.getLastName();
    }

    /** A date and time as the option labels write them for a company whose members read in the viewer's zone, which they name. */
    private static String readable(OffsetDateTime instant) {
        return io.gigflow.shared.Readable.dateTime(instant.toInstant(), VIEWER_ZONE);
    }

    @Test
    void aClientRemovesAHoldPickingTheNewScheduleInTheirOwnTimeZone() {
        String[] acme = fixtures.company("acme");
        String client = acme[1];
        String walt = fixtures.fieldWorker("walt");
        new Funding(http, fixtures).company(client, acme[0], "1000.00", "EUR");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = assigned(acme, walt, "Paint the stairwell", start, false);
        Http.Response held = http.post(client, "/api/field-assignments/" + ref + "/hold", json(Map.of("reason", "PARTS_NOT_AVAILABLE")));
        assertThat(held.status()).as(held.text()).isEqualTo(200);

        signIn(client);
        String step = stepOf(ref, "Task_RemoveHold");
        String name = "Remove the hold with a new schedule: " + ref + " Paint the stairwell";
        assertListedAs(step, name);
        openTask(step, name);
        BROWSER.awaitFormShows("Worker", personName(walt));
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Assignment", "Paint the stairwell");
        BROWSER.awaitFormShows("On hold because", "parts not available");
        assertShowsDateTime("Was to start", start);
        assertShowsDateTime("Was to end", start.plusHours(6));
        assertPageSays("If they decline, they leave the assignment and it is published again");

        // the new schedule, picked in the viewer's zone: another day and another time for both
        java.time.LocalDate today = java.time.LocalDate.now(VIEWER_ZONE);
        var newStart = today.plusDays(9).atTime(14, 45).atZone(VIEWER_ZONE);
        var newEnd = today.plusDays(10).atTime(9, 30).atZone(VIEWER_ZONE);
        pickDateTime("New start", today, newStart.toLocalDateTime());
        pickDateTime("New end", today, newEnd.toLocalDateTime());
        recordRequests();
        complete(step);

        // what Tasklist sent: the form's own format, the local time with the viewer's offset
        DateTimeFormatter sent = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmxxx");
        String body = sentBody("/submit-form");
        assertThat(body).contains("\"newStart\":{\"value\":\"" + sent.format(newStart) + "\"}",
                "\"newEnd\":{\"value\":\"" + sent.format(newEnd) + "\"}");
        // the row holds exactly the instants picked
        Map<String, Object> row = jdbc.queryForMap("select status, proposed_start, proposed_end from field_assignment where ref = ?", ref);
        assertThat(row.get("status")).isEqualTo("ON_HOLD");
        assertThat(instant(row.get("proposed_start"))).isEqualTo(newStart.toInstant());
        assertThat(instant(row.get("proposed_end"))).isEqualTo(newEnd.toInstant());
        assertThat(newStart.toInstant()).isEqualTo(newStart.toLocalDateTime().minusHours(5).minusMinutes(30).toInstant(ZoneOffset.UTC));
        stepOf(ref, "Task_AnswerReschedule");
    }

    @Test
    void aClientSeesTheWorkersQuestionWhoAskedItAndWhatFollows() {
        String[] acme = fixtures.company("acme");
        String client = acme[1];
        String walt = fixtures.fieldWorker("walt");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = published(acme, "Fix the gate", start, false);
        Http.Response asked = http.post(walt, "/api/field-assignments/" + ref + "/questions", json(Map.of("question", "Is there parking on site?")));
        assertThat(asked.status()).as(asked.text()).isEqualTo(200);
        OffsetDateTime askedAt = jdbc.queryForObject("select q.asked_at from field_assignment_question q join field_assignment a"
                + " on a.id = q.assignment_id where a.ref = ?", OffsetDateTime.class, ref);

        signIn(client);
        String step = stepOf(ref, "Task_AnswerQuestion");
        String name = "Answer question: " + ref + " Fix the gate";
        assertListedAs(step, name);
        openTask(step, name);
        BROWSER.awaitFormShows("Asked by", personName(walt));
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Assignment", "Fix the gate");
        BROWSER.awaitFormShows("Question", "Is there parking on site?");
        assertShowsDateTime("Asked on", askedAt);
        assertPageSays("the worker who asked is told your answer");
        BROWSER.formField("Your answer").findElement(By.tagName("textarea")).sendKeys("Yes, behind the building");
        complete(step);
        await("the answer is recorded", () -> "Yes, behind the building".equals(
                http.get(client, "/api/field-assignments/" + ref).json().get("questions").get(0).path("answer").asText()));
    }

    @Test
    void aWorkerCounteroffersAnotherSchedulePickedInTheirOwnTimeZone() {
        String[] acme = fixtures.company("acme");
        String walt = fixtures.fieldWorker("walt");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = published(acme, "Clean the gutters", start, false);

        signIn(walt);
        String step = stepOf(ref, "Task_ApplyForAssignment");
        String name = "Apply for assignment: " + ref + " Clean the gutters";
        assertListedAs(step, name);
        openTask(step, name);
        assertShowsDateTime("Starts", start);
        BROWSER.chooseRadio("What do you want to do?", "Counteroffer");
        java.time.LocalDate today = java.time.LocalDate.now(VIEWER_ZONE);
        var from = today.plusDays(6).atTime(7, 15).atZone(VIEWER_ZONE);
        var to = today.plusDays(6).atTime(16, 0).atZone(VIEWER_ZONE);
        pickDateTime("Your start (leave empty to keep the published one)", today, from.toLocalDateTime());
        pickDateTime("Your end", today, to.toLocalDateTime());
        complete(step);

        await("the counteroffer is recorded", () -> http.get(acme[1], "/api/field-assignments/" + ref).json().get("applications").size() == 1);
        var application = http.get(acme[1], "/api/field-assignments/" + ref).json().get("applications").get(0);
        assertThat(application.get("kind").asText()).isEqualTo("COUNTEROFFER");
        assertThat(OffsetDateTime.parse(application.get("proposedStart").asText()).toInstant()).isEqualTo(from.toInstant());
        assertThat(OffsetDateTime.parse(application.get("proposedEnd").asText()).toInstant()).isEqualTo(to.toInstant());
    }

    @Test
    void aWorkerSeesWhenTheyAreRemindedToConfirm() {
        String[] acme = fixtures.company("acme");
        String walt = fixtures.fieldWorker("walt");
        new Funding(http, fixtures).company(acme[1], acme[0], "1000.00", "EUR");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(4).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = assigned(acme, walt, "Service the lift", start, true);

        signIn(walt);
        String step = stepOf(ref, "Task_ConfirmAssignment");
        String name = "Confirm assignment: " + ref + " Service the lift";
        assertListedAs(step, name);
        openTask(step, name);
        BROWSER.awaitFormShows("Client", "acme Ltd");
        assertShowsDateTime("Starts", start);
        // the confirmation period before the start is 24 hours unless the company set another
        assertShowsDateTime("Confirm before", start.minusHours(24));
        assertPageSays("Not confirmed by then, you are reminded.");
    }

    @Test
    void aWorkerChecksOutSeeingWhenTheyCheckedInAndTheScheduledEnd() {
        String[] acme = fixtures.company("acme");
        String walt = fixtures.fieldWorker("walt");
        new Funding(http, fixtures).company(acme[1], acme[0], "1000.00", "EUR");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(1).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = assigned(acme, walt, "Replace the boiler", start, true);
        Http.Response checkedIn = http.post(walt, "/api/field-assignments/" + ref + "/check-in", null);
        assertThat(checkedIn.status()).as(checkedIn.text()).isEqualTo(200);
        OffsetDateTime checkedInAt = jdbc.queryForObject("select checked_in_at from field_assignment where ref = ?", OffsetDateTime.class, ref);

        signIn(walt);
        String step = stepOf(ref, "Task_CheckOut");
        String name = "Check out: " + ref + " Replace the boiler";
        assertListedAs(step, name);
        openTask(step, name);
        BROWSER.awaitFormShows("Client", "acme Ltd");
        BROWSER.awaitFormShows("Reference", ref);
        BROWSER.awaitFormShows("Assignment", "Replace the boiler");
        assertShowsDateTime("You checked in", checkedInAt);
        assertShowsDateTime("Scheduled end", start.plusHours(6));
        assertPageSays("You then submit what the client requires for approval");
        BROWSER.click("the check-out box", BROWSER.formField("I am leaving the site").findElement(By.cssSelector("input[type='checkbox']")));
        complete(step);
        await(ref + " is checked out", () -> jdbc.queryForObject("select checked_out_at from field_assignment where ref = ?",
                OffsetDateTime.class, ref) != null);
    }

    @Test
    void aClientSeesWhatTheWorkerAsksForFromTheRow() {
        String[] acme = fixtures.company("acme");
        String client = acme[1];
        String walt = fixtures.fieldWorker("walt");
        new Funding(http, fixtures).company(client, acme[0], "1000.00", "EUR");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = assigned(acme, walt, "Tile the bathroom", start, false);
        OffsetDateTime asked = start.plusDays(2);
        Http.Response requested = http.post(walt, "/api/field-assignments/" + ref + "/requests", json(Map.of("kind", "RESCHEDULE",
                "scheduledStart", asked.toString(), "scheduledEnd", asked.plusHours(5).toString(), "reason", "The tiles arrive later")));
        assertThat(requested.status()).as(requested.text()).isEqualTo(200);
        Http.Response expense = http.post(walt, "/api/field-assignments/" + ref + "/requests", json(Map.of("kind", "EXPENSE",
                "amount", "1250.50", "reason", "Grout and sealant")));
        assertThat(expense.status()).as(expense.text()).isEqualTo(200);

        signIn(client);
        await("two requests to review", () -> taskService.createTaskQuery().processInstanceBusinessKey(ref)
                .taskDefinitionKey("Task_ReviewRequest").count() == 2);
        List<Task> steps = taskService.createTaskQuery().processInstanceBusinessKey(ref).taskDefinitionKey("Task_ReviewRequest")
                .orderByTaskCreateTime().asc().list();
        String name = "Review request: " + ref + " Tile the bathroom";
        openTask(steps.get(0).getId(), name);
        BROWSER.awaitFormShows("Worker", personName(walt));
        BROWSER.awaitFormShows("Request", "Another schedule: the new start and end below\nBecause: The tiles arrive later");
        assertShowsDateTime("Now starts", start);
        assertShowsDateTime("Asked to start", asked);
        assertShowsDateTime("Asked to end", asked.plusHours(5));
        assertPageSays("another schedule moves the assignment's dates at once");

        openTask(steps.get(1).getId(), name);
        String second = steps.get(1).getId();
        BROWSER.await("the second request opened", d -> d.getCurrentUrl().contains(second));
        String expected = "An expense of 1,250.50 EUR paid back\nBecause: Grout and sealant";
        BROWSER.await("the request shows " + expected, d -> {
            try {
                return expected.equals(BROWSER.formField("Request").findElement(By.tagName("textarea")).getDomProperty("value"));
            } catch (org.openqa.selenium.StaleElementReferenceException rerendered) {
                return false;
            }
        });
        BROWSER.await("no schedule shown for an expense", d -> d.findElements(Browser.formFieldBy("Asked to start")).isEmpty());
    }

    // ---- picking a date and a time as a person does

    /**
     * Picks {@code local} in the date-and-time field whose date is labelled {@code dateLabel}: the day in
     * the calendar (turning its months from {@code today}'s), the time in the time list.
     */
    private void pickDateTime(String dateLabel, java.time.LocalDate today, java.time.LocalDateTime local) {
        WebElement field = BROWSER.formField(dateLabel);
        BROWSER.click(dateLabel + "'s date", field.findElement(By.cssSelector("input[id$='-date']")));
        By open = By.cssSelector(".flatpickr-calendar.open");
        BROWSER.await("the calendar of " + dateLabel + " opens", d -> !field.findElements(open).isEmpty());
        long months = java.time.temporal.ChronoUnit.MONTHS.between(today.withDayOfMonth(1), local.toLocalDate().withDayOfMonth(1));
        for (long i = 0; i < months; i++) {
            BROWSER.click("the next month", field.findElement(By.cssSelector(".flatpickr-calendar.open .flatpickr-next-month")));
        }
        String day = local.format(DateTimeFormatter.ofPattern("MMMM d, yyyy", java.util.Locale.ENGLISH));
        BROWSER.click("the day " + day, field.findElement(By.cssSelector(".flatpickr-calendar.open .flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)"
                + "[aria-label='" + day + "']")));
        BROWSER.chooseTime(field, local.format(DateTimeFormatter.ofPattern("HH:mm")));
        List<Integer> numbers = java.util.regex.Pattern.compile("[0-9]+").matcher(field.findElement(By.cssSelector("input[id$='-date']"))
                .getDomProperty("value")).results().map(match -> Integer.parseInt(match.group())).sorted().toList();
        assertThat(numbers).as(dateLabel + "'s date").isEqualTo(java.util.stream.Stream.of(local.getYear(), local.getMonthValue(),
                local.getDayOfMonth()).sorted().toList());
    }

    /** From now on the page keeps the body of every request it sends (XMLHttpRequest and fetch). */
    private void recordRequests() {
        ((ChromeDriver) BROWSER.driver()).executeScript("""
                window.__sent = [];
                const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
                XMLHttpRequest.prototype.open = function (method, url) { this.__url = String(url); return open.apply(this, arguments); };
                XMLHttpRequest.prototype.send = function (body) { window.__sent.push([this.__url, body == null ? '' : String(body)]); return send.apply(this, arguments); };
                const originalFetch = window.fetch;
                window.fetch = function (url, options) { window.__sent.push([String(url && url.url || url), options && options.body ? String(options.body) : '']); return originalFetch.apply(this, arguments); };
                """);
    }

    /** The body of the request the page sent to a URL ending in {@code path}. */
    @SuppressWarnings("unchecked")
    private String sentBody(String path) {
        List<List<String>> sent = (List<List<String>>) ((ChromeDriver) BROWSER.driver()).executeScript("return window.__sent;");
        return sent.stream().filter(r -> r.get(0).contains(path)).map(r -> r.get(1)).findFirst()
                .orElseThrow(() -> new AssertionError("no request to " + path + " among " + sent));
    }

    private static java.time.Instant instant(Object column) {
        if (column instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (column instanceof OffsetDateTime dateTime) {
            return dateTime.toInstant();
        }
        throw new AssertionError("not a date-time: " + column);
    }

    // ---- what the browser shows

    /**
     * A disabled date-and-time field shows {@code instant} in the viewer's zone: its time input the
     * local time (24 h), its date input the local day in the browser's own date format.
     */
    private void assertShowsDateTime(String dateLabel, OffsetDateTime instant) {
        var local = instant.atZoneSameInstant(VIEWER_ZONE);
        WebElement field = BROWSER.formField(dateLabel);
        WebElement date = field.findElement(By.cssSelector("input[id$='-date']"));
        WebElement time = field.findElement(By.cssSelector("input[id$='-time']"));
        String hhmm = local.format(DateTimeFormatter.ofPattern("HH:mm"));
        BROWSER.await("the time of " + dateLabel + " shows " + hhmm, d -> hhmm.equals(time.getDomProperty("value")));
        // the date in the browser's own format (its locale orders day, month and year): the local day's three numbers
        List<Integer> numbers = java.util.regex.Pattern.compile("[0-9]+").matcher(date.getDomProperty("value")).results()
                .map(match -> Integer.parseInt(match.group())).sorted().toList();
        assertThat(numbers).as(dateLabel + "'s date " + date.getDomProperty("value")).isEqualTo(
                java.util.stream.Stream.of(local.getYear(), local.getMonthValue(), local.getDayOfMonth()).sorted().toList());
        assertThat(date.isEnabled()).as(dateLabel + " can be changed").isFalse();
    }

    private void assertPageSays(String text) {
        BROWSER.await("the form says " + text, d -> d.findElement(By.cssSelector(".fjs-form")).getText().contains(text));
    }

    // ---- Tasklist, as a person uses it

    private void signIn(String user) {
        BROWSER.signInToCamunda("http://127.0.0.1:" + port + "/camunda/app/tasklist/", user, Fixtures.PASSWORD);
        // the viewer sits in another time zone than the server (and than UTC)
        ((ChromeDriver) BROWSER.driver()).executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", VIEWER_ZONE.getId()));
        BROWSER.visible("Tasklist's filter All my tasks", Browser.tasklistFilter("All my tasks"));
        BROWSER.click("the filter All my tasks", Browser.tasklistFilter("All my tasks"));
    }

    private void assertListedAs(String taskId, String name) {
        BROWSER.await("the task " + taskId + " listed as " + name,
                d -> name.equals(d.findElement(Browser.taskLink(taskId)).getText().strip()));
    }

    private void openTask(String taskId, String name) {
        BROWSER.click("the task " + name, Browser.taskLink(taskId));
        BROWSER.visible("the task's header " + name,
                By.xpath("//*[contains(@class,'task-details')]//*[normalize-space()=" + Browser.literal(name) + "]"));
        BROWSER.visible("the Camunda Form of " + name, By.cssSelector(".fjs-form"));
        BROWSER.claimIfOffered();
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

    private String published(String[] company, String title, OffsetDateTime start, boolean checkInRequired) {
        return new FieldAssignmentPublisher(http).publish(company[1], company[0], title, start, checkInRequired);
    }

    /** A published assignment that {@code worker} applied for and the company chose them for (ASSIGNED). */
    private String assigned(String[] company, String worker, String title, OffsetDateTime start, boolean checkInRequired) {
        String ref = published(company, title, start, checkInRequired);
        Http.Response applied = http.post(worker, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY")));
        assertThat(applied.status()).as(applied.text()).isEqualTo(200);
        long application = http.get(company[1], "/api/field-assignments/" + ref).json().get("applications").get(0).get("id").asLong();
        Http.Response chosen = http.post(company[1], "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", application)));
        assertThat(chosen.status()).as(chosen.text()).isEqualTo(200);
        assertThat(chosen.json().get("status").asText()).isEqualTo("ASSIGNED");
        return ref;
    }

    private String sentTask(String[] company, String contractor, String title, String amount) {
        Http.Response created = http.post(company[1], "/api/companies/" + company[0] + "/tasks",
                json(Map.of("contractorId", contractor, "title", title, "amount", amount, "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String ref = created.json().get("ref").asText();
        Http.Response sent = http.post(company[1], "/api/tasks/" + ref + "/send", null);
        assertThat(sent.status()).as(sent.text()).isEqualTo(200);
        return ref;
    }

    private String createMilestone(String[] company, String contractor, String title, String amount, OffsetDateTime deadline) {
        Http.Response created = http.post(company[1], "/api/companies/" + company[0] + "/contractors/" + contractor + "/milestones",
                json(Map.of("title", title, "deadline", deadline.toString(), "amount", amount, "currency", "EUR")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("ref").asText();
    }
}
