package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import org.junit.jupiter.api.Test;

class ApiDocumentationTest extends WebTestBase {

    @Test
    void describesTheDomainApiAndServesSwaggerUi() {
        Http http = new Http(port);

        Http.Response docs = http.get(null, "/v3/api-docs/gigflow");
        Http.Response ui = http.get(null, "/swagger-ui/index.html");

        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().get("paths");
        assertThat(paths.has("/api/companies/{companyId}/tasks")).isTrue();
        assertThat(paths.has("/api/tasks/{ref}/accept")).isTrue();
        assertThat(paths.has("/api/orders/{ref}/start")).isTrue();
        assertThat(paths.has("/api/notifications")).isTrue();
        JsonNode create = paths.get("/api/companies/{companyId}/tasks").get("post");
        assertThat(create.get("parameters").findValuesAsText("name")).contains("Idempotency-Key");
        assertThat(paths.get("/api/companies/{companyId}/tasks").get("get").get("parameters").findValuesAsText("name"))
                .doesNotContain("Idempotency-Key");
        assertThat(docs.json().get("components").get("securitySchemes").get("basic").get("scheme").asText()).isEqualTo("basic");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.text()).contains("swagger-ui");
    }
}
