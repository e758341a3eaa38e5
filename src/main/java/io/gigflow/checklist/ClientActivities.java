package io.gigflow.checklist;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Activities on a client's profile: a note, an optional due date and time, an optional
 * assignee, kept by one agency. A client's profile exists for the staff of the agencies that
 * have an order with that client; for everybody else (the client included: activities are
 * the agency's own notes) it answers 404. An agency's admins (members of the group
 * {@code <agencyId>admins}) see every activity of the agency; other staff see the
 * unassigned ones and those assigned to them.
 */
@Service
public class ClientActivities {

    public record NewActivity(@Nullable String agencyId, String note, @Nullable String dueAt, @Nullable String assigneeId) {
    }

    public record ActivityView(long id, String agencyId, String clientId, String note, @Nullable OffsetDateTime dueAt,
            @Nullable String assigneeId, String status, boolean pastDue, String createdBy, OffsetDateTime createdAt,
            @Nullable OffsetDateTime completedAt, @Nullable String completedBy) {
    }

    public record TimelineEntry(OffsetDateTime at, String kind, String actor, String what, @Nullable String orderRef,
            @Nullable Long activityId) {
    }

    public record Timeline(String clientId, List<ActivityView> upcoming, List<TimelineEntry> entries) {
    }

    public record ActivityCounts(long open, long pastDue, long mine) {
    }

    public record ActivityTodo(ActivityCounts counts, List<ActivityView> items) {
    }

    private final ActivityRepository activities;
    private final ChecklistRepository orders;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final TimeSource time;

    ClientActivities(ActivityRepository activities, ChecklistRepository orders, Parties parties, CurrentUser currentUser, TimeSource time) {
        this.activities = activities;
        this.orders = orders;
        this.parties = parties;
        this.currentUser = currentUser;
        this.time = time;
    }

    @Transactional
    public ActivityView add(String clientId, NewActivity input) {
        String user = currentUser.require();
        List<String> agencies = agenciesServing(user, clientId);
        FieldErrors errors = new FieldErrors();
        String agencyId = input.agencyId();
        if (agencyId == null && agencies.size() > 1) {
            errors.add("agencyId", "required", "you work for several agencies of this client: say which (" + String.join(", ", agencies) + ")");
        } else if (agencyId == null) {
            agencyId = agencies.get(0);
        } else if (!agencies.contains(agencyId)) {
            errors.add("agencyId", "oneOf", "must be one of your agencies that serve this client: " + String.join(", ", agencies));
        }
        String note = errors.requiredHtml("note", input.note(), 5000);
        OffsetDateTime dueAt = null;
        if (input.dueAt() != null && !input.dueAt().isBlank()) {
            try {
                dueAt = OffsetDateTime.parse(input.dueAt().strip());
            } catch (DateTimeParseException e) {
                errors.add("dueAt", "format", "must be a date and time with offset, such as 2026-03-02T15:00:00+01:00");
            }
        }
        String assignee = input.assigneeId() == null || input.assigneeId().isBlank() ? null : input.assigneeId().strip();
        if (assignee != null && agencyId != null && !parties.isCompanyMember(assignee, agencyId)) {
            errors.add("assigneeId", "member", assignee + " is not a team member of " + agencyId);
        }
        errors.throwIfAny("Invalid activity");
        long id = activities.insert(agencyId, clientId, note, dueAt, assignee, user, time.now());
        return view(activities.find(id).orElseThrow());
    }

    /** Completing an activity moves it from "upcoming" into the timeline, at its completion time. */
    @Transactional
    public ActivityView complete(String clientId, long id) {
        String user = currentUser.require();
        List<String> agencies = agenciesServing(user, clientId);
        ActivityRepository.Activity activity = activities.lock(id).filter(a -> a.clientId().equals(clientId))
                .filter(a -> agencies.contains(a.agencyId())).filter(a -> sees(user, a))
                .orElseThrow(() -> new NotFoundException("No activity " + id + " of client " + clientId));
        if ("DONE".equals(activity.status())) {
            throw new ConflictException("Activity " + id + " is done already");
        }
        activities.complete(id, user, time.now());
        return view(activities.find(id).orElseThrow());
    }

    public Timeline timeline(String clientId) {
        String user = currentUser.require();
        List<String> agencies = agenciesServing(user, clientId);
        List<ActivityView> upcoming = new ArrayList<>();
        List<TimelineEntry> entries = new ArrayList<>();
        for (ActivityRepository.Activity activity : activities.ofClient(agencies, clientId)) {
            if (!sees(user, activity)) {
                continue;
            }
            if ("DONE".equals(activity.status())) {
                entries.add(new TimelineEntry(activity.completedAt(), "ACTIVITY", activity.completedBy(), activity.note(), null, activity.id()));
            } else {
                upcoming.add(view(activity));
            }
        }
        for (ChecklistRepository.Order order : orders.ordersOfClient(clientId, 200)) {
            if (!agencies.contains(order.agencyId())) {
                continue;
            }
            for (ChecklistRepository.Event event : orders.events(order.id())) {
                entries.add(new TimelineEntry(event.at(), "ORDER_" + event.event(), event.actor(),
                        event.detail() == null ? order.title() : event.detail(), order.ref(), null));
            }
        }
        upcoming.sort(Comparator.comparing(ActivityView::dueAt, Comparator.nullsLast(Comparator.naturalOrder())));
        entries.sort(Comparator.comparing(TimelineEntry::at).reversed());
        return new Timeline(clientId, upcoming, entries);
    }

    /** Todo > Activities: the open (or done) activities the signed-in staff member may see, across their agencies. */
    public ActivityTodo todo(String assignee, String status) {
        String user = currentUser.require();
        List<String> agencies = parties.companiesOf(user);
        if (agencies.isEmpty()) {
            throw new ForbiddenException("Todo is for agency staff");
        }
        String filter = status == null ? "open" : status;
        if (!List.of("open", "pastDue", "done").contains(filter)) {
            throw InvalidInputException.of("Invalid query", "status", "oneOf", "must be open, pastDue or done");
        }
        String who = "me".equals(assignee) ? user : assignee;
        List<ActivityView> open = activities.ofAgencies(agencies, "OPEN").stream().filter(a -> sees(user, a)).map(this::view).toList();
        ActivityCounts counts = new ActivityCounts(open.size(), open.stream().filter(ActivityView::pastDue).count(),
                open.stream().filter(a -> user.equals(a.assigneeId())).count());
        List<ActivityView> base = "done".equals(filter)
                ? activities.ofAgencies(agencies, "DONE").stream().filter(a -> sees(user, a)).map(this::view).toList() : open;
        List<ActivityView> items = base.stream().filter(a -> who == null || who.equals(a.assigneeId()))
                .filter(a -> !"pastDue".equals(filter) || a.pastDue()).toList();
        return new ActivityTodo(counts, items);
    }

    private boolean sees(String user, ActivityRepository.Activity activity) {
        return activity.assigneeId() == null || activity.assigneeId().equals(user) || parties.isAgencyAdmin(user, activity.agencyId());
    }

    /** The caller's agencies that have an order with this client; none: the profile does not exist for the caller. */
    private List<String> agenciesServing(String user, String clientId) {
        List<String> agencies = parties.companiesOf(user).stream().filter(a -> orders.agencyHasClient(a, clientId)).toList();
        if (agencies.isEmpty()) {
            throw new NotFoundException("No client " + clientId);
        }
        return agencies;
    }

    private ActivityView view(ActivityRepository.Activity a) {
        boolean pastDue = "OPEN".equals(a.status()) && a.dueAt() != null && a.dueAt().isBefore(time.now());
        return new ActivityView(a.id(), a.agencyId(), a.clientId(), a.note(), a.dueAt(), a.assigneeId(), a.status(), pastDue,
                a.createdBy(), a.createdAt(), a.completedAt(), a.completedBy());
    }
}
