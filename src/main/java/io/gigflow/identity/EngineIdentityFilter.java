package io.gigflow.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.camunda.bpm.engine.IdentityService;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Runs the request as the signed-in Camunda user: the engine's authorizations apply to every
 * call it makes (/engine-rest, and the domain API's own engine calls), and {@link CurrentUser}
 * knows who acts. Nothing is left on the thread afterwards.
 */
class EngineIdentityFilter extends OncePerRequestFilter {

    private final IdentityService identityService;

    EngineIdentityFilter(IdentityService identityService) {
        this.identityService = identityService;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CamundaUsers.CamundaUser user = CamundaUsers.of(SecurityContextHolder.getContext().getAuthentication());
        if (user == null) {
            chain.doFilter(request, response);
            return;
        }
        identityService.setAuthentication(user.id(), user.groups());
        try {
            chain.doFilter(request, response);
        } finally {
            identityService.clearAuthentication();
        }
    }
}
