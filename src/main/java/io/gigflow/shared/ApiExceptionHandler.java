package io.gigflow.shared;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error of the domain API as an RFC 9457 problem. Bad input names each field and
 * its rule in {@code errors}; nothing technical (stack traces, SQL) leaks out.
 *
 * <p>Ordered first: Spring Boot's own problem-details handler (order 0) would otherwise
 * answer unreadable bodies and type mismatches without naming the field.
 */
@RestControllerAdvice(basePackages = "io.gigflow")
@Order(Ordered.HIGHEST_PRECEDENCE)
class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalid(InvalidInputException e) {
        return invalidInput(e.errors());
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail beanValidation(MethodArgumentNotValidException e) {
        List<FieldErrors.FieldError> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldErrors.FieldError(f.getField(), f.getCode() == null ? "invalid" : f.getCode(), f.getDefaultMessage()))
                .toList();
        return invalidInput(errors);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException u) {
            return invalidInput(List.of(new FieldErrors.FieldError(path(u), "unknown", "is not a field of this request")));
        }
        if (cause instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String expected = m.getTargetType() == null ? "another type" : describe(m.getTargetType());
            return invalidInput(List.of(new FieldErrors.FieldError(path(m), "type", "must be " + expected)));
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "The request body is not valid JSON for this request" + (cause instanceof JsonMappingException ? "" : " (malformed JSON)"));
        problem.setTitle("Malformed request");
        return problem;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        return invalidInput(List.of(new FieldErrors.FieldError(e.getName(), "type",
                "must be " + (e.getRequiredType() == null ? "valid" : describe(e.getRequiredType())))));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ProblemDetail missingParameter(MissingServletRequestParameterException e) {
        return invalidInput(List.of(new FieldErrors.FieldError(e.getParameterName(), "required", "is required")));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ProblemDetail noResource(NoResourceFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", "No endpoint " + e.getResourcePath());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ProblemDetail method(HttpRequestMethodNotSupportedException e) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", e.getMessage());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ProblemDetail mediaType(HttpMediaTypeNotSupportedException e) {
        return problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", "Send application/json");
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Conflict", e.getMessage());
        if (e instanceof RepeatedStartException repeated) {
            problem.setProperty("processInstanceId", repeated.processInstanceId());
        }
        return problem;
    }

    @ExceptionHandler(UnprocessableException.class)
    ProblemDetail refused(UnprocessableException e) {
        return problem(HttpStatus.UNPROCESSABLE_ENTITY, "Refused", e.getMessage());
    }

    @ExceptionHandler(OptimisticLockingException.class)
    ProblemDetail concurrentChange(OptimisticLockingException e) {
        return problem(HttpStatus.CONFLICT, "Conflict", "Somebody else changed this at the same moment; reload and try again");
    }

    @ExceptionHandler(ForbiddenException.class)
    ProblemDetail forbidden(ForbiddenException e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage());
    }

    @ExceptionHandler(AuthorizationException.class)
    ProblemDetail engineForbidden(AuthorizationException e) {
        return problem(HttpStatus.FORBIDDEN, "Forbidden", "You may not do this");
    }

    /** The engine refusing what a call handed it (see {@link EngineRefusals}): the caller's mistake, nothing changed. */
    @ExceptionHandler(ProcessEngineException.class)
    ProblemDetail engineRefusal(ProcessEngineException e) {
        String refusal = findCause(e, InvalidInputException.class) == null ? EngineRefusals.of(e) : null;
        if (refusal == null) {
            return unexpected(e);
        }
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", refusal);
    }

    @ExceptionHandler(FaultInjector.InjectedFault.class)
    ProblemDetail injected(FaultInjector.InjectedFault e) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "Temporary failure", "Nothing was changed; try again");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        InvalidInputException invalid = findCause(e, InvalidInputException.class);
        if (invalid != null) {
            return invalid(invalid);
        }
        if (e instanceof ErrorResponse known) {
            // Spring MVC's own exceptions (406, missing path variable, ...) carry their problem
            return known.getBody();
        }
        log.error("Unexpected error in the domain API", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "Something went wrong on our side; nothing was changed");
    }

    static ProblemDetail invalidInput(List<FieldErrors.FieldError> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid input",
                errors.stream().map(Object::toString).collect(Collectors.joining("; ")));
        problem.setProperty("errors", errors.stream()
                .map(f -> Map.of("field", f.field(), "rule", f.rule(), "message", f.message()))
                .toList());
        return problem;
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string (amounts are decimal strings such as \"120.50\")";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.toString(type.getEnumConstants());
        }
        return "an object";
    }

    private static <T extends Throwable> T findCause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
