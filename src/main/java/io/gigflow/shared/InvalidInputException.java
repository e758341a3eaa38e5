package io.gigflow.shared;

import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.BadUserRequestException;

/**
 * Input that breaks a rule. It extends the engine's {@link BadUserRequestException} so that
 * a start through /engine-rest that fails validation answers 400 with this message, and the
 * domain API turns the field list into an RFC 9457 problem.
 */
public class InvalidInputException extends BadUserRequestException {

    private final List<FieldErrors.FieldError> errors;

    public InvalidInputException(String what, List<FieldErrors.FieldError> errors) {
        super(what + ": " + errors.stream().map(Object::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public static InvalidInputException of(String what, String field, String rule, String message) {
        return new InvalidInputException(what, List.of(new FieldErrors.FieldError(field, rule, message)));
    }

    public List<FieldErrors.FieldError> errors() {
        return errors;
    }
}
