package io.gigflow.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Holds the domain API to its description: an exchange with /api/** is checked against the
 * OpenAPI description the same application serves (/v3/api-docs/gigflow), with Atlassian's
 * swagger-request-validator. {@link Http} checks every exchange of the tests, so a status an
 * operation does not declare, or an answer that does not match its schema, fails the test that
 * made it.
 *
 * <p>Required fields hold both ways. A request the description calls invalid (a required field
 * missing, a wrong type, ...) must be refused: as bad input (400), or for what is checked before
 * its input (401 and 429 the sign-in, 403 the caller's right, 404 an unknown resource, 409 its
 * state, 415 the content type). The tests send bad input on purpose; the API taking it (2xx, 3xx)
 * or deciding a business rule on it (422) is a violation (a body sent to an operation that takes
 * none may be ignored). An answer without a field its schema requires is a violation; so is a 400
 * that calls a field required which the operation's description does not have. A request to a
 * path or method the description does not have is fine with a 404 or 405.
 */
public final class ApiContract {

    private static final Map<String, Description> DESCRIPTIONS = new ConcurrentHashMap<>();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The answers that refuse a request as bad input, or for what is checked before its input. */
    private static final Set<Integer> REFUSALS_OF_INVALID_REQUESTS = Set.of(400, 401, 403, 404, 409, 415, 429);

    /**
     * What a 400 may call required without it being a field of the request, per operation: a field
     * assignment's submission is refused while the worker's check-in or check-out is missing, and
     * names them as fields, though they are steps the worker takes before, not fields of the body.
     */
    private static final Map<String, Set<String>> STEPS_NAMED_AS_FIELDS = Map.of(
            "POST /api/field-assignments/{ref}/submit", Set.of("checkIn", "checkOut"));

    /** The served description, as the validator reads it and as JSON. */
    private record Description(OpenApiInteractionValidator validator, JsonNode docs) {
    }
    private static final Set<String> UNKNOWN_OPERATION = Set.of("validation.request.path.missing",
            "validation.request.operation.notAllowed");

    private ApiContract() {
    }

    /** Whether the path (without query) is one the contract speaks of. */
    static boolean covers(String path) {
        return path.startsWith("/api/");
    }

