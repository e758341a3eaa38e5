package io.gigflow.checklist;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.ProcessInputs;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.Transactions;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * The order-checklist use cases behind the domain API. Each checks who asks, then acts
 * through the engine as that user, exactly as Tasklist and /engine-rest would. Changes to an
 * order's checklist change its rows; when they change which item should be active (or the
 * active item itself), the process is told with the message ChecklistChanged and activates
 * the right item again.
 */
@Service
public class ChecklistOrderService {

    static final int MAX_ITEMS = 200;
    static final int LIST_LIMIT = 500;

    public record PlaceOrder(String clientId, @Nullable List<String> collaborators, @Nullable String billingCycle,
            @Nullable String title, @Nullable String reference) {
    }

    public record Reorder(@Nullable List<Long> itemIds) {
    }

    public record TodoItem(String orderRef, String orderTitle, String clientId, long itemId, String name, List<String> assignees,
            boolean clientTask, boolean active, @Nullable OffsetDateTime dueAt, boolean pastDue) {
    }

    public record TodoCounts(long open, long active, long pastDue, long mine) {
    }

    public record Todo(TodoCounts counts, List<TodoItem> items) {
    }

    private final ChecklistRepository repository;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final RuntimeService runtimeService;
    private final TaskService taskService;
    private final TimeSource time;
    private final Transactions transactions;
    private final ChecklistGuard guard;

    ChecklistOrderService(ChecklistRepository repository, Parties parties, CurrentUser currentUser, RuntimeService runtimeService,
            TaskService taskService, TimeSource time, Transactions transactions, ChecklistGuard guard) {
        this.guard = guard;
        this.repository = repository;
        this.parties = parties;
        this.currentUser = currentUser;
        this.runtimeService = runtimeService;
        this.taskService = taskService;
        this.time = time;
        this.transactions = transactions;
    }

    /** Places an order of an agency's service for a client: the same start as /engine-rest's. */
    public OrderView place(String serviceRef, PlaceOrder request) {
        return transactions.retryingOnConcurrentChange(() -> {
            repository.service(serviceRef).filter(s -> parties.isCompanyMember(currentUser.require(), s.agencyId()))
                    .orElseThrow(() -> new NotFoundException("No service " + serviceRef));
            Map<String, Object> variables = new HashMap<>();
            variables.put(OrderChecklistProcess.VAR_SERVICE_REF, serviceRef);
            variables.put(OrderChecklistProcess.VAR_CLIENT_ID, request.clientId());
            if (request.collaborators() != null && !request.collaborators().isEmpty()) {
                variables.put(OrderChecklistProcess.VAR_COLLABORATORS, String.join(",", request.collaborators()));
            }
            variables.put(OrderChecklistProcess.VAR_BILLING_CYCLE, request.billingCycle());
            variables.put(OrderChecklistProcess.VAR_TITLE, request.title());
            // transient: the start reads them once and keeps them in the row
            ProcessInstance instance = runtimeService.createProcessInstanceByKey(OrderChecklistProcess.KEY)
                    .businessKey(request.reference()).setVariables(ProcessInputs.readOnce(variables)).execute();
            return view(repository.orderByProcessInstance(instance.getId()).orElseThrow());
        });
    }

    public OrderView get(String ref) {
        return view(visible(ref));
    }

    /** The signed-in person's orders: a client's own, or those of the agencies a staff member belongs to. */
    public List<OrderView> mine(OrderStatus status) {
        String user = currentUser.require();
        List<ChecklistRepository.Order> orders = new ArrayList<>(repository.ordersOfAgencies(parties.companiesOf(user), status, LIST_LIMIT));
        if (parties.isClient(user)) {
            repository.ordersOfClient(user, LIST_LIMIT).stream().filter(o -> status == null || o.status() == status)
                    .filter(o -> orders.stream().noneMatch(known -> known.id() == o.id())).forEach(orders::add);
        }
        // one membership look-up per agency and one service per order's service, not one of each per order
        Map<String, Boolean> staffOf = new HashMap<>();
        Map<Long, String> serviceRefs = new HashMap<>();
        return orders.stream().map(order -> view(order, staffOf.computeIfAbsent(order.agencyId(), agency -> parties.isCompanyMember(user, agency)),
                serviceRefs.computeIfAbsent(order.serviceId(), this::serviceRef))).toList();
    }

