package io.gigflow.field;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.RepositoryService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The start forms of the two action processes list, for the person who opens them, the
 * assignments that person may act on (a select: "F-7 · title (the other party)", the reference
 * as value), and only those: through Tasklist's engine API and /engine-rest, by id, by key, with
 * a trailing slash or an encoded letter; a spelling the firewall refuses is refused. Choosing is
 * a convenience: a reference that is not the person's is refused as before. The dates the form's
 * datetime fields submit ({@code 2026-12-09T15:45+05:30}, or normalised to UTC) are read as sent;
 * a date-time without offset answers 400 naming the field.
 */
class FieldActionStartFormsTest extends WebTestBase {

    private static final String WORKER_FORM_BY_KEY = "/process-definition/key/" + FieldActionProcess.WORKER_KEY + "/deployed-start-form";
    private static final String CLIENT_FORM_BY_KEY = "/process-definition/key/" + FieldActionProcess.CLIENT_KEY + "/deployed-start-form";
    private static final String WORKER_SUBMIT = "/process-definition/key/" + FieldActionProcess.WORKER_KEY + "/submit-form";

    @Autowired IdentityService identityService;
    @Autowired RepositoryService repositoryService;

    Http http;
    Fixtures fixtures;
    String acme;
    String acmeClient;
    String globex;
    String globexClient;
    String walt;
    String olga;

    @BeforeEach
    void givenTwoClientCompaniesAndTwoFieldWorkers() {
        http = new Http(port);
        fixtures = new Fixtures(identityService);
        String[] a = fixtures.company("acme");
        acme = a[0];
        acmeClient = a[1];
        String[] g = fixtures.company("globex");
        globex = g[0];
        globexClient = g[1];
        walt = fixtures.fieldWorker("walt");
        olga = fixtures.fieldWorker("olga");
    }

    @Test
    void eachPersonsStartFormListsTheAssignmentsThatPersonMayActOnAndNoOtherOnes() {
        String walts = assigned(acmeClient, acme, walt, "Read the meter", "EUR");
        String cancelled = assigned(acmeClient, acme, walt, "Old job", "EUR");
        assertThat(http.post(acmeClient, "/api/field-assignments/" + cancelled + "/cancel", json(Map.of("reason", "Not needed"))).status())
                .isEqualTo(200);
        String olgas = assigned(globexClient, globex, olga, "Fix the boiler", "CHF");
        String open = publish(acmeClient, acme, "Paint the fence", "EUR");

        JsonNode waltsForm = http.get(walt, "/engine-rest" + WORKER_FORM_BY_KEY).json();
        assertThat(choices(waltsForm)).containsExactly(Map.entry(walts, walts + " · Read the meter (acme Ltd)"));
        assertThat(label(waltsForm, "requestAmount")).isEqualTo("Amount in EUR (decimal, e.g. 50.00)");
        assertThat(component(waltsForm, "requestNewStart").get("type").asText()).isEqualTo("datetime");
        assertThat(intro(waltsForm)).doesNotContain("no assignment");

        JsonNode olgasForm = http.get(olga, "/engine-rest" + WORKER_FORM_BY_KEY).json();
        assertThat(choices(olgasForm)).containsExactly(Map.entry(olgas, olgas + " · Fix the boiler (globex Ltd)"));
        assertThat(label(olgasForm, "requestAmount")).isEqualTo("Amount in CHF (decimal, e.g. 50.00)");

        JsonNode newcomersForm = http.get(fixtures.fieldWorker("nina"), "/engine-rest" + WORKER_FORM_BY_KEY).json();
        assertThat(choices(newcomersForm)).isEmpty();
        assertThat(intro(newcomersForm)).contains("You have no assignment to act on right now");
        assertThat(label(newcomersForm, "requestAmount")).isEqualTo("Amount (decimal, e.g. 50.00, in the assignment's currency)");

        String waltsName = identityService.createUserQuery().userId(walt).singleResult().getFirstName();
        JsonNode acmesForm = http.get(acmeClient, "/engine-rest" + CLIENT_FORM_BY_KEY).json();
        assertThat(choices(acmesForm)).containsOnlyKeys(walts, open);
        assertThat(choices(acmesForm).get(walts)).startsWith(walts + " · Read the meter (" + waltsName);
        assertThat(choices(acmesForm).get(open)).isEqualTo(open + " · Paint the fence (no worker yet)");
        assertThat(label(acmesForm, "cancelPayment")).isEqualTo("Payment to the worker in EUR (optional, decimal, e.g. 50.00)");
        assertThat(choices(http.get(globexClient, "/engine-rest" + CLIENT_FORM_BY_KEY).json())).containsOnlyKeys(olgas);
        // a worker is no client: the client action's form offers a worker nothing
        assertThat(choices(http.get(walt, "/engine-rest" + CLIENT_FORM_BY_KEY).json())).isEmpty();
        assertThat(choices(http.get(acmeClient, "/engine-rest" + WORKER_FORM_BY_KEY).json())).isEmpty();
    }

