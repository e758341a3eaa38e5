package io.gigflow.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.ProcessInputs;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * For every human step, start and message of every deployed process: planting any variable that
 * the process reads (in an expression, an input parameter, a form, or as a declared input of
 * another step, start or message) beside the step's own inputs is refused, naming the variable,
 * by the same check the engine runs for every door. Only the step's own form fields and declared
 * inputs get through, and the step's listener validates their values.
 */
// no job executor: this test runs nothing, and on a database shared with other tests (CI's PostgreSQL
// stage) a running one would take the other tests' jobs
@SpringBootTest(properties = "camunda.bpm.job-execution.enabled=false")
@ActiveProfiles("test")
class PlantedVariablesTest {

    private static final Pattern EXPRESSION_NAME = Pattern.compile("(?<![.\\w'\"])([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern GET_VARIABLE = Pattern.compile("getVariable(?:Local|Typed)?\\(\\s*'([^']*)'");

    @Autowired RepositoryService repositoryService;
    @Autowired EngineInputGuardPlugin plugin;
    @Autowired List<ProcessInputs> declarations;

    @TestFactory
    Stream<DynamicTest> everyStepStartAndMessageRefusesEveryPlantedVariable() throws IOException {
        EngineInputGuard guard = plugin.guard();
        List<DynamicTest> tests = new ArrayList<>();
        for (ProcessDefinition definition : repositoryService.createProcessDefinitionQuery().latestVersion().list()) {
            BpmnModelInstance model = repositoryService.getBpmnModelInstance(definition.getId());
            Set<String> planted = readBy(model, definition);
            for (UserTask step : model.getModelElementsByType(UserTask.class)) {
                tests.add(dynamicTest(definition.getKey() + " " + step.getId(), () -> {
                    Set<String> own = guard.stepInputs(definition.getId(), step.getId());
                    assertRefused(own, planted, "step " + step.getId());
                }));
            }
            tests.add(dynamicTest(definition.getKey() + " start", () ->
                    assertRefused(guard.startInputs(definition.getId()), planted, "process " + definition.getKey())));
            declarations.stream().filter(d -> d.processKey().equals(definition.getKey()))
                    .flatMap(d -> d.messages().keySet().stream())
                    .forEach(message -> tests.add(dynamicTest(definition.getKey() + " message " + message, () ->
                            assertRefused(guard.messageInputs(message), planted, "message " + message))));
        }
        assertThat(tests).as("deployed processes with steps").hasSizeGreaterThan(20);
        return tests.stream();
    }

    private static void assertRefused(Set<String> own, Set<String> planted, String where) {
        Set<String> foreign = new TreeSet<>(planted);
        foreign.removeAll(own);
        assertThat(foreign).as("variables the process reads that %s does not take", where).isNotEmpty();
        for (String name : foreign) {
            Map<String, Object> call = new java.util.HashMap<>();
            own.forEach(field -> call.put(field, "x"));
            call.put(name, "planted");
            assertThatThrownBy(() -> EngineInputGuard.check(own, call, where)).as(name + " planted at " + where)
                    .isInstanceOf(InvalidInputException.class)
                    .satisfies(e -> assertThat(((InvalidInputException) e).errors())
                            .anySatisfy(error -> assertThat(error.field()).isEqualTo(name)));
        }
        // the step's own inputs alone pass the check (their values are the step's listener's to judge)
        Map<String, Object> ownOnly = new java.util.HashMap<>();
        own.forEach(field -> ownOnly.put(field, "x"));
        EngineInputGuard.check(own, ownOnly, where);
    }

    /**
     * Every variable name the process reads: expressions, input parameters, every form key (shown or filled) and a
     * select's options ({@code valuesKey}), declared inputs.
     */
    private Set<String> readBy(BpmnModelInstance model, ProcessDefinition definition) throws IOException {
        Set<String> names = new HashSet<>();
        try (InputStream xml = repositoryService.getProcessModel(definition.getId())) {
            collectExpressions(new String(xml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), names);
        }
        ObjectMapper json = new ObjectMapper();
        for (String resource : repositoryService.getDeploymentResourceNames(definition.getDeploymentId())) {
            if (resource.endsWith(".form")) {
                try (InputStream in = repositoryService.getResourceAsStream(definition.getDeploymentId(), resource)) {
                    collectFormKeys(json.readTree(in).path("components"), names);
                }
            }
        }
        declarations.forEach(d -> {
            names.addAll(d.startVariables());
            d.messages().values().forEach(names::addAll);
            d.stepInputs().values().forEach(names::addAll);
        });
        names.removeAll(Set.of("execution", "task", "true", "false", "null", "empty", "not", "and", "or", "eq", "ne"));
        return names;
    }

    private static void collectExpressions(String xml, Set<String> names) {
        Matcher expression = Pattern.compile("\\$\\{([^}]*)}").matcher(xml);
        while (expression.find()) {
            String body = expression.group(1).replace("&amp;", "&").replace("&apos;", "'").replace("&quot;", "\"");
            Matcher named = GET_VARIABLE.matcher(body);
            while (named.find()) {
                names.add(named.group(1));
            }
            Matcher identifier = EXPRESSION_NAME.matcher(body.replaceAll("'[^']*'", "''"));
            while (identifier.find()) {
                names.add(identifier.group(1));
            }
        }
        Matcher parameter = Pattern.compile("inputParameter name=\"([^\"]+)\"").matcher(xml);
        while (parameter.find()) {
            names.add(parameter.group(1));
        }
    }

    private static void collectFormKeys(JsonNode components, Set<String> names) {
        for (JsonNode component : components) {
            collectFormKeys(component.path("components"), names);
            if (component.hasNonNull("key")) {
                names.add(component.get("key").asText());
            }
            // a select's options (Choose applicant's applicantOptions) are read by the form too
            if (component.hasNonNull("valuesKey")) {
                names.add(component.get("valuesKey").asText());
            }
        }
    }
}
