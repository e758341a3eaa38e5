package io.gigflow.milestone;

/** The statuses of a milestone: part of the public contract (process variable {@code status}). */
public enum MilestoneStatus {
    IN_PROGRESS,
    SUBMITTED,
    APPROVED,
    DELETED;

    /** List views group IN_PROGRESS and SUBMITTED as "pending": the milestone can still be edited or deleted. */
    public boolean isPending() {
        return this == IN_PROGRESS || this == SUBMITTED;
    }
}