    @Test
    void everySpellingOfTheRouteGivesTheSignedInPersonsOwnListOrARefusal() throws Exception {
        String walts = assigned(acmeClient, acme, walt, "Read the meter", "EUR");
        String olgas = assigned(globexClient, globex, olga, "Fix the boiler", "EUR");
        String id = repositoryService.createProcessDefinitionQuery().processDefinitionKey(FieldActionProcess.WORKER_KEY)
                .latestVersion().singleResult().getId();
        List<String> answering = List.of("/process-definition/" + id + "/deployed-start-form",
                "/process-definition/" + id + "/deployed-start-form/", WORKER_FORM_BY_KEY, WORKER_FORM_BY_KEY + "/");
        // the API's routing may read these as the same call or as none: either is fine, another person's list is not
        List<String> sameOrRefused = List.of("/process-definition/" + id + "/%64eployed-start-form",
                "/process-definition/key/field-assignment-worker-actio%6E/deployed-start-form",
                "/process-definition/" + id + ";x/deployed-start-form", "/process-definition/" + id + "/deployed-start-form;x",
                "/process-definition/key%2F" + FieldActionProcess.WORKER_KEY + "/deployed-start-form",
                "/process-definition/" + id + "/deployed-start-form%2F", "/process-definition/" + id + "/./deployed-start-form",
                "/process-definition//" + id + "/deployed-start-form", "/process-definition/" + id.toUpperCase() + "/deployed-start-form");

        WebappSession olgasTasklist = WebappSession.login(port, "tasklist", olga, Fixtures.PASSWORD);
        int answered = 0;
        for (String path : java.util.stream.Stream.concat(answering.stream(), sameOrRefused.stream()).toList()) {
            List<String> spellings = List.of("/engine-rest" + path, "/engine-rest/engine/default" + path,
                    "/camunda/api/engine/engine/default" + path);
            for (String full : spellings) {
                Http.Response form = full.startsWith("/camunda") ? olgasTasklist.get(full) : http.get(olga, full);
                if (answering.contains(path) || form.status() == 200) {
                    assertThat(form.status()).as(full + ": " + form.text()).isEqualTo(200);
                    assertThat(choices(form.json())).as(full).containsOnlyKeys(olgas);
                    answered++;
                } else {
                    assertThat(form.status()).as(full).isBetween(400, 404);
                    assertThat(form.text()).as(full).doesNotContain(walts).doesNotContain(olgas);
                }
            }
        }
        assertThat(answered).isGreaterThanOrEqualTo(answering.size() * 3);
        // nobody signed in: no form at all
        assertThat(http.get(null, "/engine-rest" + WORKER_FORM_BY_KEY).status()).isEqualTo(401);

        // the list is a convenience: a reference that is not hers is refused as before, through both doors
        Http.Response notHers = http.post(olga, "/engine-rest" + WORKER_SUBMIT, variables(Map.of("assignmentRef", walts,
                "action", "MESSAGE", "messageBody", "Hi")));
        assertThat(notHers.status()).as(notHers.text()).isEqualTo(404);
        olgasTasklist.get("/camunda/api/engine/engine/default/task?maxResults=1"); // the session's CSRF token
        Http.Response notHersInTasklist = olgasTasklist.post("/camunda/api/engine/engine/default" + WORKER_SUBMIT,
                variables(Map.of("assignmentRef", walts, "action", "MESSAGE", "messageBody", "Hi")));
        assertThat(notHersInTasklist.status()).as(notHersInTasklist.text()).isEqualTo(404);
        assertThat(http.get(walt, "/api/field-assignments/" + walts).json().get("messages")).isEmpty();
    }

