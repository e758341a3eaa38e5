package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gigflow.shared.ProcessInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.CatchEvent;
import org.camunda.bpm.model.bpmn.instance.ConditionExpression;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.camunda.CamundaExecutionListener;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * What decides who acts, when a timer fires and which way a process goes never reads a value a
 * party can write. A party writes the start variables, the messages' variables and the fields of
 * the forms it fills in (and the steps' declared extra inputs): for every process in bpmn/, no
 * assignee, candidate group or user, due or follow-up date, timer or condition expression may read
 * one of those, and every message catch event has a listener that checks who sent it.
 */
@SpringBootTest
@ActiveProfiles("test")
class UntrustedVariablesTest {

    private static final Path PROJECT_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Pattern EXPRESSION = Pattern.compile("[$#]\\{(.*?)}", Pattern.DOTALL);
    private static final Pattern GET_VARIABLE = Pattern.compile("getVariable(?:Local|Typed)?\\(\\s*'([^']*)'");
    private static final Pattern STRING = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern ROOT_IDENTIFIER = Pattern.compile("(?<![.\\w])([A-Za-z_][A-Za-z0-9_]*)");
    private static final Set<String> EL_WORDS = Set.of("true", "false", "null", "empty", "not", "and", "or", "eq", "ne", "lt",
            "gt", "le", "ge", "div", "mod", "instanceof");

    @Autowired
    List<ProcessInputs> declarations;

    @TestFactory
    Stream<DynamicTest> noRoutingTimerOrAssignmentReadsWhatAPartyWrites() throws IOException {
        Map<String, ProcessInputs> byKey = new HashMap<>();
        declarations.forEach(d -> byKey.put(d.processKey(), d));
        Map<String, Set<String>> formFields = formFields();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : bpmnFiles()) {
            BpmnModelInstance model = Bpmn.readModelFromFile(file.toFile());
            for (Process process : model.getModelElementsByType(Process.class)) {
                Set<String> writable = writable(model, byKey.get(process.getId()), formFields);
                tests.add(dynamicTest(process.getId() + ": decisions read nothing a party writes", () -> {
                    Map<String, Set<String>> offending = new LinkedHashMap<>();
                    decidingExpressions(model).forEach((where, expression) -> {
                        Set<String> read = new TreeSet<>(reads(expression));
                        read.retainAll(writable);
                        if (!read.isEmpty()) {
                            offending.put(where + " " + expression, read);
                        }
                    });
                    assertThat(offending).as("expressions of %s that read variables a start, message or form may write (%s)",
                            file.getFileName(), new TreeSet<>(writable)).isEmpty();
                }));
                tests.add(dynamicTest(process.getId() + ": every message catch event checks its sender", () -> {
                    List<String> unchecked = new ArrayList<>();
                    for (CatchEvent event : model.getModelElementsByType(CatchEvent.class)) {
                        boolean message = event.getEventDefinitions().stream().anyMatch(MessageEventDefinition.class::isInstance);
                        boolean listened = event.getExtensionElements() != null && !event.getExtensionElements()
                                .getElementsQuery().filterByType(CamundaExecutionListener.class).list().isEmpty();
                        if (message && !listened) {
                            unchecked.add(event.getId());
                        }
                    }
                    assertThat(unchecked).as("message catch events of %s without an execution listener", file.getFileName()).isEmpty();
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> theVariableReaderFindsWhatAnExpressionReads() {
        return Stream.of(
                dynamicTest("a plain variable", () -> assertThat(reads("${companyId}")).containsExactly("companyId")),
                dynamicTest("a comparison", () -> assertThat(reads("${decision == 'ACCEPT'}")).containsExactly("decision")),
                dynamicTest("a bean method on the execution",
                        () -> assertThat(reads("${orderTimers.confirmationTimeout(execution)}"))
                                .containsExactlyInAnyOrder("orderTimers", "execution")),
                dynamicTest("a variable named in getVariable", () -> assertThat(reads("${execution.getVariable('lastQuestionId') != null}"))
                        .containsExactlyInAnyOrder("execution", "lastQuestionId")),
                dynamicTest("two variables", () -> assertThat(reads("${itemLeft && !clientTask}"))
                        .containsExactlyInAnyOrder("itemLeft", "clientTask")));
    }

    /** The root identifiers an expression resolves (variables, or beans a variable of that name would shadow). */
    static Set<String> reads(String text) {
        Set<String> names = new TreeSet<>();
        Matcher expression = EXPRESSION.matcher(text);
        while (expression.find()) {
            String body = expression.group(1);
            Matcher named = GET_VARIABLE.matcher(body);
            while (named.find()) {
                names.add(named.group(1));
            }
            Matcher identifier = ROOT_IDENTIFIER.matcher(STRING.matcher(body).replaceAll("''"));
            while (identifier.find()) {
                if (!EL_WORDS.contains(identifier.group(1))) {
                    names.add(identifier.group(1));
                }
            }
        }
        return names;
    }

    private static Set<String> writable(BpmnModelInstance model, ProcessInputs declared, Map<String, Set<String>> formFields) {
        Set<String> writable = new TreeSet<>();
        if (declared != null) {
            writable.addAll(declared.startVariables());
            declared.messages().values().forEach(writable::addAll);
            declared.stepInputs().values().forEach(writable::addAll);
        }
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            writable.addAll(formFields.getOrDefault(task.getCamundaFormRef(), Set.of()));
        }
        for (StartEvent start : model.getModelElementsByType(StartEvent.class)) {
            writable.addAll(formFields.getOrDefault(start.getCamundaFormRef(), Set.of()));
        }
        return writable;
    }

    /** Element and expression of everything that decides who, when or which way. */
    private static Map<String, String> decidingExpressions(BpmnModelInstance model) {
        Map<String, String> found = new LinkedHashMap<>();
        for (UserTask task : model.getModelElementsByType(UserTask.class)) {
            put(found, task.getId() + " assignee", task.getCamundaAssignee());
            put(found, task.getId() + " candidateGroups", task.getCamundaCandidateGroups());
            put(found, task.getId() + " candidateUsers", task.getCamundaCandidateUsers());
            put(found, task.getId() + " dueDate", task.getCamundaDueDate());
            put(found, task.getId() + " followUpDate", task.getCamundaFollowUpDate());
            put(found, task.getId() + " priority", task.getCamundaPriority());
        }
        for (TimerEventDefinition timer : model.getModelElementsByType(TimerEventDefinition.class)) {
            String where = ((ModelElementInstance) timer.getParentElement()).getAttributeValue("id") + " timer";
            if (timer.getTimeDate() != null) {
                put(found, where, timer.getTimeDate().getTextContent());
            }
            if (timer.getTimeDuration() != null) {
                put(found, where, timer.getTimeDuration().getTextContent());
            }
            if (timer.getTimeCycle() != null) {
                put(found, where, timer.getTimeCycle().getTextContent());
            }
        }
        for (SequenceFlow flow : model.getModelElementsByType(SequenceFlow.class)) {
            ConditionExpression condition = flow.getConditionExpression();
            if (condition != null) {
                put(found, flow.getId() + " condition", condition.getTextContent());
            }
        }
        return found;
    }

    private static void put(Map<String, String> found, String where, String expression) {
        if (expression != null && expression.contains("{")) {
            found.put(where, expression.strip());
        }
    }

    private static Map<String, Set<String>> formFields() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Set<String>> fields = new HashMap<>();
        try (Stream<Path> files = Files.list(PROJECT_DIR.resolve("forms"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".form")).toList()) {
                JsonNode form = json.readTree(file.toFile());
                Set<String> keys = new TreeSet<>();
                collect(form.path("components"), keys);
                fields.put(form.path("id").asText(), keys);
            }
        }
        return fields;
    }

    private static void collect(JsonNode components, Set<String> keys) {
        for (JsonNode component : components) {
            collect(component.path("components"), keys);
            String key = component.path("key").asText("");
            if (!key.isEmpty() && !"text".equals(component.path("type").asText()) && !component.path("disabled").asBoolean(false)
                    && !component.path("readonly").asBoolean(false)) {
                keys.add(key.contains(".") ? key.substring(0, key.indexOf('.')) : key);
            }
        }
    }

    private static List<Path> bpmnFiles() {
        try (Stream<Path> files = Files.list(PROJECT_DIR.resolve("bpmn"))) {
            return files.filter(f -> f.toString().endsWith(".bpmn")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
