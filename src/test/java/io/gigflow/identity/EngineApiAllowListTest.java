package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.support.Fixtures;
import io.gigflow.support.Http;
import io.gigflow.support.WebTestBase;
import io.gigflow.support.WebappSession;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.authorization.Groups;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every operation of the engine's own REST description (openapi.json of camunda-engine-rest-openapi,
 * the engine's version), called by every kind of party, on /engine-rest and through a Tasklist
 * session on the webapps' engine API, as is and in the path variants that once slipped past a
 * deny-list: refused (403, or 400 by the firewall) unless {@link EngineApiAllowList} lists it, and
 * never refused by the security layer when it does (the engine may still answer 4xx: the ids are
 * made up, no process runs). Operators get through everything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineApiAllowListTest extends WebTestBase {

    /** What the security layer's own refusals say (the engine's authorization refusals say something else). */
    private static final String REFUSED = "only operators (camunda-admin) may make it";
    private static final Pattern VARIABLE = Pattern.compile("\\{[^}]*}");

    @Autowired IdentityService identityService;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private List<Operation> operations;
    private Set<String> allowed;
    private Map<String, String> parties;
    private String operator;
    /** Allowed calls that the engine answered with 5xx (made-up ids): not the security layer's answer, listed for the record. */
    private final ConcurrentLinkedQueue<String> engineErrors = new ConcurrentLinkedQueue<>();

    record Operation(String method, String template) {

        String key() {
            return method + " " + VARIABLE.matcher(template).replaceAll("{}");
        }

        /** The path with made-up values ({@code self} for a user id, so that "their own" rows can be reached). */
        String path(String self) {
            Matcher variable = VARIABLE.matcher(template);
            StringBuilder path = new StringBuilder();
            int n = 0;
            while (variable.find()) {
                boolean userId = template.startsWith("/user/{id}") && variable.start() == "/user/".length();
                variable.appendReplacement(path, userId && self != null ? self : "made" + n++ + "up");
            }
            return variable.appendTail(path).toString();
        }
    }

    enum Kind { SAME_OPERATION, OTHER_CASE, FIREWALL }

    /** {@code anotherAllowedCall}: a changed spelling that is itself a call parties may make (a definition with the id "Statistics"). */
    record Variant(String name, Kind kind, String path, boolean anotherAllowedCall) {

        Variant(String name, Kind kind, String path) {
            this(name, kind, path, false);
        }
    }

    record Call(String who, String method, String path, String variant, Kind kind, boolean expectRefused, boolean anotherAllowedCall) {

        Call(String who, String method, String path, String variant, Kind kind, boolean expectRefused) {
            this(who, method, path, variant, kind, expectRefused, false);
        }
    }

    @BeforeAll
    void readTheEnginesDescription() throws Exception {
        JsonNode description;
        try (InputStream in = getClass().getResourceAsStream("/openapi.json")) {
            assertThat(in).as("openapi.json of camunda-engine-rest-openapi on the test classpath").isNotNull();
            description = new ObjectMapper().readTree(in);
        }
        operations = new ArrayList<>();
        description.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (Set.of("get", "post", "put", "delete", "patch", "options", "head").contains(method)) {
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey()));
            }
        }));
        // rows for the caller's own user id ({self}) do not cover the made-up ids below: their own test shows them
        allowed = EngineApiAllowList.PARTIES.stream().filter(rule -> !rule.path().contains("{self}"))
                .map(rule -> new Operation(rule.method().name(), rule.path()).key()).collect(Collectors.toSet());

        Fixtures fixtures = new Fixtures(identityService);
        parties = new LinkedHashMap<>();
        parties.put("contractor", fixtures.contractor("contractor"));
        parties.put("company member", fixtures.company("acme")[1]);
        parties.put("customer", fixtures.customer("customer"));
        parties.put("provider", fixtures.provider("provider"));
        parties.put("field worker", fixtures.fieldWorker("worker"));
        parties.put("agency client", fixtures.client("client"));
        operator = fixtures.person(Fixtures.unique("operator"), Groups.CAMUNDA_ADMIN);
    }

    @Test
    void theDescriptionListsEveryOperationAndTheAllowListNamesOnlyOperationsItLists() {
        Set<String> described = operations.stream().map(Operation::key).collect(Collectors.toSet());
        Set<String> rows = EngineApiAllowList.PARTIES.stream().map(rule -> new Operation(rule.method().name(), rule.path()).key())
                .collect(Collectors.toSet());

        assertThat(operations).hasSizeGreaterThan(350);
        assertThat(rows).isSubsetOf(described);
        assertThat(rows).hasSameSizeAs(EngineApiAllowList.PARTIES);
    }

    @Test
    void partiesGetOnlyTheAllowListOnEngineRestInEveryPathVariant() throws Exception {
        List<Call> calls = new ArrayList<>();
        parties.forEach((role, user) -> {
            for (Operation operation : operations) {
                for (Variant variant : variants("/engine-rest", operation, true)) {
                    calls.add(new Call(user, operation.method(), variant.path(), role + " " + variant.name(), variant.kind(),
                            !allowed.contains(operation.key()), variant.anotherAllowedCall()));
                }
            }
        });

        List<String> wrong = run(calls, call -> basic(call.who(), call.method(), call.path()));

        assertThat(wrong).as("calls answered against the allow-list (%d calls)", calls.size()).isEmpty();
    }

    @Test
    void partiesWithATasklistSessionGetOnlyTheAllowListOnTheWebappsEngineApi() throws Exception {
        Map<String, WebappSession> sessions = new LinkedHashMap<>();
        for (Map.Entry<String, String> party : parties.entrySet()) {
            sessions.put(party.getValue(), WebappSession.login(port, "tasklist", party.getValue(), Fixtures.PASSWORD));
        }
        List<Call> calls = new ArrayList<>();
        parties.forEach((role, user) -> {
            for (Operation operation : operations) {
                for (Variant variant : variants("/camunda/api/engine/engine/default", operation, false)) {
                    calls.add(new Call(user, operation.method(), variant.path(), role + " " + variant.name(), variant.kind(),
                            !allowed.contains(operation.key()), variant.anotherAllowedCall()));
                }
            }
        });

        List<String> wrong = run(calls, call -> sessions.get(call.who()).send(call.method(), call.path(), body(call.method())));

        assertThat(wrong).as("calls answered against the allow-list (%d calls)", calls.size()).isEmpty();
    }

    @Test
    void theirOwnProfileAndPasswordAreTheirsAloneThroughEitherDoor() throws Exception {
        Fixtures fixtures = new Fixtures(identityService);
        String contractor = fixtures.contractor("changing");
        String member = fixtures.company("other")[1];
        Http http = new Http(port);
        WebappSession tasklist = WebappSession.login(port, "tasklist", contractor, Fixtures.PASSWORD);

        Http.Response own = http.get(contractor, "/engine-rest/user/" + contractor + "/profile");
        Http.Response others = http.get(contractor, "/engine-rest/user/" + member + "/profile");
        Http.Response othersPassword = http.put(contractor, "/engine-rest/user/" + member + "/credentials",
                "{\"password\":\"Taken0ver!\",\"authenticatedUserPassword\":\"" + Fixtures.PASSWORD + "\"}");
        Http.Response othersViaTasklist = tasklist.send("PUT", "/camunda/api/engine/engine/default/user/" + member + "/credentials",
                "{\"password\":\"Taken0ver!\",\"authenticatedUserPassword\":\"" + Fixtures.PASSWORD + "\"}");
        Http.Response ownProfileChange = http.put(contractor, "/engine-rest/user/" + contractor + "/profile",
                "{\"id\":\"" + contractor + "\",\"email\":\"someone@elsewhere.test\"}");
        Http.Response ownPassword = http.put(contractor, "/engine-rest/user/" + contractor + "/credentials",
                "{\"password\":\"N3w-secret!\",\"authenticatedUserPassword\":\"" + Fixtures.PASSWORD + "\"}");

        assertThat(own.status()).as(own.text()).isEqualTo(200);
        assertThat(List.of(others, othersPassword, othersViaTasklist, ownProfileChange)).extracting(Http.Response::status).containsOnly(403);
        assertThat(identityService.checkPassword(member, Fixtures.PASSWORD)).isTrue();
        assertThat(identityService.createUserQuery().userId(contractor).singleResult().getEmail()).isEqualTo(contractor + "@example.test");
        assertThat(ownPassword.status()).as(ownPassword.text()).isEqualTo(204);
        assertThat(identityService.checkPassword(contractor, "N3w-secret!")).isTrue();
    }

    @Test
    void operatorsGetThroughEveryOperationOnBothDoors() throws Exception {
        WebappSession cockpit = WebappSession.login(port, "cockpit", operator, Fixtures.PASSWORD);
        List<Call> rest = new ArrayList<>();
        List<Call> webapp = new ArrayList<>();
        for (Operation operation : operations) {
            // reads run on the engine; everything else on an engine that does not exist, so that nothing is changed
            // (the layer decides by the path under the engine's name, whatever the name)
            String engine = "GET".equals(operation.method()) ? "default" : "nosuchengine";
            String path = operation.path(operator);
            rest.add(new Call(operator, operation.method(), "/engine-rest/engine/" + engine + path, "operator", Kind.SAME_OPERATION, false));
            webapp.add(new Call(operator, operation.method(), "/camunda/api/engine/engine/" + engine + path, "operator",
                    Kind.SAME_OPERATION, false));
        }

        List<String> wrong = new ArrayList<>(run(rest, call -> basic(call.who(), call.method(), call.path())));
        wrong.addAll(run(webapp, call -> cockpit.send(call.method(), call.path(), body(call.method()))));

        assertThat(wrong).isEmpty();
    }

    @Test
    void cockpitsAndAdminsOwnApisAreForOperatorsWhileTheWebappsScriptsStayOpen() throws Exception {
        WebappSession party = WebappSession.login(port, "tasklist", parties.get("field worker"), Fixtures.PASSWORD);
        WebappSession cockpit = WebappSession.login(port, "cockpit", operator, Fixtures.PASSWORD);
        List<String> operatorsOnly = List.of(
                "/camunda/api/cockpit/plugin/base/default/process-definition/statistics",
                "/camunda/api/cockpit/plugin/base/default/incident/count",
                "/camunda/api/admin/plugin/adminPlugins/default/metrics/sum",
                "/camunda/api/tasklist/plugin/tasklistPlugins/default/anything");

        for (String path : operatorsOnly) {
            Http.Response refused = party.get(path);
            assertThat(refused.status()).as(path).isEqualTo(403);
            assertThat(refused.text()).as(path).contains(REFUSED);
            Http.Response operators = cockpit.get(path);
            assertThat(operators.status()).as(path + ": " + operators.text()).isNotIn(401, 403);
        }
        for (String script : List.of("/camunda/api/tasklist/plugin/tasklistPlugins/static/app/plugin.js",
                "/camunda/api/cockpit/plugin/cockpitPlugins/static/app/plugin.js")) {
            assertThat(party.get(script).status()).as(script).isEqualTo(200);
        }
        assertThat(party.get("/camunda/api/admin/auth/user/default").status()).isEqualTo(200);
    }

    @Test
    void theReadmeShowsTheAllowListOfTheCode() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains(EngineApiAllowList.markdownTable());
    }

    /** The same operation under other spellings, and spellings that the firewall refuses. */
    private static List<Variant> variants(String prefix, Operation operation, boolean namedEngine) {
        String path = operation.path(null);
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("as is", Kind.SAME_OPERATION, prefix + path));
        variants.add(new Variant("with a trailing /", Kind.SAME_OPERATION, prefix + path + "/"));
        if (namedEngine) {
            variants.add(new Variant("on the named engine", Kind.SAME_OPERATION, prefix + "/engine/default" + path));
        }
        String first = path.substring(1, 2);
        variants.add(new Variant("with an encoded letter", Kind.SAME_OPERATION,
                prefix + "/%" + String.format("%02X", (int) first.charAt(0)) + path.substring(2)));
        String upper = path.toUpperCase(Locale.ROOT);
        variants.add(new Variant("in upper case", Kind.OTHER_CASE, prefix + upper, allowedAsIs(operation.method(), upper)));
        int last = path.lastIndexOf('/') + 1;
        String capitalised = path.substring(0, last) + path.substring(last, last + 1).toUpperCase(Locale.ROOT) + path.substring(last + 1);
        variants.add(new Variant("with its last segment capitalised", Kind.OTHER_CASE, prefix + capitalised,
                allowedAsIs(operation.method(), capitalised)));
        String full = prefix + path;
        for (int slash = full.indexOf('/', 1); slash > 0; slash = full.indexOf('/', slash + 1)) {
            variants.add(new Variant(";x before /" + slash, Kind.FIREWALL, full.substring(0, slash) + ";x" + full.substring(slash)));
            variants.add(new Variant("%2F at " + slash, Kind.FIREWALL, full.substring(0, slash) + "%2F" + full.substring(slash + 1)));
            variants.add(new Variant("// at " + slash, Kind.FIREWALL, full.substring(0, slash) + "/" + full.substring(slash)));
        }
        variants.add(new Variant(";x at the end", Kind.FIREWALL, full + ";x"));
        variants.add(new Variant("an encoded letter in the API's prefix", Kind.FIREWALL, "/%" + String.format("%02X", (int) prefix.charAt(1))
                + prefix.substring(2) + path));
        return variants;
    }

    /** Whether this exact path is a call of the allow-list: the code's own table, for spellings the description does not list. */
    private static boolean allowedAsIs(String method, String path) {
        return EngineApiAllowList.permits(method, EngineApiAllowList.enginePath(path), null);
    }

    interface Sender {
        Http.Response send(Call call) throws Exception;
    }

    /** Sends every call (a few at a time, as clients would) and returns what each answered wrongly. */
    private List<String> run(List<Call> calls, Sender sender) throws Exception {
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (Call call : calls) {
                sent.add(pool.submit(() -> {
                    Http.Response response = sender.send(call);
                    String problem = judge(call, response);
                    if (problem != null) {
                        wrong.add(call.method() + " " + call.path() + " (" + call.variant() + "): " + problem);
                    }
                    return null;
                }));
            }
            for (Future<?> each : sent) {
                each.get();
            }
        } finally {
            pool.shutdown();
        }
        if (!engineErrors.isEmpty()) {
            System.out.println("allowed calls the engine answered with 5xx: " + engineErrors.stream().sorted().distinct().toList());
            engineErrors.clear();
        }
        return wrong.stream().sorted().limit(200).toList();
    }

    private String judge(Call call, Http.Response response) {
        int status = response.status();
        String text = response.text();
        boolean refusedHere = status == 403 && text.contains(REFUSED) || status == 401 && text.contains("Sign in with HTTP Basic")
                || status == 400 && text.contains("canonical form");
        if (call.kind() == Kind.FIREWALL) {
            return status == 400 ? null : "expected the firewall's 400, got " + status + " " + abbreviate(text);
        }
        if (call.expectRefused() && call.anotherAllowedCall()) {
            return status >= 200 && status < 300 || status >= 500 ? "another call's spelling answered " + status : null;
        }
        if (call.expectRefused()) {
            return status == 403 && text.contains(REFUSED) ? null : "expected 403 from the allow-list, got " + status + " " + abbreviate(text);
        }
        if (call.kind() == Kind.OTHER_CASE) {
            return null; // another spelling of an allowed operation: refused here or answered by the engine
        }
        if (status >= 500) {
            engineErrors.add(call.method() + " " + call.path() + " " + status);
        }
        return refusedHere ? "allowed, but refused by the security layer: " + status + " " + abbreviate(text) : null;
    }

    private Http.Response basic(String user, String method, String path) throws Exception {
        String token = Base64.getEncoder().encodeToString((user + ":" + Fixtures.PASSWORD).getBytes(StandardCharsets.UTF_8));
        String json = body(method);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Basic " + token).header("Accept", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Http.Response(response.statusCode(), response.body(), response.headers());
    }

    private static String body(String method) {
        return Set.of("POST", "PUT", "PATCH", "DELETE").contains(method) ? "{}" : null;
    }

    private static String abbreviate(String text) {
        return text.length() > 160 ? text.substring(0, 160) + "…" : text;
    }
}
