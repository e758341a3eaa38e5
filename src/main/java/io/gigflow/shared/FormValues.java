package io.gigflow.shared;

import java.util.Objects;
import org.camunda.bpm.engine.delegate.VariableScope;

/**
 * The values a step's form shows, written by the platform from the domain row when the step
 * opens. A value that is already there as the row has it is left alone: every write of a
 * variable is an update and a history entry, and most steps open on values that have not
 * changed since the last one.
 */
public final class FormValues {

    private FormValues() {
    }

    public static void show(VariableScope scope, String name, Object value) {
        if (!scope.hasVariable(name) || !Objects.equals(scope.getVariable(name), value)) {
            scope.setVariable(name, value);
        }
    }
}