    /** Adds a task to an open order, from scratch or from the service's library, at a position among the open items (default: last). */
    public OrderView addItem(String ref, TaskInput input) {
        return transactions.retryingOnConcurrentChange(() -> {
            ChecklistRepository.Order order = asStaffOnOpenOrder(ref);
            List<ChecklistRepository.Item> items = repository.items(order.id());
            if (items.size() >= MAX_ITEMS) {
                throw InvalidInputException.of("Invalid task", "items", "size", "an order has at most " + MAX_ITEMS + " tasks");
            }
            FieldErrors errors = new FieldErrors();
            ChecklistRepository.TaskSpec spec;
            Long templateId = null;
            if (input.libraryTaskId() != null) {
                ChecklistRepository.TemplateTask template = repository.template(input.libraryTaskId())
                        .filter(t -> t.serviceId() == order.serviceId() && !t.removed()).orElse(null);
                if (template == null) {
                    errors.add("libraryTaskId", "exists", "the order's service has no task " + input.libraryTaskId());
                }
                spec = template == null ? null : template.spec();
                templateId = template == null ? null : template.id();
            } else {
                spec = input.validate(errors, "", order.agencyId(), parties);
            }
            List<ChecklistRepository.Item> open = items.stream().filter(i -> i.status() == ItemStatus.OPEN).toList();
            int at = input.position() == null ? open.size() + 1 : input.position();
            if (at < 1 || at > open.size() + 1) {
                errors.add("position", "range", "must be 1 to " + (open.size() + 1) + " (a place among the open tasks)");
            }
            errors.throwIfAny("Invalid task");
            long id = repository.insertItem(order.id(), templateId, Integer.MAX_VALUE, spec);
            List<Long> openIds = new ArrayList<>(open.stream().map(ChecklistRepository.Item::id).toList());
            openIds.add(at - 1, id);
            renumber(order, items, openIds);
            repository.addEvent(order.id(), time.now(), currentUser.actor(), "ITEM_ADDED", spec.name() + " at " + at
                    + (templateId == null ? "" : " (from the library)"));
            rerouteIfNeeded(order);
            return view(repository.order(ref).orElseThrow());
        });
    }

    /** Edits an open task of an open order. */
    public OrderView editItem(String ref, long itemId, TaskInput input) {
        return transactions.retryingOnConcurrentChange(() -> {
            ChecklistRepository.Order order = asStaffOnOpenOrder(ref);
            ChecklistRepository.Item item = item(order, itemId);
            if (item.status() != ItemStatus.OPEN) {
                throw new ConflictException("Task " + itemId + " is done; only open tasks can be edited");
            }
            FieldErrors errors = new FieldErrors();
            ChecklistRepository.TaskSpec spec = input.validate(errors, "", order.agencyId(), parties);
            errors.throwIfAny("Invalid task");
            repository.updateSpec(itemId, spec);
            repository.addEvent(order.id(), time.now(), currentUser.actor(), "ITEM_EDITED", spec.name());
            if (item.active()) {
                reroute(order); // its team, name or due date may have changed: offer it again
            }
            return view(repository.order(ref).orElseThrow());
        });
    }

    /** Puts the open tasks in a new order; done tasks keep their place ahead of them. */
    public OrderView reorder(String ref, Reorder request) {
        return transactions.retryingOnConcurrentChange(() -> {
            ChecklistRepository.Order order = asStaffOnOpenOrder(ref);
            List<ChecklistRepository.Item> items = repository.items(order.id());
            Set<Long> open = new HashSet<>(items.stream().filter(i -> i.status() == ItemStatus.OPEN).map(ChecklistRepository.Item::id).toList());
            List<Long> ids = request.itemIds() == null ? List.of() : request.itemIds();
            if (ids.size() != open.size() || !open.equals(new HashSet<>(ids))) {
                throw InvalidInputException.of("Invalid order of tasks", "itemIds", "openItems",
                        "must list every open task of the order exactly once: " + open);
            }
            renumber(order, items, ids);
            repository.addEvent(order.id(), time.now(), currentUser.actor(), "REORDERED", null);
            rerouteIfNeeded(order);
            return view(repository.order(ref).orElseThrow());
        });
    }

