package io.gigflow.shared;

import java.util.Map;
import java.util.Set;

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
     * The facts the form of the step {@code taskDefinitionKey} shows, by field key (a {@code null} value
     * shows an empty field; a text, or a number for a number field); empty when the row is gone.
     * {@code processInstanceId} is the instance whose row it is: the task's own, or for a step of a
     * process that another one called, the instance at the top of the calls.
     */
    Map<String, ?> facts(String processInstanceId, String taskDefinitionKey);
}
