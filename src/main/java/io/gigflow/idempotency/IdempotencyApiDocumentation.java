package io.gigflow.idempotency;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import java.util.List;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.stereotype.Component;

/** The Idempotency-Key header in the API description: an optional parameter of every state-changing /api operation. */
@Component
class IdempotencyApiDocumentation implements GlobalOpenApiCustomizer {

    static final String DESCRIPTION = "Makes a retry safe: the same key with the same request within 24 hours answers the first "
            + "2xx answer again (with Idempotent-Replayed: true) and does nothing; the same key with another request answers 422; "
            + "while a request with the key is still running, 409. 1 to 255 printable ASCII characters, per user.";

    @Override
    public void customise(io.swagger.v3.oas.models.OpenAPI api) {
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().forEach((path, item) -> {
            if (path.startsWith("/api/")) {
                for (Operation operation : stateChanging(item)) {
                    operation.addParametersItem(new HeaderParameter().name(IdempotencyFilter.HEADER).required(false)
                            .description(DESCRIPTION).schema(new StringSchema().minLength(1).maxLength(IdempotencyFilter.MAX_LENGTH)));
                }
            }
        });
    }

    private static List<Operation> stateChanging(PathItem item) {
        return java.util.stream.Stream.of(item.getPost(), item.getPut(), item.getPatch(), item.getDelete())
                .filter(java.util.Objects::nonNull).toList();
    }
}