    @Test
    void theDatesTheFormsDatetimeFieldsSubmitAreReadAsSentAndADateWithoutOffsetIsRefusedNamingTheField() throws Exception {
        String walts = assigned(acmeClient, acme, walt, "Read the meter", "EUR");
        OffsetDateTime day = OffsetDateTime.now(ZoneOffset.UTC).plusDays(20).truncatedTo(ChronoUnit.DAYS);
        DateTimeFormatter minutes = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
        // form-js "utc_offset": the browser's own offset; "utc_normalized": UTC with Z
        String withOffset = day.withHour(15).withMinute(45).format(minutes) + "+05:30";
        String endWithOffset = day.withHour(18).format(minutes) + "+05:30";
        String normalised = day.plusDays(1).withHour(10).withMinute(15).format(minutes) + "Z";
        String endNormalised = day.plusDays(1).withHour(12).format(minutes) + "Z";

        Http.Response asked = http.post(walt, "/engine-rest" + WORKER_SUBMIT, variables(Map.of("assignmentRef", walts,
                "action", "RESCHEDULE", "requestNewStart", withOffset, "requestNewEnd", endWithOffset)));
        assertThat(asked.status()).as(asked.text()).isEqualTo(200);
        WebappSession waltsTasklist = WebappSession.login(port, "tasklist", walt, Fixtures.PASSWORD);
        waltsTasklist.get("/camunda/api/engine/engine/default/task?maxResults=1");
        Http.Response askedInTasklist = waltsTasklist.post("/camunda/api/engine/engine/default" + WORKER_SUBMIT, variables(Map.of(
                "assignmentRef", walts, "action", "RESCHEDULE", "requestNewStart", normalised, "requestNewEnd", endNormalised)));
        assertThat(askedInTasklist.status()).as(askedInTasklist.text()).isEqualTo(200);

        JsonNode requests = http.get(walt, "/api/field-assignments/" + walts).json().get("requests");
        assertThat(requests).hasSize(2);
        assertThat(OffsetDateTime.parse(requests.get(0).get("newStart").asText()).toInstant())
                .isEqualTo(OffsetDateTime.parse(withOffset).toInstant());
        assertThat(OffsetDateTime.parse(requests.get(0).get("newEnd").asText()).toInstant())
                .isEqualTo(OffsetDateTime.parse(endWithOffset).toInstant());
        assertThat(OffsetDateTime.parse(requests.get(1).get("newStart").asText()).toInstant())
                .isEqualTo(OffsetDateTime.parse(normalised).toInstant());

        String noOffset = day.withHour(15).format(minutes);
        // each door names the field as its caller sent it: the start form's variable, or the API body's field
        Map<String, Http.Response> refusals = Map.of(
                "requestNewStart", http.post(walt, "/engine-rest" + WORKER_SUBMIT, variables(Map.of("assignmentRef", walts,
                        "action", "RESCHEDULE", "requestNewStart", noOffset, "requestNewEnd", endWithOffset))),
                "requestNewStart ", waltsTasklist.post("/camunda/api/engine/engine/default" + WORKER_SUBMIT, variables(Map.of(
                        "assignmentRef", walts, "action", "RESCHEDULE", "requestNewStart", noOffset, "requestNewEnd", endWithOffset))),
                "scheduledStart", http.post(walt, "/api/field-assignments/" + walts + "/requests", json(Map.of("kind", "RESCHEDULE",
                        "scheduledStart", noOffset, "scheduledEnd", endWithOffset))));
        refusals.forEach((field, refused) -> {
            assertThat(refused.status()).as(refused.text()).isEqualTo(400);
            assertThat(refused.text()).contains(field.strip()).contains("date-time with offset");
        });
        assertThat(http.get(walt, "/api/field-assignments/" + walts).json().get("requests")).hasSize(2);
    }

    // ---- helpers

    private static Map<String, String> choices(JsonNode form) {
        Map<String, String> choices = new LinkedHashMap<>();
        component(form, "assignmentRef").get("values").forEach(v -> choices.put(v.get("value").asText(), v.get("label").asText()));
        return choices;
    }

    private static JsonNode component(JsonNode form, String key) {
        return StreamSupport.stream(form.get("components").spliterator(), false).filter(c -> key.equals(c.path("key").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no field " + key + " in " + form));
    }

    private static String label(JsonNode form, String key) {
        return component(form, key).get("label").asText();
    }

    private static String intro(JsonNode form) {
        return form.get("components").get(0).get("text").asText();
    }

    private static String variables(Map<String, String> values) {
        Map<String, Object> variables = new LinkedHashMap<>();
        values.forEach((name, value) -> variables.put(name, Map.of("value", value, "type", "String")));
        return json(Map.of("variables", variables));
    }

    private String publish(String client, String company, String title, String currency) {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withNano(0);
        Http.Response published = http.post(client, "/api/companies/" + company + "/field-assignments", json(Map.of(
                "title", title, "location", "Elm St 5", "scheduledStart", start.toString(),
                "scheduledEnd", start.plusHours(2).toString(), "budget", "80.00", "currency", currency, "paymentTermsDays", 7,
                "contactName", "Front desk")));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        return published.json().get("ref").asText();
    }

    private String assigned(String client, String company, String worker, String title, String currency) {
        String ref = publish(client, company, title, currency);
        JsonNode applied = http.post(worker, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).json();
        long id = applied.get("applications").get(0).get("id").asLong();
        Http.Response chosen = http.post(client, "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", id)));
        assertThat(chosen.status()).as(chosen.text()).isEqualTo(200);
        return ref;
    }
}
