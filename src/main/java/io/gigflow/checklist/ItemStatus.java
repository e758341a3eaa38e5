package io.gigflow.checklist;

/** The status of one checklist item. */
public enum ItemStatus {
    OPEN, DONE
}
