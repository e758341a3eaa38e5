package io.gigflow.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The engine refuses unbounded list queries (the hardening's query result limit), but some
 * of Cockpit's own requests ask without a page size (the versions of a process definition).
 * Requests of the webapps that name no {@code maxResults} get the engine's limit, so the
 * webapps keep working and no query is unbounded. The public /engine-rest is left as it is:
 * integrators page explicitly.
 */
class WebappQueryLimitFilter extends OncePerRequestFilter {

    private final String limit;

    WebappQueryLimitFilter(int limit) {
        this.limit = Integer.toString(limit);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if ("GET".equals(request.getMethod()) && request.getParameter("maxResults") == null) {
            chain.doFilter(new BoundedRequest(request, limit), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static final class BoundedRequest extends HttpServletRequestWrapper {

        private final Map<String, String[]> parameters;
        private final String query;

        BoundedRequest(HttpServletRequest request, String limit) {
            super(request);
            parameters = new LinkedHashMap<>(request.getParameterMap());
            parameters.put("maxResults", new String[] {limit});
            String original = request.getQueryString();
            query = (original == null || original.isEmpty() ? "" : original + "&") + "maxResults=" + limit;
        }

        @Override
        public String getParameter(String name) {
            String[] values = parameters.get(name);
            return values == null ? null : values[0];
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Collections.unmodifiableMap(parameters);
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.enumeration(parameters.keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            return parameters.get(name);
        }

        @Override
        public String getQueryString() {
            return query;
        }
    }
}
