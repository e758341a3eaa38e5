package io.gigflow.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;

/**
 * A lifecycle's instance and its open steps, found by business key among the instances of one process
 * (another process may run under the same key: a field assignment's offer does); and a value of a
 * form-variables answer of {@code /engine-rest}.
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
}
