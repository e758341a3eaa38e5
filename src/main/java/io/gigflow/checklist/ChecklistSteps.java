package io.gigflow.checklist;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.identity.Parties;
import io.gigflow.notification.Notice;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.HtmlSanitizer;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TimeSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Service;

/**
 * What each step of the order-checklist process does. Every step reads the order and its
 * items from their rows under a row lock (not from variables a REST caller could have
 * changed) and mirrors what the model needs (status, which kind of item is active, the next
 * billing cycle) into process variables.
 */
@Service
class ChecklistSteps {

    static final String REF_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    static final int MAX_COLLABORATORS = 20;
    static final Duration MIN_BILLING_CYCLE = Duration.ofHours(1);

    private final ChecklistRepository repository;
    private final Parties parties;
    private final Grants grants;
    private final NotificationService notifications;
    private final CurrentUser currentUser;
    private final TimeSource time;
    private final ChecklistGuard guard;

    ChecklistSteps(ChecklistRepository repository, Parties parties, Grants grants, NotificationService notifications,
            CurrentUser currentUser, TimeSource time, ChecklistGuard guard) {
        this.guard = guard;
        this.repository = repository;
        this.parties = parties;
        this.grants = grants;
        this.notifications = notifications;
        this.currentUser = currentUser;
        this.time = time;
    }

