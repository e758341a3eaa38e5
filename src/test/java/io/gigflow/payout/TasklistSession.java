package io.gigflow.payout;

import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A user signed in to the Camunda webapps, calling what Tasklist's pages call (session cookie and CSRF token). */
final class TasklistSession {

    private final HttpClient client;
    private final CookieManager cookies;
    private final String base;

    private TasklistSession(int port) {
        this.cookies = new CookieManager();
        this.client = HttpClient.newBuilder().cookieHandler(cookies).build();
        this.base = "http://127.0.0.1:" + port;
    }

    static TasklistSession login(int port, String user) throws Exception {
        TasklistSession session = new TasklistSession(port);
        session.send(HttpRequest.newBuilder(URI.create(session.base + "/camunda/app/tasklist/")).GET());
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + Fixtures.PASSWORD;
        Http.Response login = session.send(HttpRequest.newBuilder(URI.create(session.base + "/camunda/api/admin/auth/user/default/login/tasklist"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (login.status() != 200) {
            throw new AssertionError("Tasklist login of " + user + " failed: " + login.status() + " " + login.text());
        }
        return session;
    }

    Http.Response get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").GET());
    }

    Http.Response post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private Http.Response send(HttpRequest.Builder request) throws Exception {
        String token = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN"))
                .map(HttpCookie::getValue).findFirst().orElse(null);
        if (token != null) {
            request.header("X-XSRF-TOKEN", token);
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Http.Response(response.statusCode(), response.body(), response.headers());
    }
}
