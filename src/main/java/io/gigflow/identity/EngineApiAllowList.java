package io.gigflow.identity;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * What a party (anyone not in camunda-admin) may call on the engine's REST API, at /engine-rest and
 * under the webapps (/camunda/api/engine): what Tasklist and a platform integration need, nothing
 * more. Operators may call everything. Every other call answers 403 before it reaches the engine,
 * and the engine's authorizations still decide which definitions, tasks and instances each call
 * sees.
 *
 * <p>Paths are relative to the engine (after {@code /engine-rest}, {@code /engine-rest/engine/{varName}}
 * or {@code /camunda/api/engine/engine/{varName}}), decoded, without a trailing {@code /}; the
 * firewall has already refused {@code ;}, encoded {@code /}, {@code .} and {@code %}, {@code //}
 * and {@code ..}, so the path matched here is the path the engine's API routes. Letter case counts,
 * as it does for the API's routing. {@code {self}} must be the signed-in user's own id. HEAD is
 * treated as GET.
 */
final class EngineApiAllowList {

    enum Method { GET, POST, PUT, OPTIONS }

    record Rule(Method method, String path, String why) {
    }

    /** The allow-list: one row per call a party may make. README "Security" shows the same table (EngineApiAllowListTest). */
    static final List<Rule> PARTIES = List.of(
            get("/engine", "the engines, so Tasklist and clients find the default one"),
            get("/version", "the engine's version"),

            get("/process-definition", "the definitions Tasklist offers to start (authorizations filter them)"),
            get("/process-definition/count", "their number"),
            get("/process-definition/{id}", "one definition"),
            get("/process-definition/{id}/xml", "its model, for Tasklist's diagram"),
            get("/process-definition/{id}/startForm", "where its start form is"),
            get("/process-definition/{id}/deployed-start-form", "its Camunda Form"),
            get("/process-definition/{id}/form-variables", "the start form's variables"),
            get("/process-definition/{id}/rendered-form", "a generated start form"),
            post("/process-definition/{id}/start", "start it (its start step checks who and what)"),
            post("/process-definition/{id}/submit-form", "start it from its form"),
            get("/process-definition/key/{key}", "the same, by key"),
            get("/process-definition/key/{key}/xml", ""),
            get("/process-definition/key/{key}/startForm", ""),
            get("/process-definition/key/{key}/deployed-start-form", ""),
            get("/process-definition/key/{key}/form-variables", ""),
            get("/process-definition/key/{key}/rendered-form", ""),
            post("/process-definition/key/{key}/start", ""),
            post("/process-definition/key/{key}/submit-form", ""),
            get("/process-definition/key/{key}/tenant-id/{tenant}", "the same, by key and tenant"),
            get("/process-definition/key/{key}/tenant-id/{tenant}/xml", ""),
            get("/process-definition/key/{key}/tenant-id/{tenant}/startForm", ""),
            get("/process-definition/key/{key}/tenant-id/{tenant}/deployed-start-form", ""),
            get("/process-definition/key/{key}/tenant-id/{tenant}/form-variables", ""),
            get("/process-definition/key/{key}/tenant-id/{tenant}/rendered-form", ""),
            post("/process-definition/key/{key}/tenant-id/{tenant}/start", ""),
            post("/process-definition/key/{key}/tenant-id/{tenant}/submit-form", ""),

            get("/task", "their tasks (authorizations filter them)"),
            post("/task", "the same query with a body, as Tasklist sends it"),
            get("/task/count", "their number"),
            post("/task/count", ""),
            get("/task/{id}", "one task"),
            get("/task/{id}/form", "where its form is"),
            get("/task/{id}/deployed-form", "its Camunda Form"),
            get("/task/{id}/rendered-form", "a generated form"),
            get("/task/{id}/form-variables", "the form's variables"),
            get("/task/{id}/variables", "what Tasklist shows on the form"),
            get("/task/{id}/variables/{varName}", ""),
            get("/task/{id}/variables/{varName}/data", "a file variable's content"),
            get("/task/{id}/localVariables", ""),
            get("/task/{id}/localVariables/{varName}", ""),
            get("/task/{id}/localVariables/{varName}/data", ""),
            post("/task/{id}/complete", "complete it (only the step's declared fields)"),
            post("/task/{id}/submit-form", "complete it from its form"),
            post("/task/{id}/claim", "claim it (for themselves, within its candidate groups)"),
            post("/task/{id}/unclaim", "give it back"),
            get("/task/{id}/comment", "its comments"),
            get("/task/{id}/comment/{commentId}", ""),
            get("/task/{id}/identity-links", "who it is offered to"),

            post("/message", "the documented messages, by the party allowed to send each"),

            get("/process-instance", "their instances, read only"),
            post("/process-instance", ""),
            get("/process-instance/count", ""),
            post("/process-instance/count", ""),
            get("/process-instance/{id}", ""),
            get("/process-instance/{id}/activity-instances", "where an instance stands"),
            get("/process-instance/{id}/variables", "an instance's variables, read only"),
            get("/process-instance/{id}/variables/{varName}", ""),
            get("/process-instance/{id}/variables/{varName}/data", ""),
            get("/variable-instance", "the variables of the instances they may read"),
            post("/variable-instance", ""),
            get("/variable-instance/count", ""),
            post("/variable-instance/count", ""),
            get("/variable-instance/{id}", ""),
            get("/variable-instance/{id}/data", ""),

            get("/history/process-instance", "their history, read only"),
            post("/history/process-instance", ""),
            get("/history/process-instance/count", ""),
            post("/history/process-instance/count", ""),
            get("/history/process-instance/{id}", ""),
            get("/history/activity-instance", ""),
            post("/history/activity-instance", ""),
            get("/history/activity-instance/count", ""),
            post("/history/activity-instance/count", ""),
            get("/history/activity-instance/{id}", ""),
            get("/history/task", ""),
            post("/history/task", ""),
            get("/history/task/count", ""),
            post("/history/task/count", ""),
            get("/history/variable-instance", ""),
            post("/history/variable-instance", ""),
            get("/history/variable-instance/count", ""),
            post("/history/variable-instance/count", ""),
            get("/history/variable-instance/{id}", ""),
            get("/history/variable-instance/{id}/data", ""),
            get("/history/detail", ""),
            post("/history/detail", ""),
            get("/history/detail/count", ""),
            get("/history/detail/{id}", ""),
            get("/history/detail/{id}/data", ""),
            get("/history/identity-link-log", ""),
            get("/history/identity-link-log/count", ""),
            get("/history/user-operation", "a task's history in Tasklist"),
            get("/history/user-operation/count", ""),

            get("/filter", "Tasklist's filters (only operators create or change them)"),
            options("/filter", "what the caller may do with filters: Tasklist asks before it offers to create one"),
            get("/filter/count", ""),
            get("/filter/{id}", ""),
            get("/filter/{id}/list", "a filter's tasks"),
            post("/filter/{id}/list", ""),
            get("/filter/{id}/count", ""),
            post("/filter/{id}/count", ""),
            get("/filter/{id}/singleResult", ""),
            post("/filter/{id}/singleResult", ""),

            get("/user/{self}/profile", "their own profile"),
            put("/user/{self}/credentials", "their own password (the current one is required)"),
            get("/group", "their groups (authorizations filter them)"),
            post("/group", ""),
            get("/group/count", ""),
            post("/group/count", ""),
            get("/identity/password-policy", "the password rules, for Tasklist's password form"),
            post("/identity/password-policy", "check a new password against them"));

    /**
     * Calls for operators whose paths the templates above would match: the engine's API routes a
     * literal segment ahead of a template ({@code /process-definition/statistics} is not the
     * definition with the id "statistics"), so these are refused before the table is read.
     */
    static final List<Rule> OPERATORS_ONLY_LITERALS = List.of(
            get("/process-definition/statistics", "every definition's instance and incident counts"),
            get("/history/process-instance/report", "platform-wide duration report"));

    private static final PathPatternParser PARSER = new PathPatternParser();
    private static final Map<Rule, PathPattern> PATTERNS = java.util.stream.Stream
            .concat(PARTIES.stream(), OPERATORS_ONLY_LITERALS.stream())
            .collect(Collectors.toUnmodifiableMap(rule -> rule, rule -> PARSER.parse(rule.path())));

    private EngineApiAllowList() {
    }

    /** Whether a party may make this call; {@code enginePath} as {@link #enginePath} returns it. */
    static boolean permits(String httpMethod, String enginePath, String userId) {
        String method = "HEAD".equals(httpMethod) ? "GET" : httpMethod;
        PathContainer path = PathContainer.parsePath(enginePath);
        if (OPERATORS_ONLY_LITERALS.stream().anyMatch(rule -> matches(rule, method, path, userId))) {
            return false;
        }
        return PARTIES.stream().anyMatch(rule -> matches(rule, method, path, userId));
    }

    private static boolean matches(Rule rule, String method, PathContainer path, String userId) {
        if (!rule.method().name().equals(method)) {
            return false;
        }
        PathPattern.PathMatchInfo match = PATTERNS.get(rule).matchAndExtract(path);
        if (match == null) {
            return false;
        }
        String self = match.getUriVariables().get("self");
        return self == null || self.equals(userId);
    }

    /**
     * The path relative to the engine: {@code pathUnderApi} is what follows the API's prefix
     * ({@code /engine-rest} or {@code /camunda/api/engine}), decoded. {@code /engine/{varName}/x} and
     * {@code /x} both become {@code /x} (the named and the default engine); {@code /engine} (the
     * list of engines) stays; a trailing {@code /} is dropped, as the API's routing ignores it.
     */
    static String enginePath(String pathUnderApi) {
        String path = pathUnderApi.length() > 1 && pathUnderApi.endsWith("/")
                ? pathUnderApi.substring(0, pathUnderApi.length() - 1) : pathUnderApi;
        if (path.startsWith("/engine/")) {
            int next = path.indexOf('/', "/engine/".length());
            return next < 0 ? "/" : path.substring(next);
        }
        return path.isEmpty() ? "/" : path;
    }

    /** The table as README "Security" shows it. */
    static String markdownTable() {
        StringBuilder table = new StringBuilder("| method | path | what for |\n| --- | --- | --- |\n");
        PARTIES.forEach(rule -> table.append(("| " + rule.method() + " | `" + rule.path() + "` | " + rule.why()).strip()).append(" |\n"));
        return table.toString();
    }

    private static Rule get(String path, String why) {
        return new Rule(Method.GET, path, why);
    }

    private static Rule post(String path, String why) {
        return new Rule(Method.POST, path, why);
    }

    private static Rule put(String path, String why) {
        return new Rule(Method.PUT, path, why);
    }

    private static Rule options(String path, String why) {
        return new Rule(Method.OPTIONS, path, why);
    }
}
