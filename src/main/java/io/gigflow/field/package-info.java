/**
 * The field-assignment lifecycle: a client company publishes an on-site assignment, field
 * workers apply, counteroffer or ask, the client picks one, the worker confirms, checks in,
 * works (with requests for more money or another date), submits, the client approves (an
 * invoice with payment terms) and the worker is paid on the payment date or at once
 * (FastFunds). It owns its BPMN ids ({@link io.gigflow.field.FieldAssignmentProcess}), its
 * tables and its API, and uses the kernel only through the kernel's public services.
 */
@ApplicationModule(allowedDependencies = {"shared", "identity", "ledger", "notification", "document"})
package io.gigflow.field;

import org.springframework.modulith.ApplicationModule;
