package io.gigflow.shared;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.variable.serializer.AbstractObjectValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.engine.variable.value.ObjectValue;
import org.springframework.stereotype.Component;

/**
 * The choices of a select on a Camunda Form ({@code valuesKey}), as a value Tasklist hands to the
 * form as a list: Tasklist parses a value as JSON only when it comes as JSON (an object of the data
 * format {@code application/json}). A lifecycle's {@link TaskFormFacts} give the options from the
 * domain rows as such an object ({@link #serialized()}); the chosen value is checked by the domain
 * again. The plugin's serializer reads and writes this one type only (a list of label and value), so
 * that options stored as task variables by instances of earlier models still read, and no other
 * object, and no class a caller names, is ever read from JSON.
 */
public record FormOptions(List<Option> options) {

    public static final String DATA_FORMAT = "application/json";

    public FormOptions {
        options = List.copyOf(options);
    }

    /** One choice: what the person reads, and what the form submits when it is chosen (a string or a number). */
    public record Option(String label, Object value) {
        public Option {
            Objects.requireNonNull(label, "label");
            if (!(value instanceof String || value instanceof Number)) {
                throw new IllegalArgumentException("an option's value is a string or a number, not " + value);
            }
        }
    }

    /**
     * The options as the engine hands a stored one to a form ({@code form-variables}): serialized, as the JSON
     * array the select reads, for a form's facts that are no variable ({@link TaskFormFacts}).
     */
    public ObjectValue serialized() {
        try {
            return Variables.serializedObjectValue(Serializer.JSON.writeValueAsString(options)).serializationDataFormat(DATA_FORMAT)
                    .objectTypeName(FormOptions.class.getName()).create();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("options that are labels and strings or numbers are always JSON", e);
        }
    }

    /** Registers the serializer with the engine. */
    @Component
    static class Plugin extends AbstractProcessEnginePlugin {
        @Override
        public void preInit(ProcessEngineConfigurationImpl configuration) {
            List<TypedValueSerializer> serializers = new ArrayList<>();
            if (configuration.getCustomPreVariableSerializers() != null) {
                serializers.addAll(configuration.getCustomPreVariableSerializers());
            }
            serializers.add(new Serializer());
            configuration.setCustomPreVariableSerializers(serializers);
        }
    }

    /** {@link FormOptions} as a JSON array of {@code {label, value}}, and nothing else. */
    static final class Serializer extends AbstractObjectValueSerializer {

        private static final ObjectMapper JSON = new ObjectMapper();
        private static final TypeReference<List<Option>> OPTIONS = new TypeReference<>() {
        };

        Serializer() {
            super(DATA_FORMAT);
        }

        @Override
        public String getName() {
            return "gigflow-form-options";
        }

        @Override
        protected String getTypeNameForDeserialized(Object deserializedObject) {
            return FormOptions.class.getName();
        }

        @Override
        protected byte[] serializeToByteArray(Object deserializedObject) throws Exception {
            return JSON.writeValueAsBytes(((FormOptions) deserializedObject).options());
        }

        @Override
        protected Object deserializeFromByteArray(byte[] object, String objectTypeName) throws Exception {
            if (!FormOptions.class.getName().equals(objectTypeName)) {
                throw new IllegalArgumentException("only " + FormOptions.class.getName() + " is read from JSON, not " + objectTypeName);
            }
            return new FormOptions(JSON.readValue(object, OPTIONS));
        }

        @Override
        protected boolean isSerializationTextBased() {
            return true;
        }

        @Override
        protected boolean canSerializeValue(Object value) {
            return value instanceof FormOptions;
        }

        /**
         * Only options the code built: a value that arrives serialized (a caller's JSON through
         * {@code /engine-rest}, whatever class it names) is not taken here, so the engine refuses it as it
         * refuses every other serialized object (400), and nothing a caller wrote is ever read by this class.
         */
        @Override
        protected boolean canWriteValue(org.camunda.bpm.engine.variable.value.TypedValue value) {
            return value instanceof org.camunda.bpm.engine.variable.value.SerializableValue serializable
                    && serializable.isDeserialized() && super.canWriteValue(value);
        }
    }
}
