package io.gigflow.identity;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
class SignInCacheConfiguration {

    @Bean
    SignInCache signInCache(SignInCacheSettings settings) {
        return new SignInCache(settings, Ticker.systemTicker());
    }

    /** Puts {@link IdentityWrites} into the engine's command chains, inside each command's context. */
    @Bean
    AbstractProcessEnginePlugin identityWritesPlugin(SignInCache signIns, KnownParties known) {
        return new AbstractProcessEnginePlugin() {
            @Override
            public void preInit(ProcessEngineConfigurationImpl configuration) {
                configuration.setCustomPostCommandInterceptorsTxRequired(
                        withWrites(configuration.getCustomPostCommandInterceptorsTxRequired(), signIns, known));
                configuration.setCustomPostCommandInterceptorsTxRequiresNew(
                        withWrites(configuration.getCustomPostCommandInterceptorsTxRequiresNew(), signIns, known));
            }
        };
    }

    private static List<CommandInterceptor> withWrites(List<CommandInterceptor> configured, SignInCache signIns, KnownParties known) {
        List<CommandInterceptor> interceptors = configured == null ? new ArrayList<>() : new ArrayList<>(configured);
        interceptors.add(new IdentityWrites(signIns, known));
        return interceptors;
    }
}
