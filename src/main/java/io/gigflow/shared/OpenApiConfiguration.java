package io.gigflow.shared;

import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import io.swagger.v3.oas.models.responses.ApiResponse;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The domain API's description for integrators: /v3/api-docs/gigflow (OpenAPI 3) and Swagger UI at
 * /swagger-ui.html. It is a contract: the API tests validate every request and answer they exchange
 * against it. Every call needs HTTP Basic against the Camunda identity; the engine's own REST API
 * (/engine-rest) is Camunda's and documented by Camunda.
 *
 * <p>One tag per lifecycle and kernel area ({@link #TAGS}; the controllers name theirs with
 * {@code @Tag}), schemas named by module ({@link ApiSchemaNames}), the error answers derived from
 * each operation ({@link ApiErrorResponses}) with the problem body as a component schema.
 */
@Configuration
class OpenApiConfiguration {

    /** The areas of the API, in the order Swagger UI shows them. */
    static final Map<String, String> TAGS = tags(
            "Task payouts", "A company pays a contractor for a task: drafts, sending (alone or many at once), the "
                    + "contractor's acceptance or decline, cancellation, history and documents; the company's publishing setting.",
            "Service orders", "Providers publish services; customers order them; the provider starts, delivers and answers "
                    + "requests for extras; the customer confirms, asks for a revision or cancels.",
            "Contractor milestones", "A company agrees milestones with a contractor; the contractor completes them with a "
                    + "deliverable, the company approves or rejects; approved milestones are paid with Pay Contractor.",
            "Order checklists", "Agencies' services with their checklists, the orders placed on them, the Todo lists of tasks "
                    + "and client activities, and a client's timeline.",
            "Field assignments", "A company publishes on-site work; field workers apply and ask questions; the company chooses; "
                    + "the worker checks in and out, submits, and is paid; holds, reschedules, requests and cancellation.",
            "Top-ups", "Money enters a balance: payers register top-ups, finance confirms or rejects them, and the payment "
                    + "provider reports payments through its signed webhook.",
            "Withdrawals", "Money leaves a balance: payout destinations, a person's withdrawals, and finance paying them out or "
                    + "rejecting them.",
            "Ledger", "Balances and ledger entries of a company or of the signed-in person; read only.",
            "Statements", "Statements of an account for a period, as CSV or PDF.",
            "Documents", "The PDF documents the lifecycles issue (receipts, invoices, ...), for their parties.",
            "Notifications", "The signed-in person's notifications and notification settings.",
            "Identity", "The signed-in person's own account.",
            "Operations", "For operators (camunda-admin): every account and its statement, the email outbox.");

    private static final String OPERATOR_PATHS = "/api/operator/";

    static {
        // Jackson writes a currency as its ISO 4217 code
        SpringDocUtils.getConfig().replaceWithClass(Currency.class, String.class);
    }

    @Bean
    OpenAPI gigflowApi() {
        OpenAPI api = new OpenAPI()
                .info(new Info().title("gigflow domain API").version("1")
                        .description("Companies, contractors, providers and customers act on their lifecycles (task-payout, "
                                + "service-order, ...). Amounts are decimal strings with an ISO 4217 currency. Errors are "
                                + "RFC 9457 problems (schema Problem); bad input names each field and its rule. Creating "
                                + "answers 201 with a Location; a step that the lifecycle finishes in the background "
                                + "(accept, decline, cancel, confirm, pay out) answers 202 with the resource as it is now."))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("A gigflow user (the Camunda identity) and its password"))
                        .addSchemas(ApiErrorResponses.PROBLEM, ApiErrorResponses.problemSchema())
                        .addSchemas(ApiErrorResponses.PROBLEM + "FieldError", ApiErrorResponses.fieldErrorSchema()))
                .addSecurityItem(new SecurityRequirement().addList("basic"));
        TAGS.forEach((name, description) -> api.addTagsItem(new Tag().name(name).description(description)));
        return api;
    }

    @Bean
    GroupedOpenApi domainApi(OperationCustomizer apiErrorResponses, GlobalOpenApiCustomizer apiAreas) {
        return GroupedOpenApi.builder().group("gigflow").pathsToMatch("/api/**")
                .addOperationCustomizer(apiErrorResponses).addOpenApiCustomizer(apiAreas).build();
    }

    @Bean
    OperationCustomizer apiErrorResponses() {
        return new ApiErrorResponses();
    }

    /**
     * The operators' endpoints under Operations (403 for anybody else), no OPTIONS, HEAD or TRACE
     * operations, and the tags in {@link #TAGS}' order, each once with its description.
     */
    @Bean
    GlobalOpenApiCustomizer apiAreas() {
        return api -> {
            if (api.getPaths() != null) {
                api.getPaths().forEach((path, item) -> {
                    // HTTP's own methods on a mapping for every method (Spring answers OPTIONS and HEAD itself): not operations
                    item.setOptions(null);
                    item.setHead(null);
                    item.setTrace(null);
                    Stream.of(item.getPost(), item.getPut(), item.getPatch(), item.getDelete()).filter(Objects::nonNull)
                            .forEach(ApiErrorResponses::stateChanging);
                    item.readOperations().forEach(operation -> requireBodyWithRequiredFields(api, operation));
                    if (path.startsWith(OPERATOR_PATHS)) {
                        item.readOperations().forEach(operation -> {
                            operation.setTags(new ArrayList<>(List.of("Operations")));
                            if (!operation.getResponses().containsKey("403")) {
                                operation.getResponses().addApiResponse("403", new ApiResponse()
                                        .description("Not an operator (camunda-admin)").content(ApiErrorResponses.problemContent()));
                            }
                        });
                    }
                });
            }
            api.setTags(TAGS.entrySet().stream().map(e -> new Tag().name(e.getKey()).description(e.getValue())).toList());
        };
    }

    /**
     * A body with a required field is required itself: without a body the server misses that field
     * too, and refuses the request (a controller may take no body so that the refusal names the field).
     */
    private static void requireBodyWithRequiredFields(OpenAPI api, Operation operation) {
        RequestBody body = operation.getRequestBody();
        MediaType json = body == null || body.getContent() == null ? null : body.getContent().get("application/json");
        if (json == null || json.getSchema() == null || json.getSchema().get$ref() == null || api.getComponents().getSchemas() == null) {
            return;
        }
        String ref = json.getSchema().get$ref();
        Schema<?> schema = api.getComponents().getSchemas().get(ref.substring(ref.lastIndexOf('/') + 1));
        if (schema != null && schema.getRequired() != null && !schema.getRequired().isEmpty()) {
            body.setRequired(true);
        }
    }

    /**
     * The schema resolver with module-qualified names and required fields ({@link ApiSchemas}); ordered
     * first, so it stands where the default resolver stood.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ModelConverter apiSchemas() {
        return new ApiSchemas();
    }

    private static Map<String, String> tags(String... nameAndDescription) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < nameAndDescription.length; i += 2) {
            tags.put(nameAndDescription[i], nameAndDescription[i + 1]);
        }
        return tags;
    }
}
