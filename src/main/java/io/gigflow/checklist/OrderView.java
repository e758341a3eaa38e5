package io.gigflow.checklist;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * An order card. Staff see every item, the teams and the history; the client sees only the
 * items visible in the portal up to the first open item of the checklist, and no history.
 */
public record OrderView(String ref, String serviceRef, String agencyId, String clientId, String title, OrderStatus status,
        String billingCycle, int cycle, OffsetDateTime cycleStartedAt, OffsetDateTime nextCycleAt, List<String> collaborators,
        List<ItemView> items, List<HistoryEntry> history, OffsetDateTime createdAt, OffsetDateTime completedAt) {

    public record ItemView(long id, int position, String name, String description, Integer deadlineDays, String deadlineFrom,
            List<String> assignees, boolean visibleInPortal, boolean clientTask, ItemStatus status, boolean active,
            OffsetDateTime dueAt, boolean pastDue, OffsetDateTime completedAt, String completedBy, Long templateTaskId) {
    }

    public record HistoryEntry(OffsetDateTime at, String actor, String event, String detail) {
    }
}
