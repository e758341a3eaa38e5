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
        configuration.setCustomPreCommandInterceptorsTxRequired(appended(configuration.getCustomPreCommandInterceptorsTxRequired(), interceptor));
    }

    /** Appends {@code interceptor} to the engine's post-command interceptors: after the command's context and transaction are open. */
    public static void appendPost(ProcessEngineConfigurationImpl configuration, CommandInterceptor interceptor) {
        configuration.setCustomPostCommandInterceptorsTxRequired(appended(configuration.getCustomPostCommandInterceptorsTxRequired(), interceptor));
    }

    private static List<CommandInterceptor> appended(List<CommandInterceptor> existing, CommandInterceptor interceptor) {
        List<CommandInterceptor> interceptors = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
        interceptors.add(interceptor);
        return interceptors;
    }
}
