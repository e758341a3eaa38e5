package io.gigflow.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.authorization.Groups;
import org.camunda.bpm.webapp.impl.security.auth.AuthenticationUtil;
import org.camunda.bpm.webapp.impl.security.auth.Authentications;
import org.camunda.bpm.webapp.impl.security.auth.UserAuthentication;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.web.util.UriUtils;

/**
 * Who may call what on the engine's API: operators (camunda-admin) everything, everybody else
 * what {@link EngineApiAllowList} lists. Two doors lead to the same API: /engine-rest (HTTP
 * Basic, {@link #engineRest()}) and the webapps' /camunda/api (their own session,
 * {@link #webapps()}), where Cockpit's and Admin's own APIs are for operators too.
 */
final class EngineApiGuard {

    static final String ENGINE_REST = "/engine-rest";
    static final String WEBAPP_API = "/camunda/api";
    private static final String WEBAPP_ENGINE_API = WEBAPP_API + "/engine";

    /** The webapps' plugin scripts and styles (every app loads them, before and after signing in). */
    private static final Pattern WEBAPP_PLUGIN_STATIC = Pattern.compile("/(admin|cockpit|tasklist|welcome)/plugin/[^/]+/static/.+");
    /** Signing in and out, the signed-in user, and the first administrator's setup (Camunda refuses it once one exists). */
    private static final Pattern WEBAPP_SIGN_IN = Pattern.compile("/admin/(auth/user|setup)(/.*)?");
    private static final Pattern NAMED_ENGINE = Pattern.compile("/engine/([^/]+)(/.*)?");

    private final Parties parties;

    EngineApiGuard(Parties parties) {
        this.parties = parties;
    }

    /** /engine-rest: the engine list and version for anybody, the rest by the HTTP Basic user. */
    AuthorizationManager<RequestAuthorizationContext> engineRest() {
        return (authentication, context) -> {
            HttpServletRequest request = context.getRequest();
            String path = EngineApiAllowList.enginePath(pathUnder(request, ENGINE_REST));
            if (isRead(request) && (path.equals("/engine") || path.equals("/version"))) {
                return new AuthorizationDecision(true);
            }
            CamundaUsers.CamundaUser user = CamundaUsers.of(authentication.get());
            if (user == null) {
                return new AuthorizationDecision(false); // asks for credentials (401)
            }
            return new AuthorizationDecision(user.isOperator() || EngineApiAllowList.permits(request.getMethod(), path, user.id()));
        };
    }

    /**
     * /camunda/api: the webapps sign people in with their own session. Without one the webapps
     * answer as they always do (401, or the login and the plugin files that need none); with one,
     * the engine API takes the allow-list and Cockpit's and Admin's APIs take an operator.
     */
    AuthorizationManager<RequestAuthorizationContext> webapps() {
        return (authentication, context) -> new AuthorizationDecision(webappMayCall(context.getRequest()));
    }

    private boolean webappMayCall(HttpServletRequest request) {
        String path = pathUnder(request, WEBAPP_API);
        if (path.equals("/engine") || path.startsWith("/engine/")) {
            String underEngineApi = path.substring("/engine".length());
            String enginePath = EngineApiAllowList.enginePath(underEngineApi);
            if (isRead(request) && enginePath.equals("/engine")) {
                return true; // the engine list, which the login page reads
            }
            Matcher named = NAMED_ENGINE.matcher(underEngineApi);
            String engine = named.matches() ? named.group(1) : "default";
            List<UserAuthentication> users = sessionUsers(request);
            // the session's user of that engine; of another engine when it has none (a made-up engine name changes nothing)
            Optional<UserAuthentication> user = users.stream().filter(candidate -> engine.equals(candidate.getProcessEngineName()))
                    .findFirst().or(() -> users.stream().findFirst());
            return user.isEmpty() || isOperator(user.get())
                    || EngineApiAllowList.permits(request.getMethod(), enginePath, user.get().getIdentityId());
        }
        if (WEBAPP_PLUGIN_STATIC.matcher(path).matches() || WEBAPP_SIGN_IN.matcher(path).matches()) {
            return true;
        }
        List<UserAuthentication> users = sessionUsers(request);
        return users.isEmpty() || users.stream().anyMatch(this::isOperator);
    }

    private boolean isOperator(UserAuthentication user) {
        List<String> groups = user.getGroupIds() != null ? user.getGroupIds() : parties.groupsOf(user.getIdentityId());
        return groups.contains(Groups.CAMUNDA_ADMIN);
    }

    private static List<UserAuthentication> sessionUsers(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        Authentications authentications = session == null ? null : AuthenticationUtil.getAuthsFromSession(session);
        return authentications == null || authentications.getAuthentications() == null ? List.of()
                : authentications.getAuthentications();
    }

    private static boolean isRead(HttpServletRequest request) {
        return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }

    /**
     * The decoded path after {@code prefix}. The firewall has refused encoded {@code /}, {@code %},
     * {@code .} and {@code ;} before, so decoding cannot make a different path: this is the path
     * the API routes ({@code /t%61sk} is {@code /task} for both).
     */
    static String pathUnder(HttpServletRequest request, String prefix) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String decoded = UriUtils.decode(path, StandardCharsets.UTF_8);
        return decoded.startsWith(prefix) ? decoded.substring(prefix.length()) : decoded;
    }
}
