package io.gigflow.shared;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * A start form whose choices depend on who opens it. Tasklist loads a start form's Camunda Form
 * and no variables (there is no instance yet), so a select on it can offer only the choices the
 * form itself lists. A lifecycle that wants a select of, say, the assignments the person may act
 * on implements this: {@link PersonalStartForms} hands it every deployed start form with one of
 * its ids, as the engine returns it to the signed-in person, to fill in for that person. What the
 * person then submits is checked by the lifecycle as before: the choices are a convenience, never
 * a permission.
 */
public interface PersonalStartForm {

    /** The ids of the Camunda Forms this fills (a form's {@code "id"}, which a start event's {@code camunda:formRef} names). */
    Set<String> formIds();

    /**
     * Fills {@code form} (the deployed form, a fresh copy) in place for {@code userId}, the person
     * who asked for it ({@code null} when nobody is signed in: then it offers nothing).
     */
    void fill(String formId, ObjectNode form, String userId);
}
