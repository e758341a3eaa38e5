package io.gigflow.idempotency;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.Transactions;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * The {@code Idempotency-Key} header of the domain API, with the semantics integrators know from
 * payment APIs. A state-changing call (POST, PUT, PATCH, DELETE) that carries one runs in one
 * transaction together with the key: the key (per user) is taken first, the call runs (the
 * controllers, the engine and the ledger join the transaction), its answer is stored on the key,
 * and the transaction commits before the answer leaves. So a crash leaves either the change with
 * its key and answer, or neither.
 * <ul>
 * <li>the same key with the same request (method, path, query, body) within the retention (24 h)
 * answers the stored answer again (status, body, content type, Location), with the header
 * {@code Idempotent-Replayed: true}, and does nothing;</li>
 * <li>the same key with another request answers 422 naming the header;</li>
 * <li>while a request with the key is still running, another answers 409;</li>
 * <li>only 2xx answers are kept. A 4xx answer keeps what the request changed, if anything, just as
 * without the key, but not the key: a retry is checked again against the state of then (a balance
 * topped up meanwhile). A 5xx answer rolls everything back and keeps nothing;</li>
 * <li>a key is 1 to 255 printable ASCII characters, else 400 naming the header.</li>
 * </ul>
 * Calls without the header work as before, each use case in its own transaction.
 */
final class IdempotencyFilter extends OncePerRequestFilter {

    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_LENGTH = 255;

    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IdempotencyKeys keys;
    private final Transactions transactions;
    private final CurrentUser currentUser;
    /** Keys of requests running on this node ({@code user \n key}). */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    IdempotencyFilter(IdempotencyKeys keys, Transactions transactions, CurrentUser currentUser) {
        this.keys = keys;
        this.transactions = transactions;
        this.currentUser = currentUser;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !STATE_CHANGING.contains(request.getMethod()) || request.getHeader(HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        List<String> values = Collections.list(request.getHeaders(HEADER));
        String key = values.get(0);
        if (values.size() > 1 || !valid(key)) {
            invalidKey(response);
            return;
        }
        Optional<String> user = currentUser.id();
        if (user.isEmpty()) {
            chain.doFilter(request, response); // nobody signed in: the security chain answers
            return;
        }
        HashedRequest hashed = HashedRequest.of(request);
        String marker = user.get() + "\n" + key;
        if (!inFlight.add(marker)) {
            stillRunning(response);
            return;
        }
        Outcome outcome;
        try {
            try {
                outcome = transactions.wholeRequest(status -> {
                    Optional<IdempotencyKeys.Stored> stored;
                    try {
                        stored = keys.claim(user.get(), key, hashed.hash());
                    } catch (PessimisticLockingFailureException running) {
                        status.setRollbackOnly();
                        return Outcome.RUNNING;
                    }
                    if (stored.isPresent()) {
                        status.setRollbackOnly(); // nothing to write
                        return stored.get().requestHash().equals(hashed.hash()) ? Outcome.replay(stored.get()) : Outcome.MISMATCH;
                    }
                    ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
                    try {
                        chain.doFilter(hashed.request(), answer);
                    } catch (IOException | ServletException e) {
                        throw new ChainFailure(e);
                    }
                    int code = answer.getStatus();
                    boolean success = code >= 200 && code < 300;
                    if (status.isRollbackOnly()) {
                        status.setRollbackOnly(); // rolled back without an exception (the local flag spares the commit's)
                        return success ? Outcome.LOST : Outcome.answered(answer);
                    }
                    if (success) {
                        keys.answer(user.get(), key, code, answer.getContentType(), answer.getHeader("Location"),
                                answer.getContentAsByteArray());
                    } else if (code >= 500) {
                        status.setRollbackOnly();
                    } else {
                        keys.release(user.get(), key);
                    }
                    return Outcome.answered(answer);
                });
            } catch (ChainFailure e) {
                Throwable cause = e.getCause();
                if (cause instanceof ServletException servlet) {
                    throw servlet;
                }
                throw (IOException) cause;
            } catch (TransactionException | org.springframework.dao.DataAccessException e) {
                log.error("Request with an Idempotency-Key could not commit; nothing was kept", e);
                outcome = Outcome.LOST;
            }
        } finally {
            // before the answer goes out: a client that retries as soon as it has the answer finds the stored key, not "still running"
            inFlight.remove(marker);
        }
        outcome.answer(response);
    }

    static boolean valid(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return !key.isBlank();
    }

    private static void invalidKey(HttpServletResponse response) throws IOException {
        Map<String, Object> body = problem(HttpStatus.BAD_REQUEST, "Invalid input",
                HEADER + ": must be 1 to " + MAX_LENGTH + " printable ASCII characters, sent once");
        body.put("errors", List.of(Map.of("field", HEADER, "rule", "format",
                "message", "must be 1 to " + MAX_LENGTH + " printable ASCII characters, sent once")));
        write(response, HttpStatus.BAD_REQUEST, body);
    }

    private static void stillRunning(HttpServletResponse response) throws IOException {
        write(response, HttpStatus.CONFLICT, problem(HttpStatus.CONFLICT, "Conflict",
                "A request with this " + HEADER + " is still being processed; retry once it has been answered"));
    }

    private static Map<String, Object> problem(HttpStatus status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.value());
        body.put("detail", detail);
        return body;
    }

