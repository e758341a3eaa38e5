package io.gigflow.support;

import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A user signed in to a Camunda webapp (tasklist, cockpit), calling what its pages call: session cookie and CSRF token. */
public final class WebappSession {

    private final HttpClient client;
    private final CookieManager cookies;
    private final String base;

    private WebappSession(int port) {
        this.cookies = new CookieManager();
        this.client = HttpClient.newBuilder().cookieHandler(cookies).build();
        this.base = "http://127.0.0.1:" + port;
    }

    public static WebappSession login(int port, String app, String user, String password) throws Exception {
        WebappSession session = new WebappSession(port);
        session.send(HttpRequest.newBuilder(URI.create(session.base + "/camunda/app/" + app + "/")).GET());
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
        Http.Response login = session.send(HttpRequest.newBuilder(URI.create(session.base + "/camunda/api/admin/auth/user/default/login/" + app))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (login.status() != 200) {
            throw new AssertionError(app + " login of " + user + " failed: " + login.status() + " " + login.text());
        }
        return session;
    }

    public Http.Response get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").GET());
    }

    public Http.Response post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any call, JSON body or none, as the webapps make it. */
    public Http.Response send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
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
