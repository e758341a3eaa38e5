package io.gigflow.support;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Sign-ins as a client at a given address: the request carries the address in
 * {@code X-Forwarded-For}, as a reverse proxy in front of gigflow would, and the server
 * believes it from a loopback proxy (server.forward-headers-strategy).
 */
public final class SignInClient {

    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private final String address;

    public SignInClient(int port, String address) {
        this.base = "http://127.0.0.1:" + port;
        this.address = address;
    }

    /** GET with HTTP Basic as {@code user} with {@code password}. */
    public Http.Response get(String user, String password, String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET()
                .header("Authorization", basic(user, password)));
    }

    /** PUT of a JSON body with HTTP Basic. */
    public Http.Response put(String user, String password, String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("Authorization", basic(user, password)));
    }

    /** The webapps' login form, as Tasklist posts it: the page first (its CSRF cookie), then the form with the token. */
    public Http.Response webappLogin(String user, String password) {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).build();
        send(browser, HttpRequest.newBuilder(URI.create(base + "/camunda/app/tasklist/")).GET());
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest.Builder login = HttpRequest.newBuilder(URI.create(base + "/camunda/api/admin/auth/user/default/login/tasklist"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst()
                .ifPresent(token -> login.header("X-XSRF-TOKEN", token.getValue()));
        return send(browser, login);
    }

    private Http.Response send(HttpRequest.Builder request) {
        return send(client, request);
    }

    private Http.Response send(HttpClient client, HttpRequest.Builder request) {
        request.header("X-Forwarded-For", address);
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Http.Response(response.statusCode(), response.body(), response.headers());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
