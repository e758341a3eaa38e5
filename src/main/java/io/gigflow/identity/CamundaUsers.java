package io.gigflow.identity;

import java.util.List;
import org.camunda.bpm.engine.authorization.Groups;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * HTTP Basic against the Camunda identity (the users and groups managed in Admin): the password
 * is Camunda's (with its failed-attempt handling), the person's groups come along so that the
 * engine's authorizations apply to the request ({@link EngineIdentityFilter}). gigflow uses no
 * tenants, so none are looked up: with tenants, a party would see only data of no tenant.
 */
class CamundaUsers implements AuthenticationProvider {

    /** Who is signed in for this request; {@link #getName()} is the Camunda user id. */
    record CamundaUser(String id, List<String> groups) implements AuthenticatedPrincipal {

        @Override
        public String getName() {
            return id;
        }

        boolean isOperator() {
            return groups.contains(Groups.CAMUNDA_ADMIN);
        }
    }

    private final Parties parties;

    CamundaUsers(Parties parties) {
        this.parties = parties;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String userId = authentication.getName();
        Object password = authentication.getCredentials();
        if (userId == null || userId.isEmpty() || password == null || !parties.checkPassword(userId, password.toString())) {
            throw new BadCredentialsException("wrong user or password");
        }
        List<String> groups = parties.groupsOf(userId);
        return UsernamePasswordAuthenticationToken.authenticated(new CamundaUser(userId, groups), null,
                AuthorityUtils.createAuthorityList(groups));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** The signed-in Camunda user of a Spring Security authentication, or null (anonymous, nobody). */
    static CamundaUser of(Authentication authentication) {
        return authentication != null && authentication.getPrincipal() instanceof CamundaUser user ? user : null;
    }
}
