package io.gigflow.field;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.shared.FormOptions;
import io.gigflow.shared.Readable;
import io.gigflow.support.FieldAssignmentPublisher;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.OpenSteps;
import io.gigflow.support.WebTestBase;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The choices of "Choose applicant" are text, which the browser cannot move to its own time zone:
 * they are written when the form is opened, in the zone of the member who opens it (their
 * notification settings); read without a person, in the zone the company's members share, or in
 * UTC when they do not. They always name it.
 */
class ApplicantOptionsZoneTest extends WebTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;
    @Autowired FormService formService;

    @Test
    void theLabelsFollowTheZoneOfTheMemberWhoOpensTheFormOrElseTheMembersSharedZoneOrUtc() throws Exception {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String carol = acme[1];
        String dave = fixtures.member(acme[0]);
        String walt = fixtures.fieldWorker("walt");
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        zone(http, carol, kolkata.getId());
        zone(http, dave, berlin.getId());
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = new FieldAssignmentPublisher(http).publish(carol, acme[0], "Replace the gas meter", start, false);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).status()).isEqualTo(200);
        String step = taskService.createTaskQuery().processInstanceBusinessKey(ref).taskDefinitionKey(FieldAssignmentProcess.TASK_CHOOSE_APPLICANT)
                .singleResult().getId();

        String inKolkata = schedule(start, kolkata);
        assertThat(inKolkata).contains("13:30 IST");
        assertThat(labels(http, carol, step)).singleElement().asString().endsWith(" — 500.00 EUR — " + inKolkata);
        assertThat(labels(http, dave, step)).singleElement().asString().endsWith(" — 500.00 EUR — " + schedule(start, berlin));

        // read without a person: the members do not agree, so UTC, which the labels name; once they agree, their zone
        String inUtc = schedule(start, ZoneId.of("UTC"));
        assertThat(inUtc).contains("08:00 UTC");
        assertThat(labelsReadByNobody(step)).singleElement().asString().endsWith(" — 500.00 EUR — " + inUtc);
        zone(http, dave, kolkata.getId());
        assertThat(labelsReadByNobody(step)).singleElement().asString().endsWith(" — 500.00 EUR — " + inKolkata);
        assertThat(taskService.getVariablesLocal(step)).isEmpty();
    }

    private static String schedule(OffsetDateTime start, ZoneId zone) {
        return Readable.dateTime(start.toInstant(), zone) + " to " + Readable.dateTime(start.plusHours(6).toInstant(), zone);
    }

    private static void zone(Http http, String user, String zone) {
        Http.Response set = http.put(user, "/api/me/notification-settings", json(Map.of("timeZone", zone)));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
    }

    /** The labels as Tasklist gets them: the select's choices as JSON that names its format. */
    private static List<String> labels(Http http, String user, String step) throws Exception {
        JsonNode options = http.get(user, "/engine-rest/task/" + step + "/form-variables?deserializeValues=false").json()
                .get(FieldAssignmentProcess.VAR_APPLICANT_OPTIONS);
        assertThat(options.get("type").asText()).isEqualTo("Object");
        assertThat(options.get("valueInfo").get("serializationDataFormat").asText()).isEqualTo(FormOptions.DATA_FORMAT);
        return parse(options.get("value").asText());
    }

    private List<String> labelsReadByNobody(String step) throws Exception {
        return parse((String) OpenSteps.form(formService, step).get(FieldAssignmentProcess.VAR_APPLICANT_OPTIONS));
    }

    private static List<String> parse(String json) throws Exception {
        List<String> labels = new ArrayList<>();
        JSON.readTree(json).forEach(option -> labels.add(option.get("label").asText()));
        return labels;
    }
}
