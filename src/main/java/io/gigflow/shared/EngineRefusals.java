package io.gigflow.shared;

import java.util.List;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;

/**
 * The engine's refusals of what a caller sent, which its APIs answer with 500 as if the server
 * had failed: a variable it will not store (a Java-serialized object, an Object value it has
 * no serializer for), a BPMN error or escalation that no step of the process catches (thrown
 * on a user task), a start or modification instruction naming an element the process does not
 * have (Camunda's own {@link BadUserRequestException}, which its REST API wraps into a 500 on a
 * start). Each is the caller's mistake, and nothing was changed: the command rolled back.
 */
final class EngineRefusals {

    /** Message codes of refusals the engine throws as a plain {@link ProcessEngineException}. */
    private static final List<String> CODES = List.of(
            "ENGINE-17007", // Cannot set variable ...: Java serialization format is prohibited
            "ENGINE-02042", // ... throws an error event with errorCode ..., but no error handler was defined
            "ENGINE-02043"); // ... throws an escalation event ..., but no escalation handler was defined

    private EngineRefusals() {
    }

    /** The engine's message when {@code e} (or a cause) is such a refusal; null otherwise. */
    static String of(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadUserRequestException) {
                return cause.getMessage();
            }
            if (cause instanceof ProcessEngineException && cause.getMessage() != null) {
                String message = cause.getMessage();
                if (message.startsWith("Cannot find serializer for value") || CODES.stream().anyMatch(message::startsWith)) {
                    return message;
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }
}
