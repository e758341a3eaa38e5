package io.gigflow.shared;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The domain API's description for integrators: /v3/api-docs (OpenAPI 3) and Swagger UI at
 * /swagger-ui.html. Every call needs HTTP Basic against the Camunda identity; the engine's own
 * REST API (/engine-rest) is Camunda's and documented by Camunda.
 */
@Configuration
class OpenApiConfiguration {

    @Bean
    OpenAPI gigflowApi() {
        return new OpenAPI()
                .info(new Info().title("gigflow domain API").version("1")
                        .description("Companies, contractors, providers and customers act on their lifecycles (task-payout, "
                                + "service-order, ...). Amounts are decimal strings with an ISO 4217 currency. Errors are "
                                + "RFC 9457 problems; bad input names each field and its rule."))
                .components(new Components().addSecuritySchemes("basic",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
    }

    @Bean
    GroupedOpenApi domainApi() {
        return GroupedOpenApi.builder().group("gigflow").pathsToMatch("/api/**").build();
    }
}
