package io.gigflow.identity;

import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.springframework.stereotype.Component;

/**
 * The person on whose behalf the engine acts right now: set by {@link EngineIdentityFilter}
 * for /api and /engine-rest, by the webapps for Tasklist. Job executor threads have nobody:
 * that is the system.
 */
@Component
public class CurrentUser {

    public static final String SYSTEM = "system";

    private final IdentityService identityService;

    public CurrentUser(IdentityService identityService) {
        this.identityService = identityService;
    }

    public Optional<String> id() {
        return Optional.ofNullable(identityService.getCurrentAuthentication()).map(Authentication::getUserId);
    }

    /** The signed-in user; only for code behind the authentication filters. */
    public String require() {
        return id().orElseThrow(() -> new IllegalStateException("no authenticated user"));
    }

    /** The actor to write into a history: the user, or {@value #SYSTEM} for timers and jobs. */
    public String actor() {
        return id().orElse(SYSTEM);
    }

    public List<String> groups() {
        Authentication authentication = identityService.getCurrentAuthentication();
        return authentication == null || authentication.getGroupIds() == null ? List.of() : authentication.getGroupIds();
    }
}
