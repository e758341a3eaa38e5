package io.gigflow.shared;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;

/**
 * The error answers of every domain API operation, derived from what answers them, so that no
 * controller repeats them:
 * <ul>
 * <li>401 and 429: the sign-in (HTTP Basic) in front of every operation that needs one;</li>
 * <li>400, 403, 409, 415, 422 and 503 for every state-changing call ({@link #stateChanging}, once the
 * description has its paths): the same-site and JSON rule
 * (403, 415) and the Idempotency-Key (400 for a malformed key, 409 while the same key runs, 422
 * for a key reused with another request, 503 when its change could not be kept), on top of the
 * operation's own refusals (invalid input, a state that does not allow the step, a business rule);</li>
 * <li>400 for an operation with a body, query parameters or a numeric path variable (a wrong type or range);</li>
 * <li>404 for every operation on a resource named in its path (unknown, or not the caller's);</li>
 * <li>500 for every operation: a failure of ours, which changes nothing.</li>
 * </ul>
 * A 403 of a read (operators only, members only) is declared on the operation itself with
 * {@code @ApiResponse}; so is a more precise description of any status, which this keeps. Every
 * error answer is an RFC 9457 problem ({@value #PROBLEM}).
 */
final class ApiErrorResponses implements OperationCustomizer {

    static final String PROBLEM = "Problem";
    static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "400", "Invalid input: each field and its rule in errors (also a malformed Idempotency-Key)",
            "401", "No or wrong credentials: sign in with HTTP Basic",
            "403", "Not allowed: the caller may not take this step (or a state-changing call came from another site)",
            "404", "Not found: no such resource, or not one the caller is a party to",
            "409", "Conflict: the resource's state does not allow this step (any more), somebody changed it at the same moment, "
                    + "or a request with the same Idempotency-Key is still running",
            "415", "A state-changing call must send Content-Type: application/json",
            "422", "Refused by a business rule, or the Idempotency-Key was used for another request",
            "429", "Too many failed sign-ins from this address or for this user: wait as Retry-After says",
            "500", "Something went wrong on our side; nothing was changed",
            "503", "Temporary failure: nothing was changed; try again (with the same Idempotency-Key)");

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        List<Parameter> parameters = Arrays.asList(handler.getMethod().getParameters());
        boolean pathVariables = parameters.stream().anyMatch(p -> p.isAnnotationPresent(PathVariable.class));
        boolean typedInput = parameters.stream().anyMatch(p -> p.isAnnotationPresent(RequestParam.class)
                || p.isAnnotationPresent(RequestBody.class)
                || (p.isAnnotationPresent(PathVariable.class) && p.getType() != String.class));

        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        if (typedInput) {
            declare(responses, "400");
        }
        if (signedIn(operation)) {
            declare(responses, "401");
            declare(responses, "429");
        }
        if (pathVariables) {
            declare(responses, "404");
        }
        declare(responses, "500");
        operation.setResponses(responses);
        return complete(operation);
    }

    /**
     * The answers of a state-changing call (POST, PUT, PATCH, DELETE: known per operation only
     * once the description has its paths, since a mapping may take every method).
     */
    static void stateChanging(Operation operation) {
        if (signedIn(operation)) {
            for (String status : List.of("400", "403", "409", "415", "422", "503")) {
                declare(operation.getResponses(), status);
            }
        }
        complete(operation);
    }

    private static boolean signedIn(Operation operation) {
        return operation.getSecurity() == null || !operation.getSecurity().isEmpty();
    }

    private static Operation complete(Operation operation) {
        operation.getResponses().forEach((status, response) -> {
            if (status.equals("204") || status.equals("304")) {
                // no body: springdoc gives every declared answer the return type's
                response.setContent(null);
            } else if (status.startsWith("4") || status.startsWith("5")) {
                // a status the operation declares itself (with a precise description) is a problem too
                if (response.getDescription() == null || response.getDescription().isBlank()) {
                    response.setDescription(DESCRIPTIONS.getOrDefault(status, "Error"));
                }
                response.setContent(problemContent());
            }
        });
        return operation;
    }

    private static void declare(ApiResponses responses, String status) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(DESCRIPTIONS.get(status)));
        }
    }

    static Content problemContent() {
        return new Content().addMediaType(PROBLEM_MEDIA_TYPE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
    }

    /** The body of every error answer: what ApiExceptionHandler, the sign-in and the Idempotency-Key filter write. */
    static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("An RFC 9457 problem. Further members may follow: errors for invalid input, processInstanceId "
                        + "for a repeated start, ref and outcome for a task that could not be sent.")
                .addProperty("type", new StringSchema().description("A URI reference naming the kind of problem; about:blank"))
                .addProperty("title", new StringSchema().description("A short summary of the kind of problem"))
                .addProperty("status", new IntegerSchema().description("The HTTP status"))
                .addProperty("detail", new StringSchema().description("What went wrong with this request, for a person"))
                .addProperty("instance", new StringSchema().description("The request path"))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + PROBLEM + "FieldError"))
                        .description("Invalid input only: every invalid field"))
                .addProperty("processInstanceId", new StringSchema().description("A repeated start only: the process it started"))
                .addProperty("ref", new StringSchema().description("A task that could not be sent only: its ref"))
                .addProperty("outcome", new StringSchema().description("A task that could not be sent only: why (NOT_FOUND, "
                        + "NOT_A_DRAFT, INSUFFICIENT_BALANCE, ...)"))
                .additionalProperties(true)
                .required(List.of("title", "status"));
    }

    static Schema<?> fieldErrorSchema() {
        return new ObjectSchema()
                .description("One invalid field and the rule it breaks")
                .addProperty("field", new StringSchema().description("The field or parameter, as in the request (items[2].amount)"))
                .addProperty("rule", new StringSchema().description("The rule it breaks: required, type, range, unknown, ..."))
                .addProperty("message", new StringSchema().description("What the rule asks for, for a person"))
                .required(List.of("field", "rule", "message"));
    }
}
