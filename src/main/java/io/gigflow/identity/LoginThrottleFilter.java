package io.gigflow.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * In front of every door that takes a password (/api and /engine-rest with HTTP Basic, the
 * webapps' login): a client address that failed to sign in too often within the window gets
 * 429 with {@code Retry-After} for every sign-in, right or wrong, so the answer tells a
 * guesser nothing. A failure is a 401 answer to a request that carried credentials (an
 * {@code Authorization} header, or the webapps' login form): a request without any is no
 * guess, and a signed-out Tasklist page that keeps polling must not lock its office out.
 * Requests that sign in successfully are neither counted nor slowed. IPv6 addresses count
 * per /64, the block one subscriber usually holds.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

    private static final Pattern WEBAPP_LOGIN = Pattern.compile(".*/api/admin/auth/user/[^/]+/login/[^/]+/?");

    private final LoginThrottle throttle;
    private final Runnable onFailure;
    private final Runnable onRefusal;

    /** With what to do on each failed sign-in and each refused one (the operators' counters). */
    LoginThrottleFilter(LoginThrottle throttle, Runnable onFailure, Runnable onRefusal) {
        this.throttle = throttle;
        this.onFailure = onFailure;
        this.onRefusal = onRefusal;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!isSignIn(request)) {
            chain.doFilter(request, response);
            return;
        }
        String client = clientOf(request.getRemoteAddr());
        Duration wait = throttle.retryAfter(client);
        if (!wait.isZero()) {
            onRefusal.run();
            refuse(response, wait);
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() == HttpServletResponse.SC_UNAUTHORIZED) {
            throttle.failed(client);
            onFailure.run();
        }
    }

    private static boolean isSignIn(HttpServletRequest request) {
        return request.getHeader(HttpHeaders.AUTHORIZATION) != null
                || "POST".equals(request.getMethod()) && WEBAPP_LOGIN.matcher(request.getRequestURI()).matches();
    }

    /** The address, or for IPv6 its /64 network. */
    static String clientOf(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress(); // a literal: no name lookup
            if (bytes.length != 16) {
                return address;
            }
            byte[] network = new byte[8];
            System.arraycopy(bytes, 0, network, 0, 8);
            return HexFormat.of().formatHex(network) + "::/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }

    private static void refuse(HttpServletResponse response, Duration wait) throws IOException {
        long seconds = Math.max(1, wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0));
        response.setStatus(429);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                + "\"detail\":\"Too many failed sign-ins from your address; try again in " + seconds + " seconds\"}");
    }
}
