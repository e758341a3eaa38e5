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
 * step refused the variables. A start with invalid variables is the caller's mistake: this
 * mapper answers it with 400 and the message that names each field; everything else keeps
 * Camunda's answer.
 */
@Configuration
class EngineRestErrors {

    @Bean
    ResourceConfigCustomizer invalidInputAnswers400() {
        return config -> config.register(InvalidInputMapper.class);
    }

    @Priority(1) // ahead of Camunda's own mapper for the same exception type
    public static class InvalidInputMapper implements ExceptionMapper<RestException> {

        private final RestExceptionHandler camunda = new RestExceptionHandler();

        @Override
        public Response toResponse(RestException exception) {
            for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
                if (cause instanceof InvalidInputException invalid) {
                    return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                            .entity(Map.of("type", "InvalidRequestException", "message", invalid.getMessage(), "code", 0))
                            .build();
                }
            }
            return camunda.toResponse(exception);
        }
    }
}
