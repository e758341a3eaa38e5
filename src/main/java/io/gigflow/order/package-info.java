/**
 * The service-order lifecycle: a customer buys a provider's service, with add-on options,
 * "Add to Service" requests, delivery and confirmation. It owns its BPMN ids
 * ({@link io.gigflow.order.ServiceOrderProcess}), the providers' catalogue of services, its
 * tables and its API, and uses the kernel only through the kernel's public services.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "ledger", "notification"})
package io.gigflow.order;

import org.springframework.modulith.ApplicationModule;
