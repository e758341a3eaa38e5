package io.gigflow.payout;

import io.gigflow.document.DocumentInfo;
import io.gigflow.document.DocumentService;
import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.Transactions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * The task-payout use cases behind the domain API. Each one checks who asks, then acts
 * through the engine as that user, so the process (and Camunda's authorizations) decide
 * exactly as they do for Tasklist and /engine-rest.
 */
@Service
public class TaskPayoutService {

    /** Statuses whose amounts count in a preview: money reserved or about to be. */
    private static final List<TaskStatus> PREVIEWED = List.of(TaskStatus.DRAFT, TaskStatus.AWAITING_CONTRACTOR);

    public record CreateTask(String contractorId, String title, @Nullable String description, String amount, String currency,
            @Nullable String reference, @Nullable String acceptanceReminder) {
    }

    public record EditTask(String title, @Nullable String description, String amount, String currency,
            @Nullable String contractorId) {
    }

    public record Total(String currency, String amount, int tasks) {
    }

    public record Excluded(String ref, String reason) {
    }

    public record Preview(List<Total> totals, List<Excluded> excluded) {
    }

    public record HistoryEntry(java.time.OffsetDateTime at, String actor, String event, @Nullable String detail) {
    }

    private final PayoutTaskRepository tasks;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final RuntimeService runtimeService;
    private final TaskService taskService;
    private final DocumentService documents;
    private final TimeSource time;
    private final Transactions transactions;
    private final HumanSteps steps;
    private final TaskPayoutGuard guard;

    private static final String CONCURRENT = "Somebody else acted on this task at the same moment; reload it";

    TaskPayoutService(PayoutTaskRepository tasks, Parties parties, CurrentUser currentUser, RuntimeService runtimeService,
            TaskService taskService, DocumentService documents, TimeSource time, Transactions transactions, HumanSteps steps,
            TaskPayoutGuard guard) {
        this.steps = steps;
        this.guard = guard;
        this.tasks = tasks;
        this.parties = parties;
        this.currentUser = currentUser;
        this.runtimeService = runtimeService;
        this.taskService = taskService;
        this.documents = documents;
        this.time = time;
        this.transactions = transactions;
    }

    /**
     * Starts task-payout exactly as an /engine-rest start would; the process validates and stores.
     * The terms go in as transient variables: the process reads them once, in this transaction, and
     * keeps them in the row; the engine writes none of them (no variable, no history).
     */
    public TaskView create(String companyId, CreateTask request) {
        return transactions.retryingOnConcurrentChange(() -> {
            parties.requireMembership(currentUser.require(), companyId);
            VariableMap variables = Variables.createVariables();
            variables.putValueTyped(TaskPayoutProcess.VAR_COMPANY_ID, Variables.stringValue(companyId, true));
            variables.putValueTyped(TaskPayoutProcess.VAR_CONTRACTOR_ID, Variables.stringValue(request.contractorId(), true));
            variables.putValueTyped(TaskPayoutProcess.VAR_TITLE, Variables.stringValue(request.title(), true));
            variables.putValueTyped(TaskPayoutProcess.VAR_DESCRIPTION, Variables.stringValue(request.description(), true));
            variables.putValueTyped(TaskPayoutProcess.VAR_AMOUNT, Variables.stringValue(request.amount(), true));
            variables.putValueTyped(TaskPayoutProcess.VAR_CURRENCY, Variables.stringValue(request.currency(), true));
            if (request.acceptanceReminder() != null) {
                variables.putValueTyped(TaskPayoutProcess.VAR_ACCEPTANCE_REMINDER, Variables.stringValue(request.acceptanceReminder(), true));
            }
            ProcessInstance instance = runtimeService.createProcessInstanceByKey(TaskPayoutProcess.KEY)
                    .businessKey(request.reference()).setVariables(variables).execute();
            return TaskView.of(tasks.findByProcessInstance(instance.getId()).orElseThrow());
        });
    }

    public TaskView get(String ref) {
        return TaskView.of(visible(ref));
    }

    public List<TaskView> companyTasks(String companyId, TaskStatus status, int offset, int limit) {
        parties.requireMembership(currentUser.require(), companyId);
        return tasks.ofCompany(companyId, status, offset, limit).stream().map(TaskView::of).toList();
    }

    /** The signed-in contractor's tasks, from the moment they were sent to payment. */
    public List<TaskView> contractorTasks(TaskStatus status, int offset, int limit) {
        // drafts and deleted tasks are the company's alone (seenByContractor), left out in the query: pages are full
        return tasks.ofContractor(currentUser.require(), status, offset, limit).stream().map(TaskView::of).toList();
    }

    /** Changes a draft: everything but the contractor. */
    public TaskView edit(String ref, EditTask request) {
        return transactions.retryingOnConcurrentChange(() -> {
            PayoutTask task = companyTask(ref);
            FieldErrors errors = new FieldErrors();
            if (request.contractorId() != null && !request.contractorId().equals(task.contractorId())) {
                errors.add("contractorId", "immutable", "cannot be changed; delete the draft and create a new task");
            }
            String title = errors.requiredText("title", request.title(), TaskInput.TITLE_MAX);
            String description = TaskInput.description(errors, request.description());
            Money amount = MoneyInput.positive(request.amount(), request.currency(), "amount", "currency", errors);
            errors.throwIfAny("Invalid task");
            if (!tasks.updateDraft(ref, title, description, amount, time.now())) {
                throw notADraft(tasks.find(ref).orElseThrow(), "edited");
            }
            // the review's form reads the row when it is opened (TaskPayoutFormFacts): nothing to write into the engine
            tasks.addEvent(task.id(), time.now(), currentUser.actor(), "EDITED", amount + ", " + title);
            return TaskView.of(tasks.find(ref).orElseThrow());
        });
    }

    public TaskView delete(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            PayoutTask task = companyTask(ref);
            if (task.status() != TaskStatus.DRAFT) {
                throw notADraft(task, "deleted");
            }
            guard.reviewDraft(task, currentUser.require());
            completeDraftReview(task, TaskPayoutProcess.DRAFT_DELETE);
            return TaskView.of(tasks.find(ref).orElseThrow());
        });
    }

    /** Sends one draft to payment, in its own transaction; the outcome says why when it was not sent. */
    public SendOutcome send(String ref) {
        try {
            return transactions.retryingOnConcurrentChange(() -> sendInTransaction(ref));
        } catch (OptimisticLockingException e) {
            return new SendOutcome(ref, SendOutcome.Result.CONFLICT, "Changed by somebody else at the same moment; try again",
                    tasks.find(ref).map(PayoutTask::status).orElse(null));
        }
    }

    private SendOutcome sendInTransaction(String ref) {
        PayoutTask task = tasks.find(ref).filter(t -> parties.isCompanyMember(currentUser.require(), t.companyId())).orElse(null);
        if (task == null) {
            return new SendOutcome(ref, SendOutcome.Result.NOT_FOUND, "No task " + ref + " of your company", null);
        }
        if (task.status() != TaskStatus.DRAFT) {
            return new SendOutcome(ref, SendOutcome.Result.NOT_A_DRAFT,
                    "Task " + ref + " is " + task.status() + "; only a DRAFT can be sent to payment", task.status());
        }
        completeDraftReview(task, TaskPayoutProcess.DRAFT_SEND);
        PayoutTask after = tasks.find(ref).orElseThrow();
        if (after.status() == TaskStatus.AWAITING_CONTRACTOR) {
            return new SendOutcome(ref, SendOutcome.Result.SENT, "Sent to " + after.contractorId(), after.status());
        }
        return new SendOutcome(ref, SendOutcome.Result.INSUFFICIENT_BALANCE, after.sendRefusal(), after.status());
    }

    public TaskView accept(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            return decide(ref, TaskPayoutProcess.DECISION_ACCEPT, null);
        });
    }

    public TaskView decline(String ref, String reason) {
        return transactions.retryingOnConcurrentChange(() -> {
            return decide(ref, TaskPayoutProcess.DECISION_DECLINE, reason);
        });
    }

    /** The company withdraws a task the contractor has not decided on yet; the escrow goes back. */
    public TaskView cancel(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            PayoutTask task = companyTask(ref);
            guard.cancel(task, currentUser.require());
            try {
                runtimeService.createMessageCorrelation(TaskPayoutProcess.MESSAGE_TASK_CANCELLED_BY_COMPANY)
                        .processInstanceId(task.processInstanceId()).correlateWithResult();
            } catch (MismatchingMessageCorrelationException e) {
                throw new ConflictException("Task " + ref + " is no longer awaiting the contractor");
            }
            return TaskView.of(tasks.find(ref).orElseThrow());
        });
    }

    /** Totals per currency of the selected tasks that are DRAFT or AWAITING_CONTRACTOR. */
    public Preview preview(String companyId, List<String> refs) {
        parties.requireMembership(currentUser.require(), companyId);
        FieldErrors errors = new FieldErrors();
        if (refs == null || refs.isEmpty()) {
            errors.add("taskRefs", "required", "must name at least one task");
        } else if (refs.size() > BulkSendService.MAX_TASKS) {
            errors.add("taskRefs", "size", "must name at most " + BulkSendService.MAX_TASKS + " tasks");
        }
        errors.throwIfAny("Invalid preview");
        List<String> unique = new ArrayList<>(new LinkedHashSet<>(refs));
        Map<String, PayoutTask> found = tasks.findAll(unique).stream()
                .filter(t -> t.companyId().equals(companyId))
                .collect(Collectors.toMap(PayoutTask::ref, Function.identity()));
        Map<String, Money> totals = new TreeMap<>();
        Map<String, Integer> counts = new HashMap<>();
        List<Excluded> excluded = new ArrayList<>();
        for (String ref : unique) {
            PayoutTask task = found.get(ref);
            if (task == null) {
                excluded.add(new Excluded(ref, "NOT_FOUND"));
            } else if (!PREVIEWED.contains(task.status())) {
                excluded.add(new Excluded(ref, task.status().name()));
            } else {
                totals.merge(task.amount().currencyCode(), task.amount(), Money::plus);
                counts.merge(task.amount().currencyCode(), 1, Integer::sum);
            }
        }
        return new Preview(totals.values().stream()
                .map(m -> new Total(m.currencyCode(), m.toDecimalString(), counts.get(m.currencyCode()))).toList(), excluded);
    }

    public List<HistoryEntry> history(String ref) {
        PayoutTask task = visible(ref);
        return tasks.events(task.id()).stream().map(e -> new HistoryEntry(e.at(), e.actor(), e.event(), e.detail())).toList();
    }

    public List<DocumentInfo> documents(String ref) {
        return documents.forReference(visible(ref).reference());
    }

    private TaskView decide(String ref, String decision, String reason) {
        PayoutTask task = visible(ref);
        guard.decide(task, currentUser.require());
        Task step = steps.open(task.processInstanceId(), TaskPayoutProcess.TASK_ACCEPT_TASK).orElseThrow(
                () -> new ConflictException("Task " + ref + " is " + describe(task) + "; it does not await your decision"));
        Map<String, Object> variables = new HashMap<>();
        variables.put(TaskPayoutProcess.VAR_DECISION, decision);
        if (reason != null) {
            variables.put(TaskPayoutProcess.VAR_DECLINE_REASON, reason);
        }
        steps.complete(step, variables, CONCURRENT);
        return TaskView.of(tasks.find(ref).orElseThrow());
    }

    private void completeDraftReview(PayoutTask task, String decision) {
        Task step = steps.open(task.processInstanceId(), TaskPayoutProcess.TASK_REVIEW_DRAFT).orElseThrow(
                () -> new ConflictException("Task " + task.ref() + " is " + describe(task) + "; it is not waiting as a draft"));
        steps.complete(step, Map.of(TaskPayoutProcess.VAR_DRAFT_DECISION, decision), CONCURRENT);
    }



    /** A task the signed-in user is a party to; anybody else is told it does not exist. */
    private PayoutTask visible(String ref) {
        String user = currentUser.require();
        return tasks.find(ref)
                .filter(t -> parties.isCompanyMember(user, t.companyId())
                        || (t.contractorId().equals(user) && seenByContractor(t.status())))
                .orElseThrow(() -> new NotFoundException("No task " + ref));
    }

    private PayoutTask companyTask(String ref) {
        PayoutTask task = visible(ref);
        if (!parties.isCompanyMember(currentUser.require(), task.companyId())) {
            throw new ForbiddenException("Only members of company " + task.companyId() + " may change task " + ref);
        }
        return task;
    }

    private static boolean seenByContractor(TaskStatus status) {
        return status != TaskStatus.DRAFT && status != TaskStatus.DELETED;
    }

    private static ConflictException notADraft(PayoutTask task, String verb) {
        return new ConflictException("Task " + task.ref() + " is " + task.status() + "; only a DRAFT can be " + verb);
    }

    private static String describe(PayoutTask task) {
        return TaskPayoutGuard.describe(task);
    }
}
