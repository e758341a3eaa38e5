package io.gigflow.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A small HTTP client for tests that talk to the running application as a real client does. */
public final class Http {

    public record Response(int status, byte[] body, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + text(), e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Response get(String user, String path) {
        return send(user, "GET", path, null);
    }

    public Response post(String user, String path, String json) {
        return send(user, "POST", path, json);
    }

    public Response put(String user, String path, String json) {
        return send(user, "PUT", path, json);
    }

    public Response delete(String user, String path) {
        return send(user, "DELETE", path, null);
    }

    /** Sends as {@code user} with the fixtures' password; null sends no credentials. */
    public Response send(String user, String method, String path, String json) {
        return send(user, method, path, json, java.util.Map.of());
    }

    /** {@link #send(String, String, String, String)} with further headers (an Idempotency-Key). */
    public Response send(String user, String method, String path, String json, java.util.Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        // the APIs take state-changing calls as JSON only (a cross-site form cannot send JSON), bodies or not
        if (json != null || !method.equals("GET")) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + Fixtures.PASSWORD).getBytes(StandardCharsets.UTF_8));
            request.header("Authorization", "Basic " + token);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a condition the job executor brings about; fails with the message when it never does. */
    public static void await(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
