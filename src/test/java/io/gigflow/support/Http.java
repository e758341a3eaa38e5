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

/**
 * A small HTTP client for tests that talk to the running application as a real client does. Every
 * exchange with /api/** is held to the API's description ({@link ApiContract}): one that breaks it
 * fails the test that made it.
 */
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
    private final boolean contractChecked;

    public Http(int port) {
        this(port, true);
    }

    private Http(int port, boolean contractChecked) {
        this.base = "http://127.0.0.1:" + port;
        this.contractChecked = contractChecked;
    }

    /** A client whose exchanges are not held to the description: for measuring (benchmarks), never for checking the API. */
    public static Http unchecked(int port) {
        return new Http(port, false);
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
        java.util.Map<String, java.util.List<String>> sent = new java.util.LinkedHashMap<>();
        // the APIs take state-changing calls as JSON only (a cross-site form cannot send JSON), bodies or not
        if (json != null || !method.equals("GET")) {
            sent.put("Content-Type", java.util.List.of("application/json"));
        }
        headers.forEach((name, value) -> sent.put(name, java.util.List.of(value)));
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":" + Fixtures.PASSWORD).getBytes(StandardCharsets.UTF_8));
            sent.put("Authorization", java.util.List.of("Basic " + token));
        }
        sent.forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (contractChecked && ApiContract.covers(path)) {
            String violations = ApiContract.violations(base, method, path, sent,
                    json == null ? null : json.getBytes(StandardCharsets.UTF_8), response.statusCode(), response.headers(), response.body());
            if (!violations.isEmpty()) {
                throw new AssertionError(method + " " + path + " answered " + response.statusCode() + " outside the API's description "
                        + "(/v3/api-docs/gigflow):\n" + violations + "answer: " + new String(response.body(), StandardCharsets.UTF_8));
            }
        }
        return new Response(response.statusCode(), response.body(), response.headers());
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