    /** The active task is done: by one of its team members, or by the client for a client task. */
    public OrderView markDone(String ref, long itemId) {
        return transactions.retryingOnConcurrentChange(() -> {
            ChecklistRepository.Order order = visible(ref);
            String user = currentUser.require();
            boolean staff = parties.isCompanyMember(user, order.agencyId());
            ChecklistRepository.Item item = repository.items(order.id()).stream().filter(i -> i.id() == itemId)
                    .filter(i -> staff || clientSees(order, repository.items(order.id())).contains(i))
                    .findFirst().orElseThrow(() -> new NotFoundException("No task " + itemId + " on order " + ref));
            guard.checkCompleteItem(order, item, user);
            Task step = openStep(order).orElseThrow(() -> new ConflictException("Order " + ref + " does not wait for this task now"));
            try {
                taskService.complete(step.getId(), Map.of(OrderChecklistProcess.VAR_ITEM_DONE, true));
            } catch (InvalidInputException | OptimisticLockingException e) {
                throw e;
            } catch (RuntimeException e) {
                if (taskService.createTaskQuery().taskId(step.getId()).count() == 0) {
                    throw new ConflictException("Somebody changed this order at the same moment; reload it");
                }
                throw e;
            }
            return view(repository.order(ref).orElseThrow());
        });
    }

