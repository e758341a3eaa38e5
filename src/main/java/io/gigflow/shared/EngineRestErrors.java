package io.gigflow.shared;

import jakarta.annotation.Priority;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.exception.NullValueException;
import org.camunda.bpm.engine.rest.exception.ProcessEngineExceptionHandler;
import org.camunda.bpm.engine.rest.exception.RestException;
import org.camunda.bpm.engine.rest.exception.RestExceptionHandler;
import org.camunda.bpm.spring.boot.starter.property.CamundaBpmProperties;
import org.camunda.bpm.webapp.impl.engine.EngineRestApplication;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.springframework.boot.autoconfigure.jersey.ResourceConfigCustomizer;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The engine REST API answers every failed process start with 500, even when the start
 * step refused the variables. A start with invalid variables is the caller's mistake: it is
 * answered with 400 and the message that names each field; a message or completion that
 * the object's state refuses (cancelling an order that is not late) with 409; a start whose
 * step finds nothing the caller may see with 404, one the caller's role may not do with 403.
 * The engine's own refusals of what the caller sent (see {@link EngineRefusals}: an Object
 * or serialized variable, a BPMN error no step catches, a start instruction naming no element
 * of the process) answer 400 instead of 500. Everything else keeps Camunda's answer.
 *
 * <p>Both engine APIs answer alike: /engine-rest (Spring Boot's Jersey application, reached
 * by a {@link ResourceConfigCustomizer}) and the webapps' engine API under
 * {@code /camunda/api/engine}, a Jersey servlet of its own that the customizer does not reach.
 */
@Configuration
class EngineRestErrors {

    /** The mappers of both engine APIs. */
    static final List<Class<?>> MAPPERS = List.of(InvalidInputMapper.class, EngineExceptionMapper.class, ConflictMapper.class,
            UnprocessableMapper.class, NotFoundMapper.class, ForbiddenMapper.class);

    @Bean
    ResourceConfigCustomizer invalidInputAnswers400() {
        return config -> MAPPERS.forEach(config::register);
    }

    /**
     * Registers the webapps' engine API servlet before Camunda's webapp initializer does (which
     * keeps a servlet of that name that exists already), as Camunda would, with the mappers
     * added as Jersey providers.
     */
    @Bean
    WebappEngineApiErrors webappEngineApiErrors(CamundaBpmProperties camunda) {
        return new WebappEngineApiErrors(camunda.getWebapp().getApplicationPath());
    }

    static final class WebappEngineApiErrors implements ServletContextInitializer, Ordered {

        /** The name Camunda's webapp initializer registers the webapps' engine API under. */
        static final String SERVLET = "Engine Api";

        private final String applicationPath;

        WebappEngineApiErrors(String applicationPath) {
            this.applicationPath = applicationPath;
        }

        @Override
        public void onStartup(ServletContext servletContext) {
            if (servletContext.getServletRegistration(SERVLET) != null) {
                throw new IllegalStateException("the servlet " + SERVLET + " exists already: its errors would answer 500");
            }
            ServletRegistration.Dynamic api = servletContext.addServlet(SERVLET, ServletContainer.class);
            api.addMapping(applicationPath + "/api/engine/*");
            api.setInitParameters(Map.of(
                    "jakarta.ws.rs.Application", EngineRestApplication.class.getName(),
                    ServerProperties.PROVIDER_CLASSNAMES, MAPPERS.stream().map(Class::getName).collect(Collectors.joining(","))));
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    @Priority(1) // ahead of Camunda's own mapper for the same exception type
    public static class InvalidInputMapper implements ExceptionMapper<RestException> {

        private final RestExceptionHandler camunda = new RestExceptionHandler();

        @Override
        public Response toResponse(RestException exception) {
            Response ours = domainAnswer(exception);
            if (ours != null) {
                return ours;
            }
            boolean serverError = exception.getStatus() == null || exception.getStatus() == Response.Status.INTERNAL_SERVER_ERROR;
            Response refusal = serverError ? refusal(exception) : null;
            return refusal != null ? refusal : camunda.toResponse(exception);
        }
    }

    /** An engine exception thrown straight through (a BPMN error or escalation thrown on a user task, which nothing catches). */
    @Priority(1)
    public static class EngineExceptionMapper implements ExceptionMapper<ProcessEngineException> {

        private final ProcessEngineExceptionHandler camunda = new ProcessEngineExceptionHandler();

        @Override
        public Response toResponse(ProcessEngineException exception) {
            Response ours = domainAnswer(exception);
            if (ours != null) {
                return ours;
            }
            // Camunda answers these itself with 400 and 403
            boolean serverError = !(exception instanceof BadUserRequestException || exception instanceof AuthorizationException);
            Response refusal = serverError ? refusal(exception) : null;
            return refusal != null ? refusal : camunda.toResponse(exception);
        }
    }

    /** The answer to a refusal of the domain's (bad input, state, visibility, role) anywhere among the causes; null if none. */
    static Response domainAnswer(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidInputException invalid) {
                return answer(Response.Status.BAD_REQUEST, "InvalidRequestException", invalid.getMessage());
            }
            if (cause instanceof UnprocessableException refused) {
                return answer(422, "UnprocessableException", refused.getMessage());
            }
            if (cause instanceof ConflictException conflict) {
                return conflict(conflict);
            }
            if (cause instanceof NotFoundException notFound) {
                return answer(Response.Status.NOT_FOUND, "NotFoundException", notFound.getMessage());
            }
            if (cause instanceof ForbiddenException forbidden) {
                return answer(Response.Status.FORBIDDEN, "ForbiddenException", forbidden.getMessage());
            }
            // the engine's "task x doesn't exist" behind a read of a task's or an instance's variables,
            // form or identity links: the caller named something that is not there (or not theirs)
            if (cause instanceof NullValueException missing && missing.getMessage() != null
                    && (missing.getMessage().contains("exist") || missing.getMessage().contains("Cannot find"))) {
                return answer(Response.Status.NOT_FOUND, "InvalidRequestException", missing.getMessage());
            }
        }
        return null;
    }

    /**
     * 400 for an engine refusal (checked before Camunda's handler, which logs every 500 it
     * answers as a server error), with the engine's message; a RestException's names the call
     * ("Cannot complete task ...: ..."). Null for anything else.
     */
    private static Response refusal(Throwable exception) {
        String refusal = EngineRefusals.of(exception);
        if (refusal == null) {
            return null;
        }
        return answer(Response.Status.BAD_REQUEST, "InvalidRequestException",
                exception instanceof RestException && exception.getMessage() != null ? exception.getMessage() : refusal);
    }

    /** A step refused by the object's state, thrown straight through a message correlation or task completion. */
    @Priority(1)
    public static class ConflictMapper implements ExceptionMapper<ConflictException> {

        @Override
        public Response toResponse(ConflictException exception) {
            return conflict(exception);
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

    /** 409; a repeated start names the process instance the first start created. */
    static Response conflict(ConflictException conflict) {
        if (conflict instanceof RepeatedStartException repeated) {
            return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("type", "ConflictException", "message", repeated.getMessage(), "code", 0,
                            "processInstanceId", repeated.processInstanceId()))
                    .build();
        }
        return answer(Response.Status.CONFLICT, "ConflictException", conflict.getMessage());
    }

    static Response answer(Response.Status status, String type, String message) {
        return answer(status.getStatusCode(), type, message);
    }

    static Response answer(int status, String type, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("type", type, "message", message, "code", 0)).build();
    }
}
