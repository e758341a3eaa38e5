package io.gigflow.checklist;

import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.lang.Nullable;

/**
 * An order card. Staff see every item, the teams and the history; the client sees only the
 * items visible in the portal up to the first open item of the checklist, and no history.
 */
public record OrderView(String ref, @Nullable String serviceRef, String agencyId, String clientId, String title,
        OrderStatus status, @Nullable String billingCycle, int cycle, OffsetDateTime cycleStartedAt,
        @Nullable OffsetDateTime nextCycleAt, @Nullable List<String> collaborators, List<ItemView> items,
        @Nullable List<HistoryEntry> history, OffsetDateTime createdAt, @Nullable OffsetDateTime completedAt) {

    public record ItemView(long id, int position, String name, @Nullable String description, @Nullable Integer deadlineDays,
            @Nullable String deadlineFrom, List<String> assignees, boolean visibleInPortal, boolean clientTask, ItemStatus status,
            boolean active, @Nullable OffsetDateTime dueAt, boolean pastDue, @Nullable OffsetDateTime completedAt,
            @Nullable String completedBy, @Nullable Long templateTaskId) {
    }

    public record HistoryEntry(OffsetDateTime at, String actor, String event, @Nullable String detail) {
    }
}
