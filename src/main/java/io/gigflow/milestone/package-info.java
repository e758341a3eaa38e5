/**
 * The contractor-milestone lifecycle: a company adds milestones to a contractor, the contractor
 * completes them, the company approves (a draft payment) or rejects them, and pays the drafted
 * payments ("Pay Contractor"). It owns its BPMN ids ({@link io.gigflow.milestone.ContractorMilestoneProcess}),
 * its delegates, its tables and its API, and uses the kernel only through the kernel's public services.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "ledger", "notification", "document"})
package io.gigflow.milestone;

import org.springframework.modulith.ApplicationModule;
