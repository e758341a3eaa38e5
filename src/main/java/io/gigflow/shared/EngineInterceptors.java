package io.gigflow.shared;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/** How a plugin puts an interceptor in front of the engine's commands: after the ones added before it. */
public final class EngineInterceptors {

    private EngineInterceptors() {
    }

    /** Appends {@code interceptor} to the engine's own pre-command interceptors (commands that require a transaction). */
    public static void appendPre(ProcessEngineConfigurationImpl configuration, CommandInterceptor interceptor) {
        List<CommandInterceptor> interceptors = new ArrayList<>();
        if (configuration.getCustomPreCommandInterceptorsTxRequired() != null) {
            interceptors.addAll(configuration.getCustomPreCommandInterceptorsTxRequired());
        }
        interceptors.add(interceptor);
        configuration.setCustomPreCommandInterceptorsTxRequired(interceptors);
    }

    /** Appends {@code interceptor} to the engine's post-command interceptors: after the command's context and transaction are open. */
    public static void appendPost(ProcessEngineConfigurationImpl configuration, CommandInterceptor interceptor) {
        List<CommandInterceptor> interceptors = new ArrayList<>();
        if (configuration.getCustomPostCommandInterceptorsTxRequired() != null) {
            interceptors.addAll(configuration.getCustomPostCommandInterceptorsTxRequired());
        }
        interceptors.add(interceptor);
        configuration.setCustomPostCommandInterceptorsTxRequired(interceptors);
    }
}