    /** Validates the start, stores the order and copies the service's current checklist into it. */
    void openOrder(DelegateExecution execution) {
        FieldErrors errors = new FieldErrors();
        String serviceRef = errors.requiredText(OrderChecklistProcess.VAR_SERVICE_REF, execution.getVariable(OrderChecklistProcess.VAR_SERVICE_REF), 64);
        ChecklistRepository.AgencyService service = serviceRef == null ? null : repository.lockService(serviceRef).orElse(null);
        if (serviceRef != null && service == null) {
            errors.add(OrderChecklistProcess.VAR_SERVICE_REF, "exists", "no service " + serviceRef);
        }
        String clientId = errors.requiredText(OrderChecklistProcess.VAR_CLIENT_ID, execution.getVariable(OrderChecklistProcess.VAR_CLIENT_ID), 64);
        if (clientId != null && !parties.isClient(clientId)) {
            errors.add(OrderChecklistProcess.VAR_CLIENT_ID, "exists", "no client " + clientId + " (a user in the group " + Parties.CLIENTS_GROUP + ")");
        }
        String title = errors.optionalText(OrderChecklistProcess.VAR_TITLE, execution.getVariable(OrderChecklistProcess.VAR_TITLE), 200);
        List<String> collaborators = collaborators(errors, execution.getVariable(OrderChecklistProcess.VAR_COLLABORATORS), service);
        String cycle = billingCycle(errors, execution.getVariable(OrderChecklistProcess.VAR_BILLING_CYCLE));
        String businessKey = execution.getProcessBusinessKey();
        if (businessKey != null && !businessKey.matches(REF_PATTERN)) {
            errors.add("businessKey", "format", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        } else if (businessKey != null && repository.orderRefExists(businessKey)) {
            errors.add("businessKey", "unique", "an order " + businessKey + " exists already");
        }
        List<ChecklistRepository.TemplateTask> checklist = service == null ? List.of()
                : repository.templates(service.id()).stream().filter(t -> !t.library()).toList();
        if (service != null && checklist.isEmpty()) {
            errors.add(OrderChecklistProcess.VAR_SERVICE_REF, "tasks", "service " + serviceRef + " has no tasks");
        }
        errors.throwIfAny("Invalid order");
        String caller = currentUser.id().orElse(null);
        if (caller != null && !parties.isCompanyMember(caller, service.agencyId())) {
            throw new AuthorizationException(caller + " is not a member of the agency " + service.agencyId() + " that sells " + serviceRef);
        }
        String ref = businessKey == null ? repository.nextOrderRef() : businessKey;
        if (businessKey == null) {
            execution.setProcessBusinessKey(ref);
        }
        OffsetDateTime now = time.now();
        OffsetDateTime next = cycle == null ? null : plus(now, cycle);
        long id = repository.insertOrder(ref, service, clientId, title == null ? service.title() : title, collaborators, cycle, next,
                execution.getProcessInstanceId(), currentUser.actor(), now);
        int position = 1;
        for (ChecklistRepository.TemplateTask template : checklist) {
            repository.insertItem(id, template.id(), position++, template.spec());
        }
        repository.addEvent(id, now, currentUser.actor(), "OPENED", checklist.size() + " tasks from " + service.ref()
                + (cycle == null ? "" : ", billing cycle " + cycle));
        // the row holds the order now: the engine keeps no copy of the start's values, whichever door started it
        execution.removeVariables(OrderChecklistProcess.START_VARIABLES);
        grants.groupMayReadInstance(service.agencyId(), execution.getProcessInstanceId());
        // no instance access for the client: the instance's variables tell whether the active item
        // is a team task; the client reads its own tasks only
        execution.setVariable(OrderChecklistProcess.VAR_AGENCY_ID, service.agencyId());
        execution.setVariable(OrderChecklistProcess.VAR_RECURRING, cycle != null);
        execution.setVariable(OrderChecklistProcess.VAR_NEXT_CYCLE_AT, next == null ? null : Date.from(next.toInstant()));
        execution.setVariable(OrderChecklistProcess.VAR_STATUS, OrderStatus.OPEN.name());
    }

    /**
     * Makes the first open item (in checklist order) the active one. Runs after every
     * completion, after every change of the checklist and at each new billing cycle; an item
     * that was active before keeps its activation time and due date.
     */
    void activateNextItem(DelegateExecution execution) {
        ChecklistRepository.Order order = locked(execution);
        Optional<ChecklistRepository.Item> next = repository.items(order.id()).stream()
                .filter(i -> i.status() == ItemStatus.OPEN).findFirst();
        repository.deactivateAll(order.id());
        execution.setVariable(OrderChecklistProcess.VAR_ITEM_LEFT, next.isPresent());
        if (next.isEmpty()) {
            execution.setVariable(OrderChecklistProcess.VAR_CLIENT_TASK, false);
            return;
        }
        ChecklistRepository.Item item = next.get();
        OffsetDateTime now = time.now();
        OffsetDateTime activatedAt = item.activatedAt() == null ? now : item.activatedAt();
        OffsetDateTime due = item.activatedAt() == null ? dueAt(order, item.spec(), now) : item.dueAt();
        repository.activate(item.id(), activatedAt, due);
        if (item.activatedAt() == null) {
            repository.addEvent(order.id(), now, currentUser.actor(), "ITEM_ACTIVE", item.spec().name());
        }
        execution.setVariable(OrderChecklistProcess.VAR_CLIENT_TASK, item.spec().clientTask());
    }

    /**
     * Offers the active item to its team (candidate users) or assigns it to the client; the agency's staff may see it.
     * The task is named after the item, the order and the other party ("Kick-off call CO-3 · Website care (Carla
     * Doe)"); its form reads the rest from the rows when opened ({@link ChecklistFormFacts}).
     */
    void assignChecklistTask(DelegateTask task) {
        ChecklistRepository.Order order = repository.order(task.getExecution().getProcessBusinessKey()).orElseThrow();
        ChecklistRepository.Item item = activeItem(order).orElseThrow(() -> new IllegalStateException("no active item on " + order.ref()));
        String client = parties.personName(order.clientId());
        String agency = parties.companyName(order.agencyId());
        // the client's own task names the agency that asks for it; the staff's name the client the order is for
        StepDisplay.name(task, item.spec().name(), order.ref(), order.title(), item.spec().clientTask() ? agency : client);
        String text = HtmlSanitizer.text(item.spec().description());
        task.setDescription(text == null ? null : text.length() > 3900 ? text.substring(0, 3900) + "..." : text);
        if (item.dueAt() != null) {
            task.setDueDate(Date.from(item.dueAt().toInstant()));
        }
        if (item.spec().clientTask()) {
            HumanSteps.assignAndOffer(task, order.clientId());
        } else {
            task.addCandidateUsers(item.spec().assignees());
        }
        grants.groupMayReadTask(order.agencyId(), task.getId());
        // only this step's own completion says it is done
        task.getExecution().removeVariable(OrderChecklistProcess.VAR_ITEM_DONE);
    }

    /** Completing the checklist task: only the active item's team, or the client for a client task (the item's row says which). */
    void checkItemDone(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        ChecklistRepository.Order order = locked(execution);
        ChecklistRepository.Item item = activeItem(order).orElseThrow(() -> new IllegalStateException("no active item on " + order.ref()));
        guard.checkCompleteItem(order, item, currentUser.id().orElse(null));
        Object done = execution.getVariable(OrderChecklistProcess.VAR_ITEM_DONE);
        if (!Boolean.TRUE.equals(done)) {
            FieldErrors errors = new FieldErrors();
            errors.add(OrderChecklistProcess.VAR_ITEM_DONE, "true", "must be true (Boolean) to mark the task done, not "
                    + (done == null ? "missing" : "\"" + done + "\""));
            errors.throwIfAny("Invalid completion");
        }
    }

    /** Records who completed the active item and when. */
    void recordItemDone(DelegateExecution execution) {
        ChecklistRepository.Order order = locked(execution);
        ChecklistRepository.Item item = activeItem(order).orElseThrow(() -> new IllegalStateException("no active item on " + order.ref()));
        OffsetDateTime now = time.now();
        repository.markDone(item.id(), currentUser.actor(), now);
        repository.addEvent(order.id(), now, currentUser.actor(), "ITEM_DONE", item.spec().name());
        execution.removeVariable(OrderChecklistProcess.VAR_ITEM_DONE);
    }

    void completeOrder(DelegateExecution execution) {
        ChecklistRepository.Order order = locked(execution);
        OffsetDateTime now = time.now();
        repository.updateOrder(order.id(), "status = 'COMPLETED', completed_at = :now", now);
        repository.addEvent(order.id(), now, currentUser.actor(), "COMPLETED",
                order.recurring() ? "cycle " + order.cycleNo() + "; the next cycle starts " + order.nextCycleAt() : null);
        execution.setVariable(OrderChecklistProcess.VAR_STATUS, OrderStatus.COMPLETED.name());
    }

    /**
     * A new billing cycle: every item is open again and each item copied from a service task
     * takes that task's current team (assignees); the checklist itself (which items, their
     * names, order and deadlines) stays the order's own.
     */
    void startNewCycle(DelegateExecution execution) {
        ChecklistRepository.Order order = locked(execution);
        repository.reopenAll(order.id());
        int reassigned = 0;
        for (ChecklistRepository.Item item : repository.items(order.id())) {
            if (item.templateTaskId() == null || item.spec().clientTask()) {
                continue;
            }
            Optional<ChecklistRepository.TemplateTask> template = repository.template(item.templateTaskId()).filter(t -> !t.removed());
            if (template.isPresent() && !template.get().spec().assignees().equals(item.spec().assignees())) {
                repository.setAssignees(item.id(), template.get().spec().assignees());
                reassigned++;
            }
        }
        OffsetDateTime start = order.nextCycleAt();
        OffsetDateTime next = plus(start, order.billingCycle());
        OffsetDateTime now = time.now();
        repository.updateOrder(order.id(), "status = 'OPEN', completed_at = null, cycle_no = :cycle, cycle_started_at = :start, "
                + "next_cycle_at = :next", now, "cycle", order.cycleNo() + 1, "start", start, "next", next);
        repository.addEvent(order.id(), now, currentUser.actor(), "CYCLE_STARTED", "cycle " + (order.cycleNo() + 1)
                + ": every task reopened" + (reassigned == 0 ? "" : ", " + reassigned + " reassigned from the service"));
        execution.setVariable(OrderChecklistProcess.VAR_NEXT_CYCLE_AT, Date.from(next.toInstant()));
        execution.setVariable(OrderChecklistProcess.VAR_STATUS, OrderStatus.OPEN.name());
    }

    /** The message ChecklistChanged arrives: only from the agency's staff, only while the order is OPEN. */
    void checkChecklistChanged(DelegateExecution execution) {
        guard.checkChange(locked(execution), currentUser.id().orElse(null));
    }

    /** The message ChecklistCancelled arrives: only from the agency's staff, only while the order may be cancelled. */
    void checkChecklistCancelled(DelegateExecution execution) {
        guard.checkCancel(locked(execution), currentUser.id().orElse(null));
    }

    void cancelOrder(DelegateExecution execution) {
        ChecklistRepository.Order order = locked(execution);
        guard.checkCancel(order, currentUser.id().orElse(null));
        OffsetDateTime now = time.now();
        repository.deactivateAll(order.id());
        repository.updateOrder(order.id(), "status = 'CANCELLED'", now);
        repository.addEvent(order.id(), now, currentUser.actor(), "CANCELLED", null);
        execution.setVariable(OrderChecklistProcess.VAR_STATUS, OrderStatus.CANCELLED.name());
    }

    /** Tells the client and the order's collaborators; each event once per item and cycle (or per cycle). */
    void notifyParties(DelegateExecution execution, String notice) {
        ChecklistRepository.Order order = repository.order(execution.getProcessBusinessKey()).orElseThrow();
        List<String> recipients = new ArrayList<>(new LinkedHashSet<>(concat(order.clientId(), order.collaborators())));
        String reference = OrderChecklistProcess.reference(order.ref());
        switch (notice) {
            case "CLIENT_TASK_ACTIVE" -> {
                ChecklistRepository.Item item = activeItem(order).orElseThrow();
                notifications.notifyAll(recipients, notice, reference, "item" + item.id() + "-cycle" + order.cycleNo(),
                        notice(order, "checklist/client-task-active").with("task", item.spec().name()).with("due", item.dueAt()));
            }
            case "ORDER_COMPLETED" -> notifications.notifyAll(recipients, notice, reference, "cycle" + order.cycleNo(),
                    notice(order, "checklist/completed").with("nextCycle", order.recurring() ? order.nextCycleAt() : null));
            case "ORDER_CANCELLED" -> notifications.notifyAll(recipients, notice, reference, notice(order, "checklist/cancelled"));
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    /** A notice about the order, every value from its row: the agency by its name. */
    private Notice notice(ChecklistRepository.Order order, String name) {
        return Notice.of(name).with("title", order.title()).with("ref", order.ref())
                .with("agency", parties.companyName(order.agencyId()))
                .link("/api/checklist-orders/" + order.ref());
    }

    /** What follows when this item is done, in words: the next open item and who gets it, or the order's completion. */
    String nextStep(ChecklistRepository.Order order, ChecklistRepository.Item current) {
        return repository.items(order.id()).stream()
                .filter(item -> item.position() > current.position() && item.status() == ItemStatus.OPEN)
                .min(java.util.Comparator.comparingInt(ChecklistRepository.Item::position))
                .map(next -> "When you mark this task done, the next task \u201c" + next.spec().name() + "\u201d is offered to "
                        + (next.spec().clientTask() ? "the client." : "its team."))
                .orElse("This is the order's last task: when you mark it done, the order is completed"
                        + (order.recurring() ? " for this cycle, and the next cycle starts on its date." : "."));
    }

    Optional<ChecklistRepository.Item> activeItem(ChecklistRepository.Order order) {
        return repository.items(order.id()).stream().filter(ChecklistRepository.Item::active).findFirst();
    }

    static OffsetDateTime dueAt(ChecklistRepository.Order order, ChecklistRepository.TaskSpec spec, OffsetDateTime activatedAt) {
        if (spec.deadlineDays() == null) {
            return null;
        }
        OffsetDateTime from = TaskInput.FROM_PREVIOUS.equals(spec.deadlineFrom()) ? activatedAt : order.cycleStartedAt();
        return from.plusDays(spec.deadlineDays());
    }

    static OffsetDateTime plus(OffsetDateTime from, String cycle) {
        return cycle.contains("T") ? from.plus(Duration.parse(cycle)) : from.plus(Period.parse(cycle));
    }

    /** A billing cycle: an ISO-8601 period (P1M, P1W, P14D, P1Y) or duration (PT12H), at least an hour. */
    static String billingCycle(FieldErrors errors, Object raw) {
        String text = errors.optionalText(OrderChecklistProcess.VAR_BILLING_CYCLE, raw, 40);
        if (text == null) {
            return null;
        }
        try {
            OffsetDateTime start = OffsetDateTime.parse("2026-01-01T00:00:00Z");
            OffsetDateTime end = plus(start, text.toUpperCase());
            if (Duration.between(start, end).compareTo(MIN_BILLING_CYCLE) < 0) {
                errors.add(OrderChecklistProcess.VAR_BILLING_CYCLE, "min", "must be at least one hour (PT1H)");
            }
            return text.toUpperCase();
        } catch (DateTimeParseException e) {
            errors.add(OrderChecklistProcess.VAR_BILLING_CYCLE, "format", "must be an ISO-8601 period such as P1M, P1W or P30D, not \"" + text + "\"");
            return null;
        }
    }

    private List<String> collaborators(FieldErrors errors, Object raw, ChecklistRepository.AgencyService service) {
        String text = errors.optionalText(OrderChecklistProcess.VAR_COLLABORATORS, raw, 1000);
        if (text == null) {
            return List.of();
        }
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(List.of(text.split(",")).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList()));
        if (ids.size() > MAX_COLLABORATORS) {
            errors.add(OrderChecklistProcess.VAR_COLLABORATORS, "size", "must name at most " + MAX_COLLABORATORS + " collaborators");
        } else if (service != null) {
            for (String id : ids) {
                if (!parties.isCompanyMember(id, service.agencyId())) {
                    errors.add(OrderChecklistProcess.VAR_COLLABORATORS, "member", id + " is not a team member of " + service.agencyId());
                }
            }
        }
        return ids;
    }

    private ChecklistRepository.Order locked(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        // a row belongs to the one instance that opened it: an instance started elsewhere under the
        // same business key must never act on it
        return repository.lockOrder(ref).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no order " + ref + " of process instance " + execution.getProcessInstanceId()));
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