    private static void write(HttpServletResponse response, HttpStatus status, Map<String, Object> body) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }

    /** What the request is answered once its transaction has ended. */
    private interface Outcome {

        Outcome RUNNING = IdempotencyFilter::stillRunning;

        Outcome MISMATCH = response -> write(response, HttpStatus.UNPROCESSABLE_ENTITY, problem(HttpStatus.UNPROCESSABLE_ENTITY,
                "Idempotency-Key reused", HEADER + ": this key was used for another request (method, path or body); "
                        + "use a new key for a new request"));

        /** A successful answer whose change could not be kept: the client must not take it for done. */
        Outcome LOST = response -> {
            response.reset();
            write(response, HttpStatus.SERVICE_UNAVAILABLE, problem(HttpStatus.SERVICE_UNAVAILABLE, "Temporary failure",
                    "Nothing was changed; try again with the same " + HEADER));
        };

        void answer(HttpServletResponse response) throws IOException;

        static Outcome answered(ContentCachingResponseWrapper answer) {
            return response -> answer.copyBodyToResponse();
        }

        static Outcome replay(IdempotencyKeys.Stored stored) {
            return response -> {
                response.setStatus(stored.status());
                if (stored.contentType() != null) {
                    response.setContentType(stored.contentType());
                }
                if (stored.location() != null) {
                    response.setHeader("Location", stored.location());
                }
                response.setHeader(REPLAYED, "true");
                response.setContentLength(stored.body().length);
                response.getOutputStream().write(stored.body());
            };
        }
    }

    /** A checked exception of the filter chain, carried out of the transaction (which it rolls back). */
    private static final class ChainFailure extends RuntimeException {
        ChainFailure(Exception cause) {
            super(cause);
        }
    }

    /** The request with its body read once (and readable again), and the hash of method, path, query and body. */
    record HashedRequest(HttpServletRequest request, String hash) {

        static HashedRequest of(HttpServletRequest request) throws IOException, ServletException {
            MessageDigest digest = sha256();
            digest.update((request.getMethod() + "\n" + request.getRequestURI() + "\n"
                    + (request.getQueryString() == null ? "" : request.getQueryString()) + "\n").getBytes(StandardCharsets.UTF_8));
            String contentType = request.getContentType();
            if (contentType != null && contentType.toLowerCase().startsWith("multipart/")) {
                // the container parses the parts once and keeps them: hash them, and let the request read them as usual
                for (Part part : request.getParts()) {
                    digest.update((part.getName() + "\n" + part.getSubmittedFileName() + "\n" + part.getContentType() + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                    try (InputStream in = part.getInputStream()) {
                        byte[] buffer = new byte[8192];
                        for (int n; (n = in.read(buffer)) > 0; ) {
                            digest.update(buffer, 0, n);
                        }
                    }
                }
                return new HashedRequest(request, HexFormat.of().formatHex(digest.digest()));
            }
            byte[] body = request.getInputStream().readAllBytes();
            digest.update(body);
            return new HashedRequest(new ReadAgain(request, body), HexFormat.of().formatHex(digest.digest()));
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A request whose body was read into memory, so that the handler reads it (again). */
    private static final class ReadAgain extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadAgain(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

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
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
