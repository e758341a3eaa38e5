/**
 * The shared kernel: money and its input rules, the error answers of both APIs, the clock and the fault
 * injector. It depends on no feature, so every feature can depend on it.
 */
@ApplicationModule(allowedDependencies = {})
package io.gigflow.shared;

import org.springframework.modulith.ApplicationModule;
