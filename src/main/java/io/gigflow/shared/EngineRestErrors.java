package io.gigflow.shared;

import jakarta.annotation.Priority;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.Map;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The engine REST API answers every failed process start with 500, even when the start
 * step refused the variables. A start with invalid variables is the caller's mistake: it is
 * answered with 400 and the message that names each field; a message or completion that
 * the object's state refuses (cancelling an order that is not late) with 409; a start whose
 * step finds nothing the caller may see with 404, one the caller's role may not do with 403. Everything
 * else keeps Camunda's answer.
 */
@Configuration
class EngineRestErrors {

    @Bean
    ResourceConfigCustomizer invalidInputAnswers400() {
        return config -> config.register(InvalidInputMapper.class).register(InvalidVariablesMapper.class).register(ConflictMapper.class).register(UnprocessableMapper.class)
                .register(NotFoundMapper.class).register(ForbiddenMapper.class);
    }

    @Priority(1) // ahead of Camunda's own mapper for the same exception type
    public static class InvalidInputMapper implements ExceptionMapper<RestException> {

        private final RestExceptionHandler camunda = new RestExceptionHandler();

        @Override
        public Response toResponse(RestException exception) {
            for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidInputException invalid) {
                    return answer(Response.Status.BAD_REQUEST, "InvalidRequestException", invalid.getMessage());
                }
                if (cause instanceof UnprocessableException refused) {
                    return answer(422, "UnprocessableException", refused.getMessage());
                }
                if (cause instanceof ConflictException conflict) {
                    return answer(Response.Status.CONFLICT, "ConflictException", conflict.getMessage());
                }
                if (cause instanceof NotFoundException notFound) {
                    return answer(Response.Status.NOT_FOUND, "NotFoundException", notFound.getMessage());
                }
                if (cause instanceof ForbiddenException forbidden) {
                    return answer(Response.Status.FORBIDDEN, "ForbiddenException", forbidden.getMessage());
                }
            }
            return camunda.toResponse(exception);
        }
    }

    /** Variables a message or completion may not carry, thrown straight through by the engine's input guard. */
    @Priority(1)
    public static class InvalidVariablesMapper implements ExceptionMapper<InvalidInputException> {

        @Override
        public Response toResponse(InvalidInputException exception) {
            return answer(Response.Status.BAD_REQUEST, "InvalidRequestException", exception.getMessage());
        }
    }

    /** A step refused by the object's state, thrown straight through a message correlation or task completion. */
    @Priority(1)
    public static class ConflictMapper implements ExceptionMapper<ConflictException> {

        @Override
        public Response toResponse(ConflictException exception) {
            return answer(Response.Status.CONFLICT, "ConflictException", exception.getMessage());
        }
    }

    /** A business refusal (a balance that does not cover an approval), thrown straight through a completion or message. */
    @Priority(1)
    public static class UnprocessableMapper implements ExceptionMapper<UnprocessableException> {

        @Override
        public Response toResponse(UnprocessableException exception) {
            return answer(422, "UnprocessableException", exception.getMessage());
        }
    }

    /** Something the caller may not see (an assignment of somebody else, named in a start form): 404, as through /api. */
    @Priority(1)
    public static class NotFoundMapper implements ExceptionMapper<NotFoundException> {

        @Override
        public Response toResponse(NotFoundException exception) {
            return answer(Response.Status.NOT_FOUND, "NotFoundException", exception.getMessage());
        }
    }

    /** A party acting where only the other party may (a worker putting its assignment on hold): 403, as through /api. */
    @Priority(1)
    public static class ForbiddenMapper implements ExceptionMapper<ForbiddenException> {

        @Override
        public Response toResponse(ForbiddenException exception) {
            return answer(Response.Status.FORBIDDEN, "ForbiddenException", exception.getMessage());
        }
    }

    static Response answer(Response.Status status, String type, String message) {
        return answer(status.getStatusCode(), type, message);
    }

    static Response answer(int status, String type, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("type", type, "message", message, "code", 0)).build();
    }
}
