package io.gigflow.notification;

import static io.gigflow.support.Http.await;
import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.Ledger;
import io.gigflow.shared.Money;
import io.gigflow.shared.Readable;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One email of each lifecycle, driven over the real API and received by a real SMTP server, read
 * the way its recipient reads it: a text part and an HTML part, amounts with their currency, dates
 * in the recipient's time zone, phrases instead of codes, the company by its name, and a link.
 */
class NotificationTextsTest extends WebTestBase {

    private static final String BASE = "http://localhost:8080";
    private static final Pattern ISO_DURATION = Pattern.compile("PT\\d");
    private static final Pattern ISO_TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T");
    private static final Pattern ENUM_CODE = Pattern.compile("\\b[A-Z]{2,}(_[A-Z]+)+\\b");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;
    @Autowired Ledger ledger;
    @Autowired NotificationService notifications;

    Http http;
    Fixtures fixtures;

    @BeforeEach
    void givenAnApi() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
    }

    @Test
    void aPayoutTaskReachesTheContractorWithTheCompanyTheAmountAndALinkAndItsReminderLinksTheTaskInTasklist() throws Exception {
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        new Funding(http, fixtures).company(acme[1], acme[0], "2000.00", "EUR");
        String ref = http.post(acme[1], "/api/companies/" + acme[0] + "/tasks",
                json(Map.of("contractorId", alice, "title", "Logo <b>& co</b>", "amount", "1250.00", "currency", "EUR"))).json().get("ref").asText();
        assertThat(http.post(acme[1], "/api/tasks/" + ref + "/send", null).status()).isEqualTo(200);

        MimeMessage email = awaitEmail(alice, "New task to accept: Logo <b>& co</b>");
        Parts parts = readable(email, alice, "acme Ltd", "1,250.00 EUR", BASE + "/api/tasks/" + ref);
        assertThat(parts.html()).as("the title is escaped in HTML").contains("Logo &lt;b&gt;&amp; co&lt;/b&gt;").doesNotContain("<b>& co");
        assertThat(parts.text()).contains("\"Logo <b>& co</b>\"");

        // a notice about a waiting step links the recipient's task of it in Tasklist
        await("alice's task to accept", () -> acceptTask(alice, ref) != null);
        Task accept = acceptTask(alice, ref);
        notifications.notify(alice, "TEST_REMINDER", ref, Notice.of("payout/acceptance-reminder").with("title", "Logo")
                .with("ref", ref).with("amount", Money.of("1250.00", "EUR")).with("company", "acme Ltd")
                .link("/api/tasks/" + ref).taskOf(accept.getProcessInstanceId()));
        Parts reminder = readable(awaitEmail(alice, "Reminder: a task awaits your decision"), alice, "acme Ltd", "1,250.00 EUR",
                BASE + "/camunda/app/tasklist/default/#/?task=" + accept.getId());
        assertThat(reminder.text()).contains("Open the task in Tasklist: " + BASE + "/camunda/app/tasklist/default/#/?task=" + accept.getId());
    }

    @Test
    void aTopUpAndAServiceOrderTellTheirPartiesTheAmountsAndTheDeadlinesInTheirOwnTimeZone() throws Exception {
        String provider = fixtures.provider("pia");
        String customer = fixtures.customer("carl");
        assertThat(http.put(provider, "/api/me/notification-settings", json(Map.of("timeZone", "Europe/Berlin"))).json()
                .get("timeZone").asText()).isEqualTo("Europe/Berlin");
        String service = http.post(provider, "/api/me/services", json(Map.of("title", "Logo design", "basePrice", "1100.00",
                "currency", "EUR", "deliveryDays", 5, "options", List.of()))).json().get("ref").asText();
        JsonNode topUp = new Funding(http, fixtures).customer(customer, "3000.00", "EUR");

        // the top-up: how to pay, with the expiry in UTC (the default zone)
        Parts howToPay = readable(awaitEmail(customer, "Top-up " + topUp.get("reference").asText() + ": how to pay 3,000.00 EUR"), customer,
                "IBAN", "3,000.00 EUR", BASE + "/api/top-ups/" + topUp.get("id").asLong());
        assertThat(howToPay.text()).contains("UTC");
        readable(awaitEmail(customer, "Top-up credited: 3,000.00 EUR"), customer, "your balance", "3,000.00 EUR", BASE + "/api/top-ups/");

        // the order: the provider reads its start deadline in Berlin time
        Http.Response placed = http.post(customer, "/api/services/" + service + "/orders", json(Map.of("optionIds", List.of())));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        String order = placed.json().get("ref").asText();
        Parts parts = readable(awaitEmail(provider, "New order: Logo design"), provider, "Carl", "1,100.00 EUR", BASE + "/api/orders/" + order);
        assertThat(parts.text()).containsPattern("\\d{2}:\\d{2} (CET|CEST)");
    }

    @Test
    void aMilestoneTellsTheContractorItsDeadlineInTheirZoneAndTheCompanyByItsName() throws Exception {
        String[] acme = fixtures.company("acme");
        String alice = fixtures.contractor("alice");
        assertThat(http.put(alice, "/api/me/notification-settings", json(Map.of("timeZone", "Europe/Berlin"))).status()).isEqualTo(200);
        OffsetDateTime deadline = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withHour(5).withMinute(31).truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "Landing page");
        body.put("deadline", deadline.toString());
        body.put("amount", "2500.00");
        body.put("currency", "EUR");
        Http.Response created = http.post(acme[1], "/api/companies/" + acme[0] + "/contractors/" + alice + "/milestones", json(body));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String ref = created.json().get("ref").asText();

        Parts parts = readable(awaitEmail(alice, "New milestone: Landing page"), alice, "acme Ltd", "2,500.00 EUR", BASE + "/api/milestones/" + ref);
        assertThat(parts.text()).contains("due " + Readable.dateTime(deadline.toInstant(), BERLIN));
        assertThat(parts.html()).contains(Readable.dateTime(deadline.toInstant(), BERLIN));
    }

    @Test
    void aChecklistOrderAsksTheClientToActWithTheAgencyAndTheDueDate() throws Exception {
        String[] agency = fixtures.company("agency");
        String client = fixtures.client("cli");
        Map<String, Object> task = new HashMap<>();
        task.put("name", "Approve the plan");
        task.put("assignees", List.of());
        task.put("visibleInPortal", true);
        task.put("clientTask", true);
        task.put("deadlineDays", 5);
        Http.Response created = http.post(agency[1], "/api/agencies/" + agency[0] + "/services",
                json(Map.of("title", "Website care", "tasks", List.of(task), "library", List.of())));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        Http.Response placed = http.post(agency[1], "/api/agency-services/" + created.json().get("ref").asText() + "/orders",
                json(Map.of("clientId", client, "collaborators", List.of())));
        assertThat(placed.status()).as(placed.text()).isEqualTo(201);
        String ref = placed.json().get("ref").asText();

        Parts parts = readable(awaitEmail(client, "Your action is needed: Approve the plan"), client, "agency Ltd", null,
                BASE + "/api/checklist-orders/" + ref);
        assertThat(parts.text()).containsPattern("due \\w{3} \\d{1,2} \\w{3} \\d{4}, \\d{2}:\\d{2} UTC");
    }

    @Test
    void aFieldAssignmentTellsTheWorkerTheScheduleThePriceAndAHoldReasonInWords() throws Exception {
        String[] acme = fixtures.company("acme");
        String walt = fixtures.fieldWorker("walt");
        new Funding(http, fixtures).company(acme[1], acme[0], "3000.00", "EUR");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);
        Map<String, Object> body = new HashMap<>();
        body.put("title", "Replace the gas meter");
        body.put("description", "Old meter");
        body.put("location", "Main St 1, Springfield");
        body.put("scheduledStart", start.toString());
        body.put("scheduledEnd", start.plusHours(8).toString());
        body.put("budget", "1500.00");
        body.put("currency", "EUR");
        body.put("paymentTermsDays", 0);
        body.put("checkInRequired", false);
        body.put("requiredDeliverables", List.of());
        body.put("requiredCustomFields", List.of());
        body.put("contactName", "Site manager");
        body.put("contactPhone", "+49 30 1234567");
        body.put("contactEmail", "site@example.test");
        Http.Response published = http.post(acme[1], "/api/companies/" + acme[0] + "/field-assignments", json(body));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        String ref = published.json().get("ref").asText();
        long application = http.post(walt, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).json()
                .get("applications").get(0).get("id").asLong();
        assertThat(http.post(acme[1], "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", application))).status())
                .isEqualTo(200);

        Parts assigned = readable(awaitEmail(walt, "Assigned to you: Replace the gas meter"), walt, "acme Ltd", "1,500.00 EUR",
                BASE + "/api/field-assignments/" + ref);
        assertThat(assigned.text()).contains(Readable.dateTime(start.toInstant(), ZoneId.of("UTC"))).contains("Main St 1, Springfield");

        assertThat(http.post(acme[1], "/api/field-assignments/" + ref + "/hold", json(Map.of("reason", "SITE_NOT_READY"))).status())
                .isEqualTo(200);
        Parts onHold = readable(awaitEmail(walt, "On hold: Replace the gas meter"), walt, "acme Ltd", null, BASE + "/api/field-assignments/" + ref);
        assertThat(onHold.text()).contains("on hold: the site is not ready");
    }

    @Test
    void aWithdrawalTellsTheRequesterTheAmountAndTheMaskedDestination() throws Exception {
        String carla = fixtures.contractor("carla");
        fixtures.finance("fiona");
        ledger.transfer(Fixtures.unique("fund"), AccountRef.external(), AccountRef.user(carla), Money.of("5000.00", "EUR"), "Fixture");
        Http.Response added = http.post(carla, "/api/me/payout-destinations", json(Map.of("kind", "IBAN", "iban", "DE89370400440532013000",
                "holderName", "Carla Tester")));
        assertThat(added.status()).as(added.text()).isEqualTo(201);
        Http.Response requested = http.post(carla, "/api/me/withdrawals",
                json(Map.of("amount", "1250.00", "currency", "EUR", "destinationId", added.json().get("id").asLong())));
        assertThat(requested.status()).as(requested.text()).isEqualTo(201);
        String ref = requested.json().get("ref").asText();

        Parts parts = readable(awaitEmail(carla, "Withdrawal " + ref + " requested: 1,250.00 EUR"), carla, "3000 (Carla Tester)", "1,250.00 EUR",
                BASE + "/api/me/withdrawals/" + ref);
        assertThat(parts.text()).doesNotContain("DE89370400440532013000");
    }

    @Test
    void aTimeZoneThatDoesNotExistIsRefusedByName() {
        String alice = fixtures.contractor("alice");
        Http.Response refused = http.put(alice, "/api/me/notification-settings", json(Map.of("timeZone", "Mars/Olympus")));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.text()).contains("timeZone");
        assertThat(http.get(alice, "/api/me/notification-settings").json().get("timeZone").asText()).isEqualTo("UTC");
    }

    // ---- helpers

    record Parts(String text, String html) {
    }

    private Task acceptTask(String user, String ref) {
        return taskService.createTaskQuery().processInstanceBusinessKey(ref).taskAssignee(user).active().list().stream().findFirst()
                .orElseGet(() -> taskService.createTaskQuery().processInstanceBusinessKey(ref).taskCandidateUser(user).active().list()
                        .stream().findFirst().orElse(null));
    }

    private static MimeMessage awaitEmail(String user, String subject) {
        await(user + " gets \"" + subject + "\"", () -> subjectsTo(user).contains(subject));
        return emailsTo(user).stream().filter(m -> subject(m).equals(subject)).findFirst().orElseThrow();
    }

    /**
     * The email's text and HTML parts, after checking both read like a person wrote them: no ISO
     * duration or timestamp, no code, and the names, amount and link the notice must show. The
     * in-app notification says what the text part says.
     */
    private Parts readable(MimeMessage email, String recipient, String name, String amount, String link) throws Exception {
        assertThat(email.getContentType()).startsWith("multipart/alternative");
        MimeMultipart alternative = (MimeMultipart) email.getContent();
        String text = null;
        String html = null;
        for (int i = 0; i < alternative.getCount(); i++) {
            BodyPart part = alternative.getBodyPart(i);
            if (part.isMimeType("text/plain")) {
                text = ((String) part.getContent()).replace("\r\n", "\n");
            } else if (part.isMimeType("text/html")) {
                html = (String) part.getContent();
            }
        }
        assertThat(text).as("a text/plain part").isNotNull();
        assertThat(html).as("a text/html part").isNotNull();
        for (String written : List.of(email.getSubject(), text, html)) {
            assertThat(written).doesNotContainPattern(ISO_DURATION).doesNotContainPattern(ISO_TIMESTAMP).doesNotContainPattern(ENUM_CODE);
        }
        for (String body : List.of(text, html)) {
            assertThat(body).contains(name).contains(link);
            if (amount != null) {
                assertThat(body).contains(amount);
            }
        }
        assertThat(html).contains("<a href=\"" + link.replace("&", "&amp;")).contains("<html lang=\"en\">");
        assertThat(text).startsWith("Hello ");
        String subject = email.getSubject();
        JsonNode inApp = null;
        for (JsonNode item : http.get(recipient, "/api/notifications?limit=200").json().get("items")) {
            if (item.get("subject").asText().equals(subject)) {
                inApp = item;
            }
        }
        assertThat(inApp).as("the in-app notification of " + subject).isNotNull();
        assertThat(text).contains(inApp.get("body").asText());
        return new Parts(text, html);
    }
}
