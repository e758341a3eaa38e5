package io.gigflow.shared;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * What the outside may write into one process: the documented start variables, the documented
 * messages with their variables, and, per human step, the inputs it takes beyond the fields its
 * Camunda Form declares (a step without a form takes only these). Each lifecycle publishes one
 * bean of this type; the engine's input guard refuses every other variable a non-operator sends
 * through any door (Tasklist, /engine-rest, /api), so a variable that nobody declared can only
 * have been written by the process itself.
 *
 * <p>Who may send a message is not declared here: every message catch event has a listener that
 * checks the sender against the domain row (the lifecycle's guard), whichever door it came by.
 */
public record ProcessInputs(String processKey, Set<String> startVariables, boolean startReadOnce, Map<String, Set<String>> messages,
        Map<String, Set<String>> stepInputs) {

    public ProcessInputs {
        startVariables = Set.copyOf(startVariables);
        messages = Map.copyOf(messages);
        stepInputs = Map.copyOf(stepInputs);
    }

    public static Builder of(String processKey) {
        return new Builder(processKey);
    }

    /** The variables a message may carry, or empty when this process takes no such message from outside. */
    public Optional<Set<String>> messageVariables(String messageName) {
        return Optional.ofNullable(messages.get(messageName));
    }

    /**
     * Start values as transient variables ({@link Builder#startReadOnce}): the engine hands them to the start's
     * first step and stores neither them nor their history. Plain values only (the input guard checks them first):
     * a typed value gives its value, which for a primitive deserializes nothing.
     */
    public static VariableMap readOnce(Map<String, ?> values) {
        VariableMap transientValues = Variables.createVariables();
        if (values != null) {
            values.keySet().forEach(name -> {
                Object value = values instanceof VariableMap typed ? typed.getValueTyped(name) : values.get(name);
                transientValues.putValueTyped(name, Variables.untypedValue(value instanceof TypedValue t ? t.getValue() : value, true));
            });
        }
        return transientValues;
    }

    /** The inputs a step takes beyond its form's fields (none when not declared). */
    public Set<String> extraStepInputs(String taskDefinitionKey) {
        return stepInputs.getOrDefault(taskDefinitionKey, Set.of());
    }

    public static final class Builder {

        private final String processKey;
        private Set<String> start = Set.of();
        private boolean readOnce;
        private final Map<String, Set<String>> messages = new LinkedHashMap<>();
        private final Map<String, Set<String>> steps = new LinkedHashMap<>();

        private Builder(String processKey) {
            this.processKey = processKey;
        }

        public Builder start(String... variables) {
            this.start = Set.of(variables);
            return this;
        }

        /**
         * Start variables that the process's first step reads once, in the start's own transaction, and keeps
         * in the domain row: the engine takes them as transient variables whichever door they came by, so it
         * writes no variable and no history for them (and the step has nothing to remove).
         */
        public Builder startReadOnce(String... variables) {
            this.start = Set.of(variables);
            this.readOnce = true;
            return this;
        }

        public Builder message(String name, String... variables) {
            messages.put(name, Set.of(variables));
            return this;
        }

        public Builder step(String taskDefinitionKey, String... inputs) {
            steps.put(taskDefinitionKey, Set.of(inputs));
            return this;
        }

        public ProcessInputs build() {
            return new ProcessInputs(processKey, start, readOnce, messages, steps);
        }
    }
}
