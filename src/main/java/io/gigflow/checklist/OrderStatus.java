package io.gigflow.checklist;

/** The statuses of a checklist order, as the API and the process variable {@code status} show them. */
public enum OrderStatus {
    OPEN, COMPLETED, CANCELLED
}
