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
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A start through the engine's API may name the step to start at and skip listeners: a party
 * would then pass the start step that checks who starts. Such starts are for operators; the
 * allow-list opens starts to parties, so this looks into their bodies. (The engine's own input
 * guard refuses the same for every door; this answers before the body reaches the engine.)
 */
class InnerStartFilter extends OncePerRequestFilter {

    private static final Pattern START = Pattern.compile(".*/process-definition/(key/[^/]+(/tenant-id/[^/]+)?|[^/]+)/(start|submit-form)/?");

    private final Predicate<HttpServletRequest> operator;
    private final ObjectMapper json = new ObjectMapper();

    InnerStartFilter(Predicate<HttpServletRequest> operator) {
        this.operator = operator;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod()) || !START.matcher(EngineApiGuard.pathUnder(request, "")).matches() || operator.test(request)) {
            chain.doFilter(request, response);
            return;
        }
        CachedBody body = new CachedBody(request);
        if (startsAtAnInnerStep(body.bytes)) {
            SecurityAnswers.engineError(response, HttpStatus.FORBIDDEN, "AuthorizationException",
                    "Only operators (camunda-admin) may start a process at an inner step or skip its listeners");
            return;
        }
        chain.doFilter(body, response);
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

    /** The request with its body read once, so this filter can look at it and the API still reads it. */
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

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
