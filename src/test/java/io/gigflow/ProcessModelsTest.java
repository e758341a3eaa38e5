package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnDiagram;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.xml.instance.DomElement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * Checks every model in bpmn/ and every form in forms/ against the house rules that a
 * review would otherwise have to catch, and that the engine deployed them. Each file is
 * its own group of tests, named after the file. An empty bpmn/ folder is reported as a
 * skipped test, not a failure: the models are added independently of this test.
 */
@SpringBootTest
@ActiveProfiles("test")
class ProcessModelsTest {

    private static final String CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn";
    private static final Path PROJECT_DIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path BPMN_DIR = PROJECT_DIR.resolve("bpmn");
    private static final Path FORMS_DIR = PROJECT_DIR.resolve("forms");

    /** `${beanName}`: the only delegate expression form that names a bean and nothing else. */
    private static final Pattern BEAN_EXPRESSION = Pattern.compile("^\\$\\{\\s*([A-Za-z_$][A-Za-z0-9_$]*)\\s*}$");

    /**
     * Ids the Camunda Modeler generates: a type name and seven random base-36 characters
     * (Activity_0x1y2z3, Flow_1abcdef), and the placeholders of a new diagram.
     */
    private static final Pattern GENERATED_ID = Pattern.compile(
            "(Activity|Task|UserTask|ServiceTask|SendTask|ReceiveTask|ScriptTask|BusinessRuleTask|ManualTask"
                    + "|CallActivity|SubProcess|Gateway|ExclusiveGateway|ParallelGateway|InclusiveGateway"
                    + "|EventBasedGateway|ComplexGateway|Event|StartEvent|EndEvent|BoundaryEvent"
                    + "|IntermediateCatchEvent|IntermediateThrowEvent|Flow|SequenceFlow|MessageFlow|Process"
                    + "|Definitions|Collaboration|Participant|Lane|Message|Error|Signal|Escalation|DataObject"
                    + "|DataObjectReference|DataStoreReference|TextAnnotation|Association|Group)_[0-9a-z]{7}"
                    + "|(StartEvent|Process|Definitions|Collaboration)_1");

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    ApplicationContext applicationContext;

    @Autowired
    RepositoryService repositoryService;

    @TestFactory
    Stream<DynamicNode> processModels() {
        List<Path> models = files(BPMN_DIR, ".bpmn");
        if (models.isEmpty()) {
            return Stream.of(dynamicTest("no models in bpmn/ yet",
                    () -> Assumptions.abort("bpmn/ holds no .bpmn files (looked in " + BPMN_DIR + ")")));
        }
        Map<String, Path> formIds = formIds();
        return models.stream().map(file -> modelTests(file, formIds));
    }

    @TestFactory
    Stream<DynamicNode> forms() {
        List<Path> forms = files(FORMS_DIR, ".form");
        if (forms.isEmpty()) {
            return Stream.of(dynamicTest("no forms in forms/ yet",
                    () -> Assumptions.abort("forms/ holds no .form files (looked in " + FORMS_DIR + ")")));
        }
        Stream<DynamicNode> each = forms.stream().map(file -> dynamicTest(name(file) + " is a Camunda form with an id and components", () -> {
            JsonNode form = readForm(file);
            assertThat(form.path("id").asText("")).as("%s: top-level \"id\"", name(file)).isNotBlank();
            assertThat(form.path("components").isArray()).as("%s: top-level \"components\" array", name(file)).isTrue();
        }));
        Stream<DynamicNode> unique = Stream.of(dynamicTest("form ids are unique", () -> {
            Map<String, List<String>> filesById = new LinkedHashMap<>();
            for (Path file : forms) {
                filesById.computeIfAbsent(readForm(file).path("id").asText(""), id -> new ArrayList<>()).add(name(file));
            }
            filesById.values().removeIf(files -> files.size() < 2);
            assertThat(filesById).as("form ids used by more than one file").isEmpty();
        }));
        return Stream.concat(each, unique);
    }

