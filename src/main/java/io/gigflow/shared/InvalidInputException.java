package io.gigflow.shared;

import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * Input that breaks a rule. The domain API turns the field list into an RFC 9457 problem.
 * It extends the engine's form validation exception because that is the one exception the
 * engine REST API answers with 400 (and this message) on a process start and on a task
 * completion; any other exception thrown by a start step becomes a 500 there.
 */
public class InvalidInputException extends FormFieldValidationException {

    private final List<FieldErrors.FieldError> errors;

    public InvalidInputException(String what, List<FieldErrors.FieldError> errors) {
        super(errors.isEmpty() ? what : errors.get(0).field(),
                what + ": " + errors.stream().map(Object::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public static InvalidInputException of(String what, String field, String rule, String message) {
        return new InvalidInputException(what, List.of(new FieldErrors.FieldError(field, rule, message)));
    }

    public List<FieldErrors.FieldError> errors() {
        return errors;
    }
}
