package io.gigflow.shared;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.cmd.GetDeployedStartFormCmd;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.impl.identity.Authentication;
import org.camunda.bpm.engine.impl.interceptor.Command;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Hands every deployed start form a {@link PersonalStartForm} fills to it, for the person who
 * asked: an interceptor in front of the engine's "deployed start form" command, which every door
 * reaches (Tasklist's {@code /camunda/api/engine/.../deployed-start-form}, the same call on
 * {@code /engine-rest}, by definition id, by key or by key and tenant, and the Java API), so
 * every spelling of the route gets the same answer. The engine's own checks run first (the
 * person must be allowed to read the definition); the form is filled afterwards, outside the
 * engine's command, for the person the engine acted for. Other forms pass unchanged.
 */
@Component
class PersonalStartForms extends AbstractProcessEnginePlugin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectProvider<PersonalStartForm> forms;
    private volatile Map<String, PersonalStartForm> byFormId;

    PersonalStartForms(ObjectProvider<PersonalStartForm> forms) {
        this.forms = forms;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        EngineInterceptors.appendPre(configuration, new Filling(configuration));
    }

    /** The fillers by form id, found once the application's beans exist (they use the engine this plugin configures). */
    private Map<String, PersonalStartForm> byFormId() {
        Map<String, PersonalStartForm> found = byFormId;
        if (found == null) {
            Map<String, PersonalStartForm> map = new HashMap<>();
            forms.orderedStream().forEach(form -> form.formIds().forEach(id -> {
                if (map.put(id, form) != null) {
                    throw new IllegalStateException("two personal start forms fill form " + id);
                }
            }));
            found = Map.copyOf(map);
            byFormId = found;
        }
        return found;
    }

    /** The form as the engine returned it, filled for {@code userId} when it is one of the personal ones. */
    InputStream personal(InputStream deployed, String userId) {
        byte[] bytes;
        try (InputStream in = deployed) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode form;
        try {
            form = JSON.readTree(bytes);
        } catch (IOException notJson) {
            return new ByteArrayInputStream(bytes); // an embedded (HTML) form, not a Camunda Form
        }
        PersonalStartForm filler = form instanceof ObjectNode && form.path("id").isTextual()
                ? byFormId().get(form.get("id").asText()) : null;
        if (filler == null) {
            return new ByteArrayInputStream(bytes);
        }
        filler.fill(form.get("id").asText(), (ObjectNode) form, userId);
        try {
            return new ByteArrayInputStream(JSON.writeValueAsBytes(form));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class Filling extends CommandInterceptor {

        private final ProcessEngineConfigurationImpl configuration;

        Filling(ProcessEngineConfigurationImpl configuration) {
            this.configuration = configuration;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T execute(Command<T> command) {
            if (!(command instanceof GetDeployedStartFormCmd) || Context.getCommandContext() != null) {
                return next.execute(command);
            }
            T deployed = next.execute(command);
            if (!(deployed instanceof InputStream stream)) {
                return deployed;
            }
            IdentityService identity = configuration.getIdentityService();
            Authentication person = identity.getCurrentAuthentication();
            return (T) personal(stream, person == null ? null : person.getUserId());
        }
    }
}
