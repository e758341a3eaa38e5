package io.gigflow.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The defence against cross-site requests on the HTTP Basic APIs, which have no CSRF token: a
 * page of another site can make a browser send a form (urlencoded, multipart, text/plain) or a
 * body-less POST with credentials the browser remembers, but not a JSON request (that needs
 * the site's consent, which it never gives), and browsers name the page's origin in
 * {@code Origin}. So a state-changing call (POST, PUT, PATCH, DELETE) from another origin is
 * refused (403), and one that names no origin must be JSON ({@link #jsonRequired}; 415
 * otherwise). A call from a page of this site (same {@code Origin}) passes as it is.
 */
class CrossSiteRequestFilter extends OncePerRequestFilter {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final boolean jsonRequired;
    private final boolean problemAnswers;

    /**
     * @param jsonRequired whether a call without {@code Origin} must be JSON (the domain API; the
     *        engine's API has endpoints that take no body and clients that send none)
     * @param problemAnswers RFC 9457 problems (the domain API) or Camunda's error shape
     */
    CrossSiteRequestFilter(boolean jsonRequired, boolean problemAnswers) {
        this.jsonRequired = jsonRequired;
        this.problemAnswers = problemAnswers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!STATE_CHANGING.contains(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            if (sameOrigin(origin, request)) {
                chain.doFilter(request, response);
            } else {
                refuse(response, HttpStatus.FORBIDDEN, "A state-changing call from another site (Origin " + origin
                        + ") is refused: only pages of this site may send one");
            }
            return;
        }
        if (jsonRequired && !isJson(request.getContentType())) {
            refuse(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "State-changing calls must send Content-Type: application/json"
                    + " (a form of another site cannot); this one sent " + (request.getContentType() == null ? "none" : request.getContentType()));
            return;
        }
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String detail) throws IOException {
        if (problemAnswers) {
            SecurityAnswers.problem(response, status, detail);
        } else {
            SecurityAnswers.engineError(response, status, "AuthorizationException", detail);
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return MediaType.APPLICATION_JSON.isCompatibleWith(type) && !type.isWildcardType() && !type.isWildcardSubtype()
                    || "application".equals(type.getType()) && type.getSubtype().endsWith("+json");
        } catch (InvalidMediaTypeException malformed) {
            return false;
        }
    }

    /** The Origin names this server as the request reached it: same scheme, host and port. */
    static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = URI.create(origin);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getRawPath() != null && !uri.getRawPath().isEmpty()) {
                return false; // "null" (sandboxed pages, file:), or not an origin at all
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
            return scheme.equals(request.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost().equalsIgnoreCase(request.getServerName())
                    && port == request.getServerPort();
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }
}
