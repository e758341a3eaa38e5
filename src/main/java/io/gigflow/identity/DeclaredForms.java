package io.gigflow.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.camunda.bpm.engine.impl.interceptor.CommandContext;
import org.camunda.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.camunda.bpm.engine.impl.persistence.entity.ResourceEntity;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.UserTask;

/**
 * The fields a person may fill in on a step's or a start's Camunda Form, read from the form the
 * deployment holds (the one Tasklist shows): every component with a key that is an input and is
 * not disabled or read-only. Texts, and the disabled fields that only show the step's facts,
 * are not inputs. Remembered per process definition and element, since deployments never change.
 */
final class DeclaredForms {

    /** Form components that show something and take no input. */
    private static final Set<String> NOT_INPUTS = Set.of("text", "html", "image", "spacer", "separator", "button", "iframe",
            "table", "documentPreview");

    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Set<String>> fieldsByElement = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Set<String>>> formsByDeployment = new ConcurrentHashMap<>();

    Set<String> taskFields(CommandContext context, String processDefinitionId, String taskDefinitionKey) {
        return fieldsByElement.computeIfAbsent(processDefinitionId + "\n" + taskDefinitionKey, key -> {
            ProcessDefinitionEntity definition = definition(context, processDefinitionId);
            BpmnModelInstance model = model(context, definition);
            UserTask task = model == null ? null : model.getModelElementById(taskDefinitionKey);
            return task == null ? Set.of() : form(context, definition, task.getCamundaFormRef());
        });
    }

    Set<String> startFields(CommandContext context, String processDefinitionId) {
        return fieldsByElement.computeIfAbsent(processDefinitionId + "\nstart", key -> {
            ProcessDefinitionEntity definition = definition(context, processDefinitionId);
            BpmnModelInstance model = model(context, definition);
            if (model == null) {
                return Set.of();
            }
            Set<String> fields = new HashSet<>();
            for (StartEvent start : model.getModelElementsByType(StartEvent.class)) {
                // only the process's own start event has a start form; an event subprocess's has none
                if (start.getParentElement() instanceof org.camunda.bpm.model.bpmn.instance.Process) {
                    fields.addAll(form(context, definition, start.getCamundaFormRef()));
                }
            }
            return Set.copyOf(fields);
        });
    }

    private static ProcessDefinitionEntity definition(CommandContext context, String processDefinitionId) {
        return context.getProcessEngineConfiguration().getDeploymentCache().findDeployedProcessDefinitionById(processDefinitionId);
    }

    private static BpmnModelInstance model(CommandContext context, ProcessDefinitionEntity definition) {
        return definition == null ? null
                : context.getProcessEngineConfiguration().getDeploymentCache().findBpmnModelInstanceForProcessDefinition(definition);
    }

    private Set<String> form(CommandContext context, ProcessDefinitionEntity definition, String formRef) {
        if (formRef == null || definition == null) {
            return Set.of();
        }
        Map<String, Set<String>> forms = formsByDeployment.computeIfAbsent(definition.getDeploymentId(), deploymentId -> {
            Map<String, Set<String>> found = new HashMap<>();
            for (ResourceEntity resource : context.getResourceManager().findResourcesByDeploymentId(deploymentId)) {
                if (resource.getName() != null && resource.getName().endsWith(".form")) {
                    JsonNode form = parse(resource.getBytes());
                    if (form != null && form.hasNonNull("id")) {
                        Set<String> fields = new HashSet<>();
                        collect(form.path("components"), fields);
                        found.put(form.get("id").asText(), Set.copyOf(fields));
                    }
                }
            }
            return Map.copyOf(found);
        });
        // a form the deployment does not hold takes nothing: the step then takes only its declared inputs
        return forms.getOrDefault(formRef, Set.of());
    }

    private static void collect(JsonNode components, Set<String> fields) {
        for (JsonNode component : components) {
            if (component.has("components")) {
                collect(component.get("components"), fields);
            }
            String key = component.path("key").asText(null);
            if (key == null || key.isBlank() || NOT_INPUTS.contains(component.path("type").asText())
                    || component.path("disabled").asBoolean(false) || component.path("readonly").asBoolean(false)) {
                continue;
            }
            // a dotted key ("address.street") is submitted as the variable named by its first part
            int dot = key.indexOf('.');
            fields.add(dot < 0 ? key : key.substring(0, dot));
        }
    }

    private JsonNode parse(byte[] bytes) {
        try {
            return bytes == null ? null : json.readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException notJson) {
            return null;
        }
    }
}
