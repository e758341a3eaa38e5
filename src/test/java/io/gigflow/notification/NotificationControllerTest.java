package io.gigflow.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.support.ContractCheckedHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.camunda.bpm.engine.IdentityService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class NotificationControllerTest {

    @LocalServerPort
    int port;

    @Autowired
    NotificationService notifications;

    @Autowired
    IdentityService identityService;

    // every exchange held to the API's description
    final HttpClient http = ContractCheckedHttpClient.of(HttpClient.newHttpClient());
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void givenTwoUsers() {
        TestUsers.ensure(identityService, "webalice", "Alice", "Abbot", "alice@example.com");
        TestUsers.ensure(identityService, "webbob", "Bob", "Brown", "bob@example.com");
    }

    @Test
    void aUserListsOnlyItsOwnNotifications() throws Exception {
        // given one notification for each
        notifications.notify("webalice", "task-sent", "L-1", "For Alice", "Hello Alice");
        notifications.notify("webbob", "task-sent", "L-1", "For Bob", "Hello Bob");

        // when alice lists hers
        HttpResponse<String> response = send("webalice", "GET", "/api/notifications?unread=true&limit=50", null);

        // then she sees hers, not bob's
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("unread").asLong()).isPositive();
        assertThat(body.get("items").findValuesAsText("subject")).contains("For Alice").doesNotContain("For Bob");
        JsonNode item = body.get("items").get(0);
        assertThat(item.get("event").asText()).isEqualTo("task-sent");
        assertThat(item.get("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(item.get("emailStatus").asText()).isEqualTo("OUTBOX");
    }

    @Test
    void aUserMarksItsNotificationRead() throws Exception {
        // given an unread notification of alice
        notifications.notify("webalice", "task-sent", "R-1", "Read me", "Body");
        long id = idOf("webalice", "Read me");
        long unreadBefore = notifications.unreadCount("webalice");

        // when she marks it read
        HttpResponse<String> response = send("webalice", "POST", "/api/notifications/" + id + "/read", null);

        // then it is read and no longer among the unread ones
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(notifications.unreadCount("webalice")).isEqualTo(unreadBefore - 1);
        JsonNode unread = json.readTree(send("webalice", "GET", "/api/notifications?unread=true", null).body());
        assertThat(unread.get("items").findValuesAsText("subject")).doesNotContain("Read me");
        JsonNode all = json.readTree(send("webalice", "GET", "/api/notifications", null).body());
        assertThat(all.get("items").findValuesAsText("subject")).contains("Read me");
    }

    @Test
    void aUserCannotMarkAnotherUsersNotificationRead() throws Exception {
        // given a notification of bob
        notifications.notify("webbob", "task-sent", "X-1", "Bob's own", "Body");
        long id = idOf("webbob", "Bob's own");

        // when alice tries to mark it read
        HttpResponse<String> response = send("webalice", "POST", "/api/notifications/" + id + "/read", null);

        // then it is not found for her, and stays unread for bob
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        assertThat(notifications.forUser("webbob", true, 200)).extracting(NotificationService.NotificationView::id).contains(id);
    }

    @Test
    void aUserSwitchesEmailOffAndOnAgain() throws Exception {
        // given email is on by default
        HttpResponse<String> before = send("webbob", "GET", "/api/me/notification-settings", null);
        assertThat(before.statusCode()).isEqualTo(200);
        assertThat(json.readTree(before.body()).get("emailEnabled").asBoolean()).isTrue();

        // when bob switches it off
        HttpResponse<String> off = send("webbob", "PUT", "/api/me/notification-settings", "{\"emailEnabled\": false}");

        // then it is off for him and not for alice
        assertThat(off.statusCode()).isEqualTo(200);
        assertThat(json.readTree(off.body()).get("emailEnabled").asBoolean()).isFalse();
        assertThat(json.readTree(send("webbob", "GET", "/api/me/notification-settings", null).body())
                .get("emailEnabled").asBoolean()).isFalse();
        assertThat(notifications.emailEnabled("webalice")).isTrue();

        // and when he switches it on again, it is on
        HttpResponse<String> on = send("webbob", "PUT", "/api/me/notification-settings", "{\"emailEnabled\": true}");
        assertThat(json.readTree(on.body()).get("emailEnabled").asBoolean()).isTrue();
    }

    @Test
    void aSettingsChangeWithoutATrueOrFalseIsRejectedNamingTheField() throws Exception {
        for (String bad : new String[] {"{}", "{\"emailEnabled\": null}", "{\"emailEnabled\": \"no\"}",
                "{\"emailEnabled\": \"false\"}", "{\"emailEnabled\": 0}", ""}) {
            // when the body is wrong
            HttpResponse<String> response = send("webalice", "PUT", "/api/me/notification-settings", bad);

            // then the answer is a problem naming emailEnabled, and nothing changed
            assertThat(response.statusCode()).as(bad).isEqualTo(400);
            JsonNode problem = json.readTree(response.body());
            assertThat(problem.get("status").asInt()).as(bad).isEqualTo(400);
            assertThat(problem.get("errors").findValuesAsText("field")).as(bad).containsExactly("emailEnabled");
        }
        assertThat(notifications.emailEnabled("webalice")).isTrue();
    }

    @Test
    void anUnknownFieldIsRejected() throws Exception {
        HttpResponse<String> response = send("webalice", "PUT", "/api/me/notification-settings",
                "{\"emailEnabled\": false, \"sms\": true}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("errors").findValuesAsText("field")).containsExactly("sms");
        assertThat(notifications.emailEnabled("webalice")).isTrue();
    }

    @Test
    void aListWithAnOutOfRangeLimitOrANonBooleanFilterIsRejectedNamingTheParameter() throws Exception {
        HttpResponse<String> limit = send("webalice", "GET", "/api/notifications?limit=0", null);
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(json.readTree(limit.body()).get("errors").findValuesAsText("field")).containsExactly("limit");

        HttpResponse<String> unread = send("webalice", "GET", "/api/notifications?unread=maybe", null);
        assertThat(unread.statusCode()).isEqualTo(400);
        assertThat(json.readTree(unread.body()).get("errors").findValuesAsText("field")).containsExactly("unread");
    }

    @Test
    void anyoneWithoutCredentialsIsTurnedAway() throws Exception {
        for (String path : new String[] {"/api/notifications", "/api/me/notification-settings"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
        }
        // a user of its own: Camunda delays the next sign-in of a user after a wrong password
        TestUsers.ensure(identityService, "webmallory", "Mallory", "Moss", "mallory@example.com");
        HttpResponse<String> wrongPassword = http.send(HttpRequest.newBuilder(uri("/api/notifications"))
                .header("Authorization", basic("webmallory", "wrong")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongPassword.statusCode()).isEqualTo(401);
    }

    private long idOf(String user, String subject) {
        return notifications.forUser(user, false, 200).stream().filter(n -> n.subject().equals(subject))
                .findFirst().orElseThrow().id();
    }

    private HttpResponse<String> send(String user, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", basic(user, TestUsers.password(user)))
                .header("Accept", "application/json, application/problem+json");
        // the API takes state-changing calls as JSON only, bodies or not
        if (body != null || !method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
