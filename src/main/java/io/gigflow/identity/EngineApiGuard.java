package io.gigflow.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The engine's REST API (/engine-rest, and the same API under the webapps) lets anyone with
 * a permission on an instance do more than a lifecycle allows: start it at an inner step
 * (skipping the step that checks who starts), skip its listeners, move its tokens, write its
 * variables, suspend it, or hand its tasks to somebody else. Those operations are for
 * operators: a person who is not in camunda-admin gets 403 for them. Starting, sending
 * messages, claiming and completing tasks, and every read, stay open to the parties, with
 * the engine's authorizations deciding who may.
 */
class EngineApiGuard extends OncePerRequestFilter {

    private static final List<Pattern> OPERATOR_ONLY = List.of(
            Pattern.compile(".*/process-instance/[^/]+/(modification|variables.*|suspended)$"),
            Pattern.compile(".*/process-instance/(suspended|delete|job-retries|variables-async|delete-historic-query-based)$"),
            Pattern.compile(".*/process-definition/[^/]+(/[^/]+)?/(suspended|restart.*)$"),
            Pattern.compile(".*/(modification|migration|execution|batch|job|job-definition|incident|external-task|deployment|authorization|user|group|tenant|filter|signal)(/.*)?$"),
            Pattern.compile(".*/task/[^/]+/(variables.*|localVariables.*|assignee|delegate|identity-links.*|resolve)$"));

    private static final Pattern START = Pattern.compile(".*/process-definition/(key/[^/]+|[^/]+)(/tenant-id/[^/]+)?/(start|submit-form)$");

    private final IdentityService identityService;
    private final ObjectMapper json = new ObjectMapper();

    EngineApiGuard(IdentityService identityService) {
        this.identityService = identityService;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String method = request.getMethod();
        if ("GET".equals(method) || "OPTIONS".equals(method) || "HEAD".equals(method) || isOperator(request)) {
            chain.doFilter(request, response);
            return;
        }
        String path = request.getRequestURI();
        boolean query = "POST".equals(method) && (path.endsWith("/count") || isQueryPost(path));
        if (!query && OPERATOR_ONLY.stream().anyMatch(p -> p.matcher(path).matches())) {
            refuse(response, "Only operators (camunda-admin) may do this through the engine API");
            return;
        }
        if ("POST".equals(method) && START.matcher(path).matches()) {
            CachedBody body = new CachedBody(request);
            if (startsAtAnInnerStep(body.bytes)) {
                refuse(response, "Only operators (camunda-admin) may start a process at an inner step or skip its listeners");
                return;
            }
            chain.doFilter(body, response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** POST endpoints that only query (Tasklist and Cockpit list with POST bodies). */
    private static boolean isQueryPost(String path) {
        return path.matches(".*/(task|process-instance|execution|job|incident|external-task|variable-instance|history/[a-z-]+|filter/[^/]+/(list|count|singleResult))$");
    }

    /** The person signed in to /engine-rest (HTTP Basic) or to the webapps (their session) is an operator. */
    private boolean isOperator(HttpServletRequest request) {
        Authentication authentication = identityService.getCurrentAuthentication();
        if (authentication != null && authentication.getGroupIds() != null) {
            return authentication.getGroupIds().contains(Groups.CAMUNDA_ADMIN);
        }
        HttpSession session = request.getSession(false);
        Authentications webapp = session == null ? null : AuthenticationUtil.getAuthsFromSession(session);
        return webapp != null && webapp.getAuthentications().stream()
                .anyMatch(user -> user.getGroupIds() != null && user.getGroupIds().contains(Groups.CAMUNDA_ADMIN));
    }

    private boolean startsAtAnInnerStep(byte[] body) {
        if (body.length == 0) {
            return false;
        }
        try {
            JsonNode start = json.readTree(body);
            return start != null && start.isObject()
                    && (start.has("startInstructions") && !start.get("startInstructions").isNull()
                    || start.path("skipCustomListeners").asBoolean(false) || start.path("skipIoMappings").asBoolean(false));
        } catch (IOException malformed) {
            return false; // the engine's API answers malformed JSON itself
        }
    }

    private static void refuse(HttpServletResponse response, String detail) throws IOException {
        response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"AuthorizationException\",\"message\":\"" + detail + "\"}");
    }

    /** The request with its body read once, so the guard can look at it and the API still reads it. */
    private static final class CachedBody extends HttpServletRequestWrapper {

        private final byte[] bytes;

        CachedBody(HttpServletRequest request) throws IOException {
            super(request);
            this.bytes = request.getInputStream().readAllBytes();
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public int read() {
                    return in.read();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