    /**
     * The contract's violations by this exchange, one per line; empty when it keeps the contract.
     *
     * @param base the application's http://host:port
     * @param pathAndQuery as sent, with its query
     */
    public static String violations(String base, String method, String pathAndQuery, Map<String, List<String>> requestHeaders,
            byte[] requestBody, int status, HttpHeaders responseHeaders, byte[] responseBody) {
        Description description = DESCRIPTIONS.computeIfAbsent(base, ApiContract::load);
        OpenApiInteractionValidator validator = description.validator();
        URI uri = URI.create(pathAndQuery);
        String path = uri.getRawPath();
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, path);
        requestHeaders.forEach(request::withHeader);
        if (requestBody != null && requestBody.length > 0) {
            request.withBody(requestBody);
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                request.withQueryParam(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        responseHeaders.map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                response.withHeader(name, values);
            }
        });
        if (responseBody != null && responseBody.length > 0) {
            response.withBody(responseBody);
        }
        StringBuilder violations = new StringBuilder();
        ValidationReport requestReport = validator.validateRequest(request.build());
        boolean unknownOperation = requestReport.getMessages().stream().anyMatch(m -> UNKNOWN_OPERATION.contains(m.getKey()));
        if (unknownOperation) {
            if (status != 404 && status != 405) {
                violations.append(describe("request", requestReport));
            }
            return violations.toString();
        }
        // a body where the operation takes none is the client's mistake, and one the API may ignore
        boolean invalidRequest = requestReport.getMessages().stream().anyMatch(m -> m.getLevel() == ValidationReport.Level.ERROR
                && !m.getKey().equals("validation.request.body.unexpected"));
        if (invalidRequest && status < 400) {
            violations.append("the API took (").append(status).append(") a request its description calls invalid:\n")
                    .append(describe("request", requestReport));
        } else if (invalidRequest && !REFUSALS_OF_INVALID_REQUESTS.contains(status)) {
            violations.append("a request its description calls invalid, answered ").append(status)
                    .append(" (a decision on input that breaks the description; send valid input to see this answer):\n")
                    .append(describe("request", requestReport));
        }
        if (status == 400) {
            violations.append(undescribedRequiredFields(description.docs(), method, path, responseBody));
        }
        ValidationReport responseReport = validator.validateResponse(path, Request.Method.valueOf(method), response.build());
        if (responseReport.hasErrors()) {
            violations.append(describe("answer " + status, responseReport));
        }
        return violations.toString();
    }

    /**
     * The fields a 400 calls required (rule required) that the operation's description does not
     * have: neither a field of its request body (nested as in {@code items[2].amount}) nor a query
     * parameter. A client reading the description could not know to send them.
     */
    private static String undescribedRequiredFields(JsonNode docs, String method, String path, byte[] responseBody) {
        String template = template(docs, method, path);
        if (template == null || responseBody == null || responseBody.length == 0) {
            return "";
        }
        JsonNode operation = docs.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        Set<String> steps = STEPS_NAMED_AS_FIELDS.getOrDefault(method + " " + template, Set.of());
        JsonNode problem;
        try {
            problem = MAPPER.readTree(responseBody);
        } catch (IOException e) {
            return "";
        }
        StringBuilder violations = new StringBuilder();
        for (JsonNode error : problem.path("errors")) {
            String field = error.path("field").asText();
            if (!error.path("rule").asText().equals("required") || steps.contains(field) || described(docs, operation, field)) {
                continue;
            }
            violations.append("  answer 400: calls ").append(field)
                    .append(" required, a field the operation's description does not have (").append(error.path("message").asText())
                    .append(")\n");
        }
        return violations.toString();
    }

    /** The path template of the operation that answers the path; one with fewer variables first, as Spring picks. */
    private static String template(JsonNode docs, String method, String path) {
        String found = null;
        int fewestVariables = Integer.MAX_VALUE;
        for (var entry : docs.path("paths").properties()) {
            String template = entry.getKey();
            int variables = template.split("\\{", -1).length - 1;
            if (variables < fewestVariables && path.matches(template.replaceAll("\\{[^/]+}", "[^/]+"))
                    && entry.getValue().has(method.toLowerCase(Locale.ROOT))) {
                found = template;
                fewestVariables = variables;
            }
        }
        return found;
    }

    private static boolean described(JsonNode docs, JsonNode operation, String field) {
        for (JsonNode parameter : operation.path("parameters")) {
            if (parameter.path("name").asText().equals(field)) {
                return true;
            }
        }
        JsonNode schema = operation.at("/requestBody/content/application~1json/schema");
        for (String step : field.split("\\.")) {
            String name = step.replaceAll("\\[\\d+]$", "");
            schema = resolve(docs, schema);
            if (schema.path("properties").has(name)) {
                schema = schema.path("properties").get(name);
            } else if (schema.path("additionalProperties").isObject()) {
                // a map: any key names one of its values
                schema = schema.path("additionalProperties");
            } else {
                return false;
            }
            if (!name.equals(step)) {
                schema = resolve(docs, schema).path("items");
            }
        }
        return true;
    }

    private static JsonNode resolve(JsonNode docs, JsonNode schema) {
        String ref = schema.path("$ref").asText();
        return ref.isEmpty() ? schema : docs.at(ref.substring(1));
    }

    private static String describe(String what, ValidationReport report) {
        return report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> "  " + what + ": [" + m.getKey() + "] " + m.getMessage()
                        + m.getNestedMessages().stream().map(n -> "\n    " + n.getMessage()).collect(Collectors.joining()))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** The description as the application serves it, read once per application. */
    private static Description load(String base) {
        try {
            HttpResponse<String> docs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v3/api-docs/gigflow"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (docs.statusCode() != 200) {
                throw new AssertionError("no API description at " + base + "/v3/api-docs/gigflow: " + docs.statusCode());
            }
            return new Description(OpenApiInteractionValidator.createForInlineApiSpecification(docs.body()).build(),
                    MAPPER.readTree(docs.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
