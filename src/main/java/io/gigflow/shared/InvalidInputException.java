package io.gigflow.shared;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.impl.form.validator.FormFieldValidationException;

/**
 * Input that breaks a rule. The domain API turns the field list into an RFC 9457 problem.
 * It extends the engine's form validation exception because that is the one exception the
 * engine REST API answers with 400 (and this message) on a process start and on a task
 * completion; any other exception thrown by a start step becomes a 500 there.
 */
public class InvalidInputException extends FormFieldValidationException {

    private final String what;
    private final List<FieldErrors.FieldError> errors;

    public InvalidInputException(String what, List<FieldErrors.FieldError> errors) {
        super(errors.isEmpty() ? what : errors.get(0).field(),
                what + ": " + errors.stream().map(Object::toString).collect(Collectors.joining("; ")));
        this.what = what;
        this.errors = List.copyOf(errors);
    }

    /**
     * The same refusal with its fields named as the request names them: a domain API door that
     * passes its body's fields on to the engine under the variables' names ({@code price} as
     * {@code extraPrice}) names them back, so that the answer points at what the client sent.
     * A field under a renamed one ({@code attachment.fileName}) follows it.
     */
    public InvalidInputException withFieldsNamed(Map<String, String> requestNames) {
        return new InvalidInputException(what, errors.stream().map(e -> new FieldErrors.FieldError(
                requestNames.entrySet().stream()
                        .filter(name -> e.field().equals(name.getKey()) || e.field().startsWith(name.getKey() + ".")
                                || e.field().startsWith(name.getKey() + "["))
                        .findFirst().map(name -> name.getValue() + e.field().substring(name.getKey().length()))
                        .orElse(e.field()),
                e.rule(), e.message())).toList());
    }

    /**
     * Runs a domain API door's step that passes the request's fields on under the variables' names;
     * a refusal it throws names them as the request does ({@link #withFieldsNamed}).
     */
    public static <T> T namingFields(Map<String, String> requestNames, Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidInputException e) {
            throw e.withFieldsNamed(requestNames);
        }
    }

    /** {@link #namingFields(Map, Supplier)} for a step that answers nothing. */
    public static void namingFields(Map<String, String> requestNames, Runnable step) {
        namingFields(requestNames, () -> {
            step.run();
            return null;
        });
    }

    public static InvalidInputException of(String what, String field, String rule, String message) {
        return new InvalidInputException(what, List.of(new FieldErrors.FieldError(field, rule, message)));
    }

    public List<FieldErrors.FieldError> errors() {
        return errors;
    }
}
