package io.gigflow.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.FormService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.value.SerializableValue;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * A lifecycle's instance and its open steps, found by business key among the instances of one process
 * (another process may run under the same key: a field assignment's offer does); and a value of a
 * form-variables answer of {@code /engine-rest}; what a step's form shows through the Java API.
 */
public record OpenSteps(RuntimeService runtime, TaskService tasks, String processDefinitionKey) {

    public String instance(String businessKey) {
        return runtime.createProcessInstanceQuery().processDefinitionKey(processDefinitionKey).processInstanceBusinessKey(businessKey)
                .singleResult().getId();
    }

    public String step(String businessKey, String taskDefinitionKey) {
        return tasks.createTaskQuery().processInstanceId(instance(businessKey)).taskDefinitionKey(taskDefinitionKey).singleResult().getId();
    }

    /** The value of one form variable in an answer of {@code GET task/{id}/form-variables}; null when absent or null. */
    public static String formValue(JsonNode formVariables, String name) {
        return formVariables.path(name).path("value").asText(null);
    }

    /**
     * What the form of {@code taskId} shows, as the engine hands it to a form (its form variables and the
     * facts read from the rows), by field key: a select's choices as their JSON.
     */
    public static Map<String, Object> form(FormService forms, String taskId) {
        VariableMap variables = forms.getTaskFormVariables(taskId, null, false);
        Map<String, Object> shown = new HashMap<>();
        for (String name : variables.keySet()) {
            TypedValue value = variables.getValueTyped(name);
            shown.put(name, value instanceof SerializableValue serializable && !serializable.isDeserialized()
                    ? serializable.getValueSerialized() : value.getValue());
        }
        return shown;
    }
}
