package io.gigflow.shared;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a human step's form shows, read from the domain row each time the form is opened rather
 * than written into the engine when the step opens. A lifecycle implements this for its process
 * definitions; {@link TaskFormFactsPlugin} adds the facts to the task's form variables (what
 * Tasklist loads for a Camunda Form, through {@code GET task/{id}/form-variables}) after the
 * engine has checked that the person may read them. A fact replaces an instance variable of the
 * same name, so nothing a completion wrote can change what the form shows; and a fact costs no
 * variable, no history and no write while the step is open.
 */
public interface TaskFormFacts {

    /** The keys of the process definitions whose tasks this describes. */
    Set<String> processDefinitionKeys();

    /**
     * The facts the form of {@code step} shows, by field key (a {@code null} value shows an empty field; a
     * text, a number for a number field, or a typed value such as a select's {@link FormOptions}); empty
     * when the row is gone. Runs in a transaction of the engine, as the person who opened the form.
     */
    Map<String, ?> facts(Step step);

    /**
     * The step whose form is opened.
     *
     * @param processInstanceId the instance whose row it is: the task's own, or for a step of a process that
     *        another one called, the instance at the top of the calls
     * @param taskDefinitionKey the step's id in its model
     * @param scope a variable as the step's execution sees it (its own scope, then the scopes around it), for the
     *        few names only the process writes that tell which of several rows the step is about (a question's
     *        id); never a value to show
     */
    record Step(String processInstanceId, String taskDefinitionKey, Function<String, Object> scope) {

        public Object variable(String name) {
            return scope.apply(name);
        }
    }
}
