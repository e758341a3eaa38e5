package io.gigflow.field;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.shared.FormOptions;
import io.gigflow.shared.Readable;
import io.gigflow.support.FieldAssignmentPublisher;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.TaskService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The choices of "Choose applicant" are text, which the browser cannot move to its own time zone:
 * they are written in the zone the company's members read in (their notification settings) when
 * they all share one, in UTC when they do not, and always name it.
 */
class ApplicantOptionsZoneTest extends WebTestBase {

    @Autowired IdentityService identityService;
    @Autowired TaskService taskService;

    @Test
    void theLabelsFollowTheMembersSharedZoneOrElseUtc() {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] acme = fixtures.company("acme");
        String carol = acme[1];
        String dave = fixtures.member(acme[0]);
        String walt = fixtures.fieldWorker("walt");
        String wendy = fixtures.fieldWorker("wendy");
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        zone(http, carol, kolkata.getId());
        zone(http, dave, kolkata.getId());
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).withHour(8).truncatedTo(ChronoUnit.HOURS);
        String ref = new FieldAssignmentPublisher(http).publish(carol, acme[0], "Replace the gas meter", start, false);
        assertThat(http.post(walt, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).status()).isEqualTo(200);

        String inKolkata = Readable.dateTime(start.toInstant(), kolkata) + " to " + Readable.dateTime(start.plusHours(6).toInstant(), kolkata);
        assertThat(inKolkata).contains("13:30 IST");
        assertThat(labels(ref)).singleElement().asString().endsWith(" — 500.00 EUR — " + inKolkata);

        // the members no longer agree: the next application's labels are in UTC, which they name
        zone(http, dave, "Europe/Berlin");
        assertThat(http.post(wendy, "/api/field-assignments/" + ref + "/applications", json(Map.of("kind", "APPLY"))).status()).isEqualTo(200);
        ZoneId utc = ZoneId.of("UTC");
        String inUtc = Readable.dateTime(start.toInstant(), utc) + " to " + Readable.dateTime(start.plusHours(6).toInstant(), utc);
        assertThat(inUtc).contains("08:00 UTC");
        assertThat(labels(ref)).hasSize(2).allSatisfy(label -> assertThat(label).endsWith(" — 500.00 EUR — " + inUtc));
    }

    private static void zone(Http http, String user, String zone) {
        Http.Response set = http.put(user, "/api/me/notification-settings", json(Map.of("timeZone", zone)));
        assertThat(set.status()).as(set.text()).isEqualTo(200);
    }

    private List<String> labels(String ref) {
        String task = taskService.createTaskQuery().processInstanceBusinessKey(ref).taskDefinitionKey(FieldAssignmentProcess.TASK_CHOOSE_APPLICANT)
                .singleResult().getId();
        FormOptions options = (FormOptions) taskService.getVariableLocal(task, FieldAssignmentProcess.VAR_APPLICANT_OPTIONS);
        return options.options().stream().map(FormOptions.Option::label).toList();
    }
}
