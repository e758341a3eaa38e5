package io.gigflow.shared;

import com.fasterxml.jackson.databind.JavaType;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.Schema;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.springframework.lang.Nullable;

/**
 * The schema resolver of the domain API: module-qualified names ({@link ApiSchemaNames}) and which
 * fields are required. The API's bodies are records; a component of one is required, and never
 * null, unless it is marked {@link Nullable}:
 * <ul>
 * <li>in a request, {@code @Nullable} marks what a client may leave out (or send as null): the server
 * refuses a request without any other field, naming it with the rule {@code required};</li>
 * <li>in an answer, {@code @Nullable} marks what may be missing: the API leaves out null fields, so
 * every other field is always there.</li>
 * </ul>
 * A primitive component is always written, so it is required in an answer; a request record has
 * none (the server could not tell a missing number from zero). A record that is both a request and
 * an answer (a settings object) marks what the request may leave out, so the answer promises no
 * more than that.
 */
final class ApiSchemas extends ModelResolver {

    private static final String ROOT = "io.gigflow.";

    ApiSchemas() {
        super(Json.mapper(), new ApiSchemaNames());
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Schema resolve(AnnotatedType annotatedType, ModelConverterContext context, Iterator<ModelConverter> next) {
        Schema schema = super.resolve(annotatedType, context, next);
        JavaType type = annotatedType.getType() == null ? null : Json.mapper().constructType(annotatedType.getType());
        if (schema != null && type != null && type.getRawClass().isRecord() && type.getRawClass().getName().startsWith(ROOT)) {
            // resolved as a reference: the model itself is among the context's definitions
            Schema model = schema.get$ref() == null ? schema
                    : context.getDefinedModels().get(schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1));
            if (model != null) {
                markRequired(type.getRawClass(), model);
            }
        }
        return schema;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void markRequired(Class<?> record, Schema schema) {
        Map<String, Schema> properties = schema.getProperties();
        if (properties == null) {
            return;
        }
        List<String> required = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            Schema property = properties.get(component.getName());
            if (property == null) {
                continue;
            }
            if (component.getAccessor().isAnnotationPresent(Nullable.class)) {
                if (!component.getType().isPrimitive()) {
                    property.setNullable(true);
                }
            } else {
                required.add(component.getName());
                property.setNullable(null);
            }
        }
        schema.setRequired(required.isEmpty() ? null : required);
    }
}