    public OrderView cancel(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            ChecklistRepository.Order order = asStaff(ref);
            guard.checkCancel(order, currentUser.require());
            try {
                runtimeService.createMessageCorrelation(OrderChecklistProcess.MESSAGE_CHECKLIST_CANCELLED)
                        .processInstanceId(order.processInstanceId()).correlateWithResult();
            } catch (MismatchingMessageCorrelationException e) {
                throw new ConflictException("Order " + ref + " is " + order.status() + "; it cannot be cancelled now");
            }
            return view(repository.order(ref).orElseThrow());
        });
    }

    /** Todo: the open tasks of the open orders of the signed-in person's agencies, filtered, with badge counts. */
    public Todo todo(String assignee, String status) {
        String user = currentUser.require();
        List<String> agencies = parties.companiesOf(user);
        if (agencies.isEmpty()) {
            throw new ForbiddenException("Todo is for agency staff");
        }
        String filter = status == null ? "open" : status;
        if (!List.of("open", "active", "pastDue").contains(filter)) {
            throw InvalidInputException.of("Invalid query", "status", "oneOf", "must be open, active or pastDue");
        }
        String who = "me".equals(assignee) ? user : assignee;
        OffsetDateTime now = time.now();
        Map<Long, ChecklistRepository.Order> orders = new LinkedHashMap<>();
        repository.ordersOfAgencies(agencies, OrderStatus.OPEN, LIST_LIMIT).forEach(o -> orders.put(o.id(), o));
        List<TodoItem> all = new ArrayList<>();
        for (ChecklistRepository.Item item : repository.openItemsOfAgencies(agencies, 5000)) {
            ChecklistRepository.Order order = orders.get(item.orderId());
            if (order == null) {
                continue;
            }
            OffsetDateTime due = dueAt(order, item);
            List<String> assignees = item.spec().clientTask() ? List.of(order.clientId()) : item.spec().assignees();
            all.add(new TodoItem(order.ref(), order.title(), order.clientId(), item.id(), item.spec().name(), assignees,
                    item.spec().clientTask(), item.active(), due, due != null && due.isBefore(now)));
        }
        TodoCounts counts = new TodoCounts(all.size(), all.stream().filter(TodoItem::active).count(),
                all.stream().filter(TodoItem::pastDue).count(), all.stream().filter(i -> i.assignees().contains(user)).count());
        List<TodoItem> items = all.stream()
                .filter(i -> who == null || i.assignees().contains(who))
                .filter(i -> !"active".equals(filter) || i.active())
                .filter(i -> !"pastDue".equals(filter) || i.pastDue())
                .toList();
        return new Todo(counts, items);
    }

    // ---- helpers

    private void renumber(ChecklistRepository.Order order, List<ChecklistRepository.Item> items, List<Long> openInOrder) {
        int position = 1;
        for (ChecklistRepository.Item item : items) {
            if (item.status() == ItemStatus.DONE) {
                repository.setPosition(item.id(), position++);
            }
        }
        for (long id : openInOrder) {
            repository.setPosition(id, position++);
        }
    }

    /** The process waits on the active item; when the first open item is another one now, it activates that one instead. */
    private void rerouteIfNeeded(ChecklistRepository.Order order) {
        List<ChecklistRepository.Item> items = repository.items(order.id());
        Optional<ChecklistRepository.Item> first = items.stream().filter(i -> i.status() == ItemStatus.OPEN).findFirst();
        Optional<ChecklistRepository.Item> active = items.stream().filter(ChecklistRepository.Item::active).findFirst();
        if (!first.map(ChecklistRepository.Item::id).equals(active.map(ChecklistRepository.Item::id))) {
            reroute(order);
        }
    }

    private void reroute(ChecklistRepository.Order order) {
        if (openStep(order).isEmpty()) {
            return; // between steps or waiting for the next cycle: the next activation reads the rows anyway
        }
        runtimeService.createMessageCorrelation(OrderChecklistProcess.MESSAGE_CHECKLIST_CHANGED)
                .processInstanceId(order.processInstanceId()).correlateWithResult();
    }

    /** The open checklist task of the order, read as the signed-in user (the agency's staff may read every one of them). */
    private Optional<Task> openStep(ChecklistRepository.Order order) {
        return taskService.createTaskQuery().processInstanceId(order.processInstanceId()).listPage(0, 1).stream().findFirst();
    }

    private ChecklistRepository.Item item(ChecklistRepository.Order order, long itemId) {
        return repository.items(order.id()).stream().filter(i -> i.id() == itemId).findFirst()
                .orElseThrow(() -> new NotFoundException("No task " + itemId + " on order " + order.ref()));
    }

    private ChecklistRepository.Order visible(String ref) {
        String user = currentUser.require();
        return repository.order(ref).filter(o -> o.clientId().equals(user) || parties.isCompanyMember(user, o.agencyId()))
                .orElseThrow(() -> new NotFoundException("No order " + ref));
    }

    private ChecklistRepository.Order asStaff(String ref) {
        guard.checkStaff(visible(ref), currentUser.require());
        return repository.lockOrder(ref).orElseThrow();
    }

    private ChecklistRepository.Order asStaffOnOpenOrder(String ref) {
        ChecklistRepository.Order order = asStaff(ref);
        guard.checkChange(order, currentUser.require());
        return order;
    }

    /** What the client sees: tasks visible in the portal, up to the first open task of the whole checklist. */
    static List<ChecklistRepository.Item> clientSees(ChecklistRepository.Order order, List<ChecklistRepository.Item> items) {
        if (order.status() == OrderStatus.CANCELLED) {
            return items.stream().filter(i -> i.spec().visibleInPortal() && i.status() == ItemStatus.DONE).toList();
        }
        List<ChecklistRepository.Item> seen = new ArrayList<>();
        for (ChecklistRepository.Item item : items) {
            if (item.spec().visibleInPortal()) {
                seen.add(item);
            }
            if (item.status() == ItemStatus.OPEN) {
                break;
            }
        }
        return seen;
    }

    static OffsetDateTime dueAt(ChecklistRepository.Order order, ChecklistRepository.Item item) {
        if (item.activatedAt() != null || item.status() == ItemStatus.DONE) {
            return item.dueAt();
        }
        // not active yet: a deadline counted from the order (the cycle's start) is known already
        return TaskInput.FROM_ORDER.equals(item.spec().deadlineFrom()) ? ChecklistSteps.dueAt(order, item.spec(), null) : null;
    }

    OrderView view(ChecklistRepository.Order order) {
        return view(order, parties.isCompanyMember(currentUser.require(), order.agencyId()), serviceRef(order.serviceId()));
    }

    private String serviceRef(long serviceId) {
        return repository.service(serviceId).map(ChecklistRepository.AgencyService::ref).orElse(null);
    }

    /** The order as the signed-in person sees it: all of it as the agency's staff, what the client may see otherwise. */
    private OrderView view(ChecklistRepository.Order order, boolean staff, String serviceRef) {
        List<ChecklistRepository.Item> items = repository.items(order.id());
        List<ChecklistRepository.Item> shown = staff ? items : clientSees(order, items);
        OffsetDateTime now = time.now();
        List<OrderView.ItemView> views = shown.stream().map(i -> {
            OffsetDateTime due = dueAt(order, i);
            return new OrderView.ItemView(i.id(), i.position(), i.spec().name(), i.spec().description(), i.spec().deadlineDays(),
                    i.spec().deadlineFrom(), staff ? i.spec().assignees() : List.of(), i.spec().visibleInPortal(), i.spec().clientTask(),
                    i.status(), i.active(), due, i.status() == ItemStatus.OPEN && due != null && due.isBefore(now), i.completedAt(),
                    staff ? i.completedBy() : null, staff ? i.templateTaskId() : null);
        }).toList();
        List<OrderView.HistoryEntry> history = staff ? repository.events(order.id()).stream()
                .map(e -> new OrderView.HistoryEntry(e.at(), e.actor(), e.event(), e.detail())).toList() : null;
        return new OrderView(order.ref(), serviceRef, order.agencyId(), order.clientId(), order.title(), order.status(),
                order.billingCycle(), order.cycleNo(), order.cycleStartedAt(), order.nextCycleAt(), staff ? order.collaborators() : null,
                views, history, order.createdAt(), order.completedAt());
    }
}
