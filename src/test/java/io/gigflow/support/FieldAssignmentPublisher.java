package io.gigflow.support;

import static io.gigflow.support.Http.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;

/**
 * Field assignments for tests, published as a client member does: over the domain API, six hours
 * from {@code start}, a budget of 500.00 EUR paid at once, with a site contact.
 */
public final class FieldAssignmentPublisher {

    private final Http http;

    public FieldAssignmentPublisher(Http http) {
        this.http = http;
    }

    /** {@code member} of {@code companyId} publishes an assignment; returns its reference. */
    public String publish(String member, String companyId, String title, OffsetDateTime start, boolean checkInRequired) {
        Map<String, Object> body = new HashMap<>(Map.of("title", title, "location", "Main St 1, Springfield",
                "scheduledStart", start.toString(), "scheduledEnd", start.plusHours(6).toString(), "budget", "500.00", "currency", "EUR",
                "paymentTermsDays", 0, "checkInRequired", checkInRequired));
        body.putAll(Map.of("contactName", "Frank Moss", "contactPhone", "+1 555 0142", "contactEmail", "facility@acme.example"));
        Http.Response published = http.post(member, "/api/companies/" + companyId + "/field-assignments", json(body));
        assertThat(published.status()).as(published.text()).isEqualTo(201);
        return published.json().get("ref").asText();
    }
}
