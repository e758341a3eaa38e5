package io.gigflow.checklist;

import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.HtmlSanitizer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.lang.Nullable;

/**
 * A task as staff describe it, for a service's template, its library or an order's checklist.
 * {@code id} names an existing template when a service's tasks are replaced (to keep it, and
 * the orders' link to it); {@code libraryTaskId} adds a task from the service's library to an
 * order; {@code position} (1-based, among the open items) places a new item on an order.
 */
public record TaskInput(@Nullable Long id, @Nullable Long libraryTaskId, @Nullable String name, @Nullable String description,
        @Nullable Integer deadlineDays, @Nullable String deadlineFrom, @Nullable List<String> assignees,
        @Nullable Boolean visibleInPortal, @Nullable Boolean clientTask, @Nullable Integer position) {

    static final int MAX_DEADLINE_DAYS = 365;
    static final int MAX_ASSIGNEES = 20;
    static final String FROM_ORDER = "ORDER";
    static final String FROM_PREVIOUS = "PREVIOUS";

    /** Checks every rule and returns the task, its description reduced to the allowed HTML; null when a rule is broken. */
    ChecklistRepository.TaskSpec validate(FieldErrors errors, String field, String agencyId, Parties parties) {
        int before = errors.list().size();
        // a name is plain text: any markup in it is dropped (script content included)
        String cleanName = HtmlSanitizer.text(errors.requiredText(field + "name", name, 200));
        if (cleanName != null && cleanName.isBlank()) {
            errors.add(field + "name", "required", "is empty once markup is removed");
        }
        String cleanDescription = errors.optionalHtml(field + "description", description, 5000);
        if (cleanDescription != null && cleanDescription.isEmpty()) {
            cleanDescription = null;
        }
        if (deadlineDays != null && (deadlineDays < 0 || deadlineDays > MAX_DEADLINE_DAYS)) {
            errors.add(field + "deadlineDays", "range", "must be 0 to " + MAX_DEADLINE_DAYS + " days");
        }
        String from = deadlineDays == null ? null : deadlineFrom == null ? FROM_ORDER : deadlineFrom;
        if (from != null && !FROM_ORDER.equals(from) && !FROM_PREVIOUS.equals(from)) {
            errors.add(field + "deadlineFrom", "oneOf", "must be ORDER (days from the order) or PREVIOUS (days from the previous task)");
        }
        boolean client = Boolean.TRUE.equals(clientTask);
        boolean visible = client || Boolean.TRUE.equals(visibleInPortal);
        if (client && Boolean.FALSE.equals(visibleInPortal)) {
            errors.add(field + "visibleInPortal", "clientTask", "a task assigned to the client is visible in the portal");
        }
        List<String> team = new ArrayList<>(new LinkedHashSet<>(assignees == null ? List.of() : assignees));
        if (team.size() > MAX_ASSIGNEES) {
            errors.add(field + "assignees", "size", "must have at most " + MAX_ASSIGNEES + " team members");
        } else if (!client && team.isEmpty()) {
            errors.add(field + "assignees", "required", "a team task needs one or more assignees (team members)");
        } else {
            for (String member : team) {
                if (member == null || !parties.isCompanyMember(member, agencyId)) {
                    errors.add(field + "assignees", "member", member + " is not a team member of " + agencyId);
                }
            }
        }
        return errors.list().size() > before ? null
                : new ChecklistRepository.TaskSpec(cleanName, cleanDescription, deadlineDays, from, List.copyOf(team), visible, client);
    }
}
