package io.gigflow;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/**
 * The module boundaries stated in each package-info.java hold: no feature reaches into
 * another's internals, no module depends on one it does not declare, and there are no cycles.
 */
class ModuleStructureTest {

    @Test
    void everyModuleDependsOnlyOnWhatItDeclares() {
        ApplicationModules.of(GigflowApplication.class).verify();
    }
}
