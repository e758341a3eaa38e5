package io.gigflow.shared;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.GetTaskFormVariablesCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.camunda.bpm.engine.impl.persistence.entity.TaskEntity;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Adds {@link TaskFormFacts} to a task's form variables: an interceptor in front of the engine's
 * "task form variables" command, which every door reaches (Tasklist's
 * {@code /camunda/api/engine/.../task/{id}/form-variables}, the same call on {@code /engine-rest},
 * the Java API). The engine runs the command first, with its own checks (the person must be
 * allowed to read the task's variables); the facts, read in a transaction of their own, are
 * added to its answer afterwards, limited to the names the caller asked for when it named any.
 */
@Component
class TaskFormFactsPlugin extends AbstractProcessEnginePlugin {

    private final ObjectProvider<TaskFormFacts> providers;
    private volatile Map<String, TaskFormFacts> byKey;

    TaskFormFactsPlugin(ObjectProvider<TaskFormFacts> providers) {
        this.providers = providers;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        EngineInterceptors.appendPre(configuration, new Adding(configuration));
    }

    /** The providers by process definition key, found once the application's beans exist. */
    private Map<String, TaskFormFacts> byKey() {
        Map<String, TaskFormFacts> found = byKey;
        if (found == null) {
            Map<String, TaskFormFacts> map = new HashMap<>();
            providers.orderedStream().forEach(provider -> provider.processDefinitionKeys().forEach(key -> {
                if (map.put(key, provider) != null) {
                    throw new IllegalStateException("two providers of form facts for process " + key);
                }
            }));
            found = Map.copyOf(map);
            byKey = found;
        }
        return found;
    }

    private final class Adding extends CommandInterceptor {

        private final ProcessEngineConfigurationImpl configuration;

        Adding(ProcessEngineConfigurationImpl configuration) {
            this.configuration = configuration;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T execute(Command<T> command) {
            if (!(command instanceof GetTaskFormVariablesCmd formVariables) || Context.getCommandContext() != null) {
                return next.execute(command);
            }
            T answer = next.execute(command);
            if (!(answer instanceof VariableMap variables) || byKey().isEmpty()) {
                return answer;
            }
            // the engine answered, so the task exists and the person may read it; its row decides what the form shows
            Map<String, ?> facts = configuration.getCommandExecutorTxRequired().execute(context -> {
                TaskEntity task = context.getTaskManager().findTaskById(formVariables.resourceId);
                if (task == null || task.getProcessDefinitionId() == null) {
                    return null;
                }
                String key = context.getProcessEngineConfiguration().getDeploymentCache()
                        .findDeployedProcessDefinitionById(task.getProcessDefinitionId()).getKey();
                TaskFormFacts provider = byKey().get(key);
                return provider == null ? null : provider.facts(new TaskFormFacts.Step(
                        task.getProcessInstance().getRootProcessInstanceId(), task.getTaskDefinitionKey(),
                        name -> task.getExecution().getVariable(name)));
            });
            if (facts == null) {
                return answer;
            }
            Collection<String> asked = formVariables.formVariableNames;
            VariableMap shown = Variables.fromMap(variables);
            facts.forEach((name, value) -> {
                if (asked == null || asked.isEmpty() || asked.contains(name)) {
                    shown.putValueTyped(name, value instanceof TypedValue typed ? typed : value == null || value instanceof String
                            ? Variables.stringValue((String) value) : Variables.untypedValue(value));
                }
            });
            return (T) shown;
        }
    }
}
