package io.gigflow.support;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
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
 * <p>A request the description calls invalid is a violation only when the API took it (a 2xx
 * or 3xx): the tests send bad input on purpose, and the API must refuse it, as the description
 * says (a body sent to an operation that takes none may be ignored). A request to a path or
 * method the description does not have is fine with a 404 or 405.
 */
public final class ApiContract {

    private static final Map<String, OpenApiInteractionValidator> VALIDATORS = new ConcurrentHashMap<>();
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
        OpenApiInteractionValidator validator = VALIDATORS.computeIfAbsent(base, ApiContract::load);
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
        }
        ValidationReport responseReport = validator.validateResponse(path, Request.Method.valueOf(method), response.build());
        if (responseReport.hasErrors()) {
            violations.append(describe("answer " + status, responseReport));
        }
        return violations.toString();
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
    private static OpenApiInteractionValidator load(String base) {
        try {
            HttpResponse<String> docs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/v3/api-docs/gigflow"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (docs.statusCode() != 200) {
                throw new AssertionError("no API description at " + base + "/v3/api-docs/gigflow: " + docs.statusCode());
            }
            return OpenApiInteractionValidator.createForInlineApiSpecification(docs.body()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