    private DynamicNode modelTests(Path file, Map<String, Path> formIds) {
        String name = name(file);
        Model model = new Model(file);
        return dynamicContainer(name, Stream.of(
                check("parses as BPMN", model, m -> assertThat(m.processIds()).as("%s: processes", name).isNotEmpty()),
                check("is named after one of its processes", model, m -> assertThat(m.processIds())
                        .as("%s: bpmn/<process-key>.bpmn", name)
                        .contains(file.getFileName().toString().replaceFirst("\\.bpmn$", ""))),
                check("every process is executable and has a historyTimeToLive", model, m -> {
                    for (org.camunda.bpm.model.bpmn.instance.Process process : m.processes()) {
                        assertThat(process.isExecutable()).as("%s: process %s isExecutable", name, process.getId()).isTrue();
                        assertThat(process.getCamundaHistoryTimeToLiveString())
                                .as("%s: process %s camunda:historyTimeToLive", name, process.getId()).isNotBlank();
                    }
                }),
                check("every delegateExpression names a bean", model, m -> {
                    List<String> missing = new ArrayList<>();
                    for (DomElement element : m.elementsWithCamundaAttribute("delegateExpression")) {
                        String expression = element.getAttribute(CAMUNDA_NS, "delegateExpression");
                        Matcher bean = BEAN_EXPRESSION.matcher(expression.trim());
                        if (bean.matches() && !applicationContext.containsBean(bean.group(1))) {
                            missing.add(describe(element) + ": " + expression);
                        }
                    }
                    assertThat(missing).as("%s: delegate expressions without a bean of that name", name).isEmpty();
                }),
                check("every formRef names a form in forms/", model, m -> {
                    List<String> missing = new ArrayList<>();
                    for (DomElement element : m.elementsWithCamundaAttribute("formRef")) {
                        String formRef = element.getAttribute(CAMUNDA_NS, "formRef");
                        if (!formRef.contains("${") && !formRef.contains("#{") && !formIds.containsKey(formRef)) {
                            missing.add(describe(element) + ": " + formRef);
                        }
                    }
                    assertThat(missing).as("%s: formRefs without a form of that id (forms: %s)", name, formIds.keySet())
                            .isEmpty();
                }),
                check("has a diagram with every flow node and sequence flow", model, m -> {
                    assertThat(m.instance().getModelElementsByType(BpmnDiagram.class)).as("%s: BPMNDiagram", name).isNotEmpty();
                    Set<String> shapes = m.instance().getModelElementsByType(BpmnShape.class).stream()
                            .filter(shape -> shape.getBpmnElement() != null)
                            .map(shape -> shape.getBpmnElement().getId()).collect(Collectors.toSet());
                    Set<String> edges = m.instance().getModelElementsByType(BpmnEdge.class).stream()
                            .filter(edge -> edge.getBpmnElement() != null)
                            .map(edge -> edge.getBpmnElement().getId()).collect(Collectors.toSet());
                    Set<String> withoutShape = ids(m.instance().getModelElementsByType(FlowNode.class));
                    withoutShape.removeAll(shapes);
                    assertThat(withoutShape).as("%s: flow nodes without a BPMNShape", name).isEmpty();
                    Set<String> withoutEdge = ids(m.instance().getModelElementsByType(SequenceFlow.class));
                    withoutEdge.removeAll(edges);
                    assertThat(withoutEdge).as("%s: sequence flows without a BPMNEdge", name).isEmpty();
                }),
                check("has no Modeler-generated ids", model, m -> {
                    List<String> generated = new ArrayList<>();
                    collectIds(m.instance().getDocument().getRootElement(), id -> {
                        if (GENERATED_ID.matcher(id).matches()) {
                            generated.add(id);
                        }
                    });
                    assertThat(generated).as("%s: generated ids (give them meaningful names, e.g. Task_ReviewTask)", name)
                            .isEmpty();
                }),
                check("is deployed", model, m -> {
                    for (String processId : m.processIds()) {
                        assertThat(repositoryService.createProcessDefinitionQuery().processDefinitionKey(processId).count())
                                .as("%s: deployed process definitions with key %s", name, processId).isPositive();
                    }
                })));
    }

    /** One check of one file; the file's name is on the enclosing container (and in every message). */
    private static DynamicNode check(String what, Model model, Consumer<Model> assertion) {
        return dynamicTest(what, () -> assertion.accept(model));
    }

    // --- helpers -------------------------------------------------------------------------

    /** A parsed model, parsed once per file and shared by that file's checks. */
    private static final class Model {

        private final Path file;
        private BpmnModelInstance instance;
        private Exception failure;

        Model(Path file) {
            this.file = file;
        }

        synchronized BpmnModelInstance instance() {
            if (instance == null && failure == null) {
                try (InputStream in = Files.newInputStream(file)) {
                    instance = Bpmn.readModelFromStream(in);
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw new AssertionError(name(file) + " is not a valid BPMN 2.0 model: " + failure.getMessage(), failure);
            }
            return instance;
        }

        Collection<org.camunda.bpm.model.bpmn.instance.Process> processes() {
            return instance().getModelElementsByType(org.camunda.bpm.model.bpmn.instance.Process.class);
        }

        List<String> processIds() {
            return processes().stream().map(BaseElement::getId).toList();
        }

        List<DomElement> elementsWithCamundaAttribute(String attribute) {
            List<DomElement> found = new ArrayList<>();
            collect(instance().getDocument().getRootElement(), attribute, found);
            return found;
        }

        private static void collect(DomElement element, String attribute, List<DomElement> found) {
            if (element.hasAttribute(CAMUNDA_NS, attribute)) {
                found.add(element);
            }
            for (DomElement child : element.getChildElements()) {
                collect(child, attribute, found);
            }
        }
    }

    private static void collectIds(DomElement element, Consumer<String> ids) {
        if (element.hasAttribute("id")) {
            ids.accept(element.getAttribute("id"));
        }
        for (DomElement child : element.getChildElements()) {
            collectIds(child, ids);
        }
    }

    private static String describe(DomElement element) {
        DomElement named = element;
        while (named != null && !named.hasAttribute("id")) {
            named = named.getParentElement();
        }
        String owner = named == null ? "?" : named.getAttribute("id");
        return element.getLocalName() + (named == element ? " " + owner : " in " + owner);
    }

    private static Set<String> ids(Collection<? extends BaseElement> elements) {
        return elements.stream().map(BaseElement::getId).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Path> formIds() {
        Map<String, Path> ids = new LinkedHashMap<>();
        for (Path file : files(FORMS_DIR, ".form")) {
            try {
                String id = readForm(file).path("id").asText("");
                if (!id.isBlank()) {
                    ids.putIfAbsent(id, file);
                }
            } catch (AssertionError | RuntimeException e) {
                // reported by forms(); here the form just does not count
            }
        }
        return ids;
    }

    private static JsonNode readForm(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(name(file) + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(path -> path.getFileName().toString().endsWith(suffix))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String name(Path file) {
        return PROJECT_DIR.relativize(file.toAbsolutePath()).toString().replace('\\', '/');
    }
}
