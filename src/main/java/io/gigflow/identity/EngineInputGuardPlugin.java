package io.gigflow.identity;

import io.gigflow.shared.ProcessInputs;
import io.gigflow.shared.EngineInterceptors;
import org.camunda.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.camunda.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Puts {@link EngineInputGuard} in front of every engine command, ahead of the engine's own interceptors. */
@Component
class EngineInputGuardPlugin extends AbstractProcessEnginePlugin {

    private final ObjectProvider<ProcessInputs> declarations;
    private EngineInputGuard guard;

    EngineInputGuardPlugin(ObjectProvider<ProcessInputs> declarations) {
        this.declarations = declarations;
    }

    @Override
    public void preInit(ProcessEngineConfigurationImpl configuration) {
        guard = new EngineInputGuard(configuration, declarations.orderedStream().toList());
        EngineInterceptors.appendPre(configuration, guard);
    }

    /** The guard the engine runs with (for tests that ask it about every step). */
    EngineInputGuard guard() {
        return guard;
    }
}
