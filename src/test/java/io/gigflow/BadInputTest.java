package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Every operation of the domain API (read from its own OpenAPI description, so new endpoints
 * are covered without touching this test) and the /engine-rest starts get malformed JSON,
 * wrong types, bad amounts and currencies, very long strings and unknown ids. None answers
 * 500, and none changes anything.
 */
class BadInputTest extends WebTestBase {

    private static final String LONG = "x".repeat(100_000);
    private static final List<String> BODIES = List.of(
            "{",
            "[]",
            "\"just a string\"",
            "{\"amount\": 12.5, \"currency\": \"EUR\", \"title\": 5, \"taskRefs\": \"T-1\", \"emailEnabled\": \"yes\"}",
            "{\"amount\": \"-1.00\", \"currency\": \"EUR\", \"basePrice\": \"-1\", \"price\": \"-1\"}",
            "{\"amount\": \"0\", \"currency\": \"EUR\", \"basePrice\": \"0\", \"price\": \"0\"}",
            "{\"amount\": \"1.001\", \"currency\": \"EUR\", \"basePrice\": \"1.001\", \"price\": \"1.001\"}",
            "{\"amount\": \"10.00\", \"currency\": \"ZZZ\", \"basePrice\": \"10.00\"}",
            "{\"amount\": \"1e999\", \"currency\": \"EUR\"}",
            "{\"title\": \"" + LONG + "\", \"description\": \"" + LONG + "\", \"reason\": \"" + LONG + "\", \"message\": \"" + LONG + "\"}",
            "{\"unknownField\": true}");

    @Autowired IdentityService identityService;
    @Autowired JdbcClient jdbc;

    @Test
    void noEndpointAnswers500OrChangesStateOnBadInput() {
        Http http = new Http(port);
        Fixtures fixtures = new Fixtures(identityService);
        String[] company = fixtures.company("acme");
        String staff = company[1];
        String provider = fixtures.provider("pia");
        String customer = fixtures.customer("carl");
        Map<String, Long> before = state();
        List<String> failures = new ArrayList<>();
        int calls = 0;

        JsonNode paths = http.get(null, "/v3/api-docs/gigflow").json().get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            String url = path.getKey().replace("{companyId}", company[0]).replaceAll("\\{[A-Za-z]*[Ii]d}", "999999")
                    .replaceAll("\\{[^}]+}", "NOPE-0");
            for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                for (String user : List.of(staff, provider, customer)) {
                    List<String> bodies = method.equals("GET") || method.equals("DELETE") ? List.of("") : BODIES;
                    for (String body : bodies) {
                        for (String query : List.of("", "?limit=-1&offset=-5&status=NOPE&currency=ZZZ&role=nobody")) {
                            Http.Response response = http.send(user, method, url + query, body.isEmpty() ? null : body);
                            calls++;
                            if (response.status() >= 500) {
                                failures.add(method + " " + url + query + " as " + user + " with " + abbreviate(body)
                                        + " -> " + response.status() + " " + abbreviate(response.text()));
                            }
                        }
                    }
                }
            }
        }
        for (String process : List.of("task-payout", "service-order")) {
            for (String body : List.of("{", "{\"variables\": 5}", "{\"variables\": {\"amount\": {\"value\": \"x\", \"type\": \"Double\"}}}",
                    "{\"variables\": {\"companyId\": {\"value\": \"" + LONG + "\", \"type\": \"String\"}}}",
                    "{\"businessKey\": \"" + LONG + "\", \"variables\": {}}", "{\"variables\": {}}")) {
                Http.Response response = http.post(staff, "/engine-rest/process-definition/key/" + process + "/start", body);
                calls++;
                if (response.status() >= 500 || response.status() < 400) {
                    failures.add("start " + process + " with " + abbreviate(body) + " -> " + response.status() + " " + abbreviate(response.text()));
                }
            }
        }

        assertThat(calls).isGreaterThan(500);
        assertThat(failures).isEmpty();
        assertThat(state()).isEqualTo(before);
    }

    /** Row counts of every table a request could change, the engine's runtime tables included. */
    private Map<String, Long> state() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("payout_task", "payout_task_event", "payout_send_batch", "ledger_transfer", "ledger_posting",
                "notification", "document", "service_offering", "service_order", "service_order_request", "service_order_file",
                "company_settings", "ACT_RU_EXECUTION", "ACT_RU_TASK", "ACT_RU_JOB")) {
            counts.put(table, jdbc.sql("select count(*) from " + table).query(Long.class).single());
        }
        return counts;
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…";
    }
}
