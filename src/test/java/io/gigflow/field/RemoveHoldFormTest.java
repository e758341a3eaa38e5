package io.gigflow.field;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.support.FieldAssignmentPublisher;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Funding;
import io.gigflow.support.Http;
import io.gigflow.support.OpenSteps;
import io.gigflow.support.WebTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * "Remove the hold with a new schedule" completed the way Tasklist completes it ({@code POST
 * /engine-rest/task/{id}/submit-form}, the form's fields as strings): the step takes the formats its
 * date-and-time fields send and refuses any other value naming the field; it shows nothing under
 * the names of its inputs, since a submitted value would then land in that task variable, which
 * ends with the task, and the step would read nothing.
 */
class RemoveHoldFormTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;
    @Autowired FormService formService;
    @Autowired org.springframework.jdbc.core.JdbcTemplate jdbc;

    Http http;
    String client;
    String ref;
    String step;

    @BeforeEach
    void givenAnAssignmentOnHold() {
        http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        client = acme[1];
        String walt = fixtures.fieldWorker("walt");
        new Funding(http, fixtures).company(client, acme[0], "1000.00", "EUR");
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(8).truncatedTo(ChronoUnit.HOURS);
        ref = new FieldAssignmentPublisher(http).publish(client, acme[0], "Paint the stairwell", start, false);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).status()).isEqualTo(200);
        long application = http.get(client, "/api/field-assignments/" + ref).json().get("applications").get(0).get("id").asLong();
        assertThat(http.post(client, "/api/field-assignments/" + ref + "/choose", json(Map.of("applicationId", application))).status()).isEqualTo(200);
        Http.Response held = http.post(client, "/api/field-assignments/" + ref + "/hold", json(Map.of("reason", "SITE_NOT_READY")));
        assertThat(held.status()).as(held.text()).isEqualTo(200);
        step = taskService.createTaskQuery().processInstanceBusinessKey(ref).taskDefinitionKey(FieldAssignmentProcess.TASK_REMOVE_HOLD)
                .singleResult().getId();
    }

    @Test
    void theStepShowsNothingUnderTheNamesOfItsInputs() throws IOException {
        Set<String> inputs = formInputs(Path.of("forms/remove-hold.form"));
        assertThat(inputs).containsExactlyInAnyOrder("newStart", "newEnd");
        Map<String, Object> form = OpenSteps.form(formService, step);
        assertThat(form).containsKeys("startAt", "endAt", "holdText", "ref", "title", "askedBy");
        assertThat(form.keySet()).doesNotContainAnyElementsOf(inputs);
        assertThat(form.get("holdText")).isEqualTo("site not ready");
        assertThat(taskService.getVariablesLocal(step)).isEmpty();
    }

    @Test
    void takesTheLocalTimeWithItsOffsetAsTheFormSendsIt() {
        Http.Response done = submit("{\"newStart\":{\"value\":\"D1T14:45+05:30\"},\"newEnd\":{\"value\":\"D2T09:30+05:30\"}}");
        assertThat(done.status()).as(done.text()).isEqualTo(204);
        JsonNode row = http.get(client, "/api/field-assignments/" + ref).json();
        assertThat(row.get("status").asText()).isEqualTo("ON_HOLD");
        Map<String, Object> proposed = jdbc.queryForMap("select proposed_start, proposed_end from field_assignment where ref = ?", ref);
        assertThat(instant(proposed.get("proposed_start"))).isEqualTo(Instant.parse(days("D1T09:15:00Z")));
        assertThat(instant(proposed.get("proposed_end"))).isEqualTo(Instant.parse(days("D2T04:00:00Z")));
    }

    @Test
    void takesTheInstantInUtcAsTheFormSendsItNormalized() {
        Http.Response done = submit("{\"newStart\":{\"value\":\"D1T09:15Z\"},\"newEnd\":{\"value\":\"D2T04:00Z\"}}");
        assertThat(done.status()).as(done.text()).isEqualTo(204);
        Map<String, Object> proposed = jdbc.queryForMap("select proposed_start, proposed_end from field_assignment where ref = ?", ref);
        assertThat(instant(proposed.get("proposed_start"))).isEqualTo(Instant.parse(days("D1T09:15:00Z")));
        assertThat(instant(proposed.get("proposed_end"))).isEqualTo(Instant.parse(days("D2T04:00:00Z")));
    }

    @Test
    void refusesAnyOtherValueNamingTheField() {
        // no offset: the server would have to guess the person's zone
        assertRefused("{\"newStart\":{\"value\":\"D1T14:45\"},\"newEnd\":{\"value\":\"D2T09:30+05:30\"}}", "newStart");
        // a Date variable, not the form's text
        assertRefused("{\"newStart\":{\"value\":\"D1T14:45+05:30\"},\"newEnd\":{\"type\":\"Date\",\"value\":\"D2T09:30:00.000+0530\"}}",
                "newEnd");
        // a date alone, and nothing at all
        assertRefused("{\"newStart\":{\"value\":\"D1\"}}", "newStart");
        // what the step only shows is no input of it
        assertRefused("{\"newStart\":{\"value\":\"D1T14:45+05:30\"},\"newEnd\":{\"value\":\"D2T09:30+05:30\"},"
                + "\"holdText\":{\"value\":\"planted\"}}", "holdText");
        assertRefused("{\"newStart\":{\"value\":\"D1T14:45+05:30\"},\"newEnd\":{\"value\":\"D2T09:30+05:30\"},"
                + "\"startAt\":{\"value\":\"D1T09:15Z\"}}", "startAt");
        assertThat(taskService.createTaskQuery().taskId(step).count()).as("the step is still open").isEqualTo(1);
        assertThat(jdbc.queryForObject("select proposed_start from field_assignment where ref = ?", OffsetDateTime.class, ref)).isNull();
    }

    /** Dates two weeks ahead, whatever today is: "D1" and "D2" in a request stand for the two days. */
    private static String days(String variables) {
        java.time.LocalDate first = java.time.LocalDate.now(ZoneOffset.UTC).plusDays(14);
        return variables.replace("D1", first.toString()).replace("D2", first.plusDays(1).toString());
    }

    private void assertRefused(String variables, String field) {
        Http.Response refused = submit(variables);
        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.text()).contains(field);
    }

    private Http.Response submit(String variables) {
        return http.post(client, "/engine-rest/task/" + step + "/submit-form", "{\"variables\":" + days(variables) + "}");
    }

    private static Set<String> formInputs(Path form) throws IOException {
        Set<String> inputs = new HashSet<>();
        for (JsonNode component : new ObjectMapper().readTree(Files.readString(form)).path("components")) {
            if (component.hasNonNull("key") && !component.path("disabled").asBoolean(false)) {
                inputs.add(component.get("key").asText());
            }
        }
        return inputs;
    }

    private static Instant instant(Object column) {
        if (column instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (column instanceof OffsetDateTime dateTime) {
            return dateTime.toInstant();
        }
        throw new AssertionError("not a date-time: " + column);
    }
}
