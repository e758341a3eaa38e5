/**
 * The order-checklist lifecycle: an agency's services carry an ordered list of tasks; each
 * order of a service runs its own copy of that list as a checklist of team and client tasks,
 * recurring orders reset each billing cycle. Also the agency's Todo views and the activities
 * on client profiles. It owns its BPMN ids ({@link io.gigflow.checklist.OrderChecklistProcess}),
 * its tables and its API, and uses the kernel only through the kernel's public services.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "notification"})
package io.gigflow.checklist;

import org.springframework.modulith.ApplicationModule;
