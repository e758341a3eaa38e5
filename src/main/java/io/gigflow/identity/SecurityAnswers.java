package io.gigflow.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The bodies of the security layer's refusals, in the shape each door answers its own errors with:
 * RFC 9457 problems on /api (as its controllers answer), Camunda's {@code {type, message}} on the
 * engine's API (as Tasklist and engine clients read it).
 */
final class SecurityAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SecurityAnswers() {
    }

    static void problem(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", status.getReasonPhrase());
        body.put("status", status.value());
        body.put("detail", detail);
        write(response, status, MediaType.APPLICATION_PROBLEM_JSON_VALUE, body);
    }

    static void engineError(HttpServletResponse response, HttpStatus status, String type, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("message", message);
        write(response, status, MediaType.APPLICATION_JSON_VALUE, body);
    }

    private static void write(HttpServletResponse response, HttpStatus status, String contentType, Map<String, Object> body)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setContentType(contentType);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(body));
    }
}
