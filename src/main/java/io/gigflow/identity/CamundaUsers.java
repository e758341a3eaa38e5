package io.gigflow.identity;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
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
 * A success is remembered for a short while ({@link SignInCache}), so a client that sends its
 * credentials with every request is checked by Camunda about once a minute, not every time;
 * wrong passwords always go to Camunda.
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
    private final SignInCache signIns;
    private final LongAdder checks = new LongAdder();

    CamundaUsers(Parties parties, SignInCache signIns) {
        this.parties = parties;
        this.signIns = signIns;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String userId = authentication.getName();
        Object password = authentication.getCredentials();
        CamundaUser user = userId == null || userId.isEmpty() || password == null ? null
                : signIns.signIn(userId, password.toString(), () -> check(userId, password.toString()));
        if (user == null) {
            throw new BadCredentialsException("wrong user or password");
        }
        return UsernamePasswordAuthenticationToken.authenticated(user, null, AuthorityUtils.createAuthorityList(user.groups()));
    }

    /** Camunda's check of the password, with its failed-attempt handling, and the user's groups: null when refused. */
    private CamundaUser check(String userId, String password) {
        checks.increment();
        return parties.checkPassword(userId, password) ? new CamundaUser(userId, parties.groupsOf(userId)) : null;
    }

    /** How many sign-ins Camunda has checked since the start (the others were remembered successes). */
    long checks() {
        return checks.sum();
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
