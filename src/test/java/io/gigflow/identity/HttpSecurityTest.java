package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The domain API's defences against a browser used by another site (no Basic prompt that it
 * would remember, state changes only as JSON or from this site), the firewall in front of every
 * path, and the security headers on every answer.
 */
class HttpSecurityTest extends WebTestBase {

    @Autowired IdentityService identityService;

    private final HttpClient client = HttpClient.newHttpClient();
    private String member;
    private String companyId;

    @BeforeEach
    void company() {
        String[] company = new Fixtures(identityService).company("acme");
        companyId = company[0];
        member = company[1];
    }

    @Test
    void theDomainApiAsksForCredentialsWithoutABrowserPromptAndWithTheSameProblem() throws Exception {
        Http.Response signedIn = send(member, "GET", "/api/me/balances", null, null, null);
        Http.Response nobody = send(null, "GET", "/api/me/balances", null, null, null);
        // another person: after a wrong password Camunda makes the next attempt wait
        Http.Response wrongPassword = send(new Fixtures(identityService).contractor("forgetful") + ":wrong", "GET", "/api/me/balances",
                null, null, null);

        for (Http.Response refused : List.of(nobody, wrongPassword)) {
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.header("WWW-Authenticate")).isNull();
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asText()).isEqualTo("about:blank");
            assertThat(refused.json().get("title").asText()).isEqualTo("Unauthorized");
            assertThat(refused.json().get("status").asInt()).isEqualTo(401);
            assertThat(refused.json().get("detail").asText()).isEqualTo("Sign in with HTTP Basic as a gigflow user");
        }
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.header("Set-Cookie")).as("signed in per request, no session").isNull();
    }

    @Test
    void stateChangingCallsMustBeJsonUnlessThePageIsOfThisSite() throws Exception {
        String create = "/api/companies/" + companyId + "/tasks/amount-preview";
        String json = "{\"taskRefs\":[\"T-0\"]}";

        Http.Response form = send(member, "POST", create, "application/x-www-form-urlencoded", null, "taskRefs=T-0");
        Http.Response plain = send(member, "POST", create, "text/plain", null, json);
        Http.Response multipart = send(member, "POST", create, "multipart/form-data; boundary=x", null, "--x--");
        Http.Response none = send(member, "POST", "/api/tasks/T-0/send", null, null, null);
        Http.Response deleteWithoutType = send(member, "DELETE", "/api/milestones/M-0", null, null, null);
        Http.Response otherSite = send(member, "POST", create, "application/json", "https://evil.example", json);
        Http.Response nullOrigin = send(member, "POST", create, "application/json", "null", json);

        for (Http.Response refused : List.of(form, plain, multipart, none, deleteWithoutType)) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(415);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("detail").asText()).contains("Content-Type: application/json");
        }
        for (Http.Response refused : List.of(otherSite, nullOrigin)) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(403);
            assertThat(refused.json().get("detail").asText()).contains("from another site");
        }
        assertThat(send(member, "POST", create, "application/json", null, json).status()).isEqualTo(200);
        assertThat(send(member, "POST", create, "application/json;charset=UTF-8", "http://127.0.0.1:" + port, json).status())
                .isEqualTo(200);
        assertThat(send(member, "POST", "/api/tasks/T-0/send", null, "http://127.0.0.1:" + port, null).status())
                .as("a page of this site, no body").isEqualTo(404);
        assertThat(send(member, "POST", "/api/tasks/T-0/send", "application/json", null, null).status()).isEqualTo(404);
    }

    @Test
    void anotherSitesPageCannotChangeAnythingThroughTheEngineApiEither() throws Exception {
        Http.Response otherSite = send(member, "POST", "/engine-rest/task", "application/json", "https://evil.example", "{}");

        assertThat(otherSite.status()).isEqualTo(403);
        assertThat(otherSite.text()).contains("from another site");
        assertThat(send(member, "POST", "/engine-rest/task?maxResults=10", "application/json", null, "{}").status()).isEqualTo(200);
    }

    @Test
    void theFirewallRefusesPathsThatRoutingCouldReadDifferentlyWith400() throws Exception {
        List<String> paths = List.of("/api;x/me/balances", "/api/me;x/balances", "/api/me/balances;x", "/api//me/balances",
                "/api/me%2Fbalances", "/api/me/%2e%2e/me/balances", "/camunda/app/../../api/me/balances", "/api/me/%252e",
                "/engine-rest;x/task", "/engine-rest//task", "/engine-rest/task%2F", "/%65ngine-rest/task",
                "/camunda;x/api/engine/engine/default/task", "/camunda/api//engine/engine/default/task");

        for (String path : paths) {
            Http.Response refused = send(member, "GET", path, null, null, null);
            assertThat(refused.status()).as(path + ": " + refused.text()).isEqualTo(400);
        }
        Http.Response semicolon = send(member, "GET", "/engine-rest;x/task", null, null, null);
        assertThat(semicolon.json().get("detail").asText()).contains("not in canonical form");
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() throws Exception {
        for (String path : List.of("/camunda/app/tasklist/default/", "/api/me/balances", "/engine-rest/engine", "/v3/api-docs/gigflow",
                "/camunda/api/engine/engine/")) {
            Http.Response response = send(member, "GET", path, null, null, null);
            assertThat(response.status()).as(path).isEqualTo(200);
            assertThat(response.header("X-Frame-Options")).as(path).isEqualTo("SAMEORIGIN");
            assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("same-origin");
            assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.headers().allValues("X-Content-Type-Options")).as(path).hasSize(1);
            assertThat(response.header("Strict-Transport-Security")).as("only in the postgres profile, over HTTPS").isNull();
        }
    }

    /** {@code user} with the fixtures' password, or {@code user:password}. Raw: no header is added that the caller did not ask for. */
    private Http.Response send(String user, String method, String path, String contentType, String origin, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            String credentials = user.contains(":") ? user : user + ":" + Fixtures.PASSWORD;
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Http.Response(response.statusCode(), response.body(), response.headers());
    }
}
