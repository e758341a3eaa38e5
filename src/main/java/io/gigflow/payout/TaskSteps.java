package io.gigflow.payout;

import io.gigflow.document.DocumentRequest;
import io.gigflow.document.DocumentService;
import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.InsufficientBalanceException;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.Notice;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TimeSource;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Service;

/**
 * What each step of the task-payout process does. Delegates call these; every step reads
 * the task from its row (not from variables a REST caller could have changed), changes it,
 * and mirrors the status into the process variable {@code status}.
 */
@Service
class TaskSteps {

    private final PayoutTaskRepository tasks;
    private final PayoutSettings settings;
    private final Parties parties;
    private final Grants grants;
    private final Ledger ledger;
    private final DocumentService documents;
    private final NotificationService notifications;
    private final FaultInjector faults;
    private final CurrentUser currentUser;
    private final TimeSource time;
    private final TaskPayoutGuard guard;

    TaskSteps(PayoutTaskRepository tasks, PayoutSettings settings, Parties parties, Grants grants, Ledger ledger,
            DocumentService documents, NotificationService notifications, FaultInjector faults, CurrentUser currentUser,
            TimeSource time, TaskPayoutGuard guard) {
        this.guard = guard;
        this.tasks = tasks;
        this.settings = settings;
        this.parties = parties;
        this.grants = grants;
        this.ledger = ledger;
        this.documents = documents;
        this.notifications = notifications;
        this.faults = faults;
        this.currentUser = currentUser;
        this.time = time;
    }

    /** Validates the start, stores the task as DRAFT and gives its parties access. */
    void register(DelegateExecution execution) {
        Map<String, Object> variables = execution.getVariables();
        String businessKey = execution.getProcessBusinessKey();
        TaskInput input = TaskInput.fromStartVariables(variables, businessKey, parties, settings.defaultAcceptanceReminder());
        String starter = currentUser.id().orElse(null);
        if (starter != null && !parties.isCompanyMember(starter, input.companyId())) {
            throw new AuthorizationException(starter + " is not a member of company " + input.companyId()
                    + " and may not create its tasks");
        }
        String ref = businessKey;
        if (ref == null) {
            ref = tasks.nextRef();
            execution.setProcessBusinessKey(ref);
        } else if (tasks.refExists(ref)) {
            throw InvalidInputException.of("Invalid task", "businessKey", "unique", "a task " + ref + " exists already");
        }
        OffsetDateTime now = time.now();
        // the company's setting decides for a member here: an auto-published task was sent by its creator
        String draftDecision = settings.autoPublish(input.companyId()) ? TaskPayoutProcess.DRAFT_SEND : null;
        long id = tasks.insert(ref, input, draftDecision, execution.getProcessInstanceId(), currentUser.actor(), now);
        tasks.addEvent(id, now, currentUser.actor(), "CREATED", input.amount() + " for " + input.contractorId());
        grants.groupMayReadInstance(input.companyId(), execution.getProcessInstanceId());
        // the row holds the terms now; the engine keeps no copy of them, whichever door started the task (the
        // domain API passes them as transient variables, a start through /engine-rest as stored ones)
        execution.removeVariables(TaskPayoutProcess.TERMS);
        execution.setVariable(TaskPayoutProcess.VAR_STATUS, TaskStatus.DRAFT.name());
    }

    /**
     * Offers a human step to the party the row names, never to one a variable names: the
     * company's group reviews the draft, the contractor decides. The task is named after the task
     * and the other party ("Accept task PAY-12 · Logo design (Acme Ltd)"); what its form shows
     * comes from the row when the form is opened ({@link TaskPayoutFormFacts}).
     */
    void assignStep(DelegateTask step) {
        DelegateExecution execution = step.getExecution();
        PayoutTask task = lockedTask(execution);
        switch (step.getTaskDefinitionKey()) {
            case TaskPayoutProcess.TASK_REVIEW_DRAFT -> {
                step.addCandidateGroup(task.companyId());
                String contractor = parties.personName(task.contractorId());
                StepDisplay.name(step, "Review draft", task.ref(), task.title(), contractor);
            }
            case TaskPayoutProcess.TASK_ACCEPT_TASK -> {
                HumanSteps.assignAndOffer(step, task.contractorId());
                String company = parties.companyName(task.companyId());
                StepDisplay.name(step, "Accept task", task.ref(), task.title(), company);
            }
            default -> throw new IllegalStateException("task-payout has no human step " + step.getTaskDefinitionKey());
        }
        // the engine wrote the refusal of the last send here (the error's message); the form shows the row's
        execution.removeVariable(TaskPayoutProcess.VAR_SEND_REFUSAL);
    }

    /** Reserves the amount in escrow, or rejects the send (BPMN error) and leaves the task a draft. */
    void reserveFunds(DelegateExecution execution) {
        PayoutTask task = lockedTask(execution);
        guard.reserve(task);
        OffsetDateTime now = time.now();
        try {
            ledger.transfer(task.reference() + ":reserve", AccountRef.company(task.companyId()), AccountRef.escrow(task.reference()),
                    task.amount(), "Task " + task.ref() + " reserved: " + task.title());
        } catch (InsufficientBalanceException e) {
            String refusal = "Insufficient balance: the company holds " + e.available() + ", the task needs " + e.required();
            tasks.recordSendRefusal(task.ref(), refusal, now);
            // back to the review: the next send is a member's decision again
            tasks.recordDraftDecision(task.ref(), null, now);
            tasks.addEvent(task.id(), now, currentUser.actor(), "SEND_REFUSED", refusal);
            throw new BpmnError(TaskPayoutProcess.ERROR_INSUFFICIENT_BALANCE, refusal);
        }
        tasks.recordSendRefusal(task.ref(), null, now);
        // the contractor sees the task (also through /engine-rest) from the moment it is sent
        grants.userMayReadInstance(task.contractorId(), execution.getProcessInstanceId());
        setStatus(execution, task, TaskStatus.AWAITING_CONTRACTOR, "SENT", task.amount() + " reserved in escrow");
        execution.removeVariable(TaskPayoutProcess.VAR_SEND_REFUSAL);
    }

    void delete(DelegateExecution execution) {
        PayoutTask task = lockedTask(execution);
        guard.delete(task);
        setStatus(execution, task, TaskStatus.DELETED, "DELETED", null);
    }

    /**
     * A form does not restrict what a REST submit sends: the draft decision is checked when
     * the review step ends, before the process moves on, whichever door it came through, and
     * recorded in the row, which the gateway reads. Only a member of the row's company decides.
     */
    void recordDraftDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        Object decision = execution.getVariable(TaskPayoutProcess.VAR_DRAFT_DECISION);
        if (!TaskPayoutProcess.DRAFT_SEND.equals(decision) && !TaskPayoutProcess.DRAFT_DELETE.equals(decision)) {
            throw InvalidInputException.of("Invalid draft decision", TaskPayoutProcess.VAR_DRAFT_DECISION, "oneOf",
                    "must be \"SEND\" or \"DELETE\", not " + (decision == null ? "missing" : "\"" + decision + "\""));
        }
        PayoutTask task = lockedTask(execution);
        guard.reviewDraft(task, currentUser.id().orElse(null));
        tasks.recordDraftDecision(task.ref(), (String) decision, time.now());
    }

    /**
     * Checks the contractor's decision whichever door it came through (Tasklist,
     * /engine-rest, /api) and records who decided what, in the transaction of the completion.
     */
    void recordContractorDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return; // the step was interrupted (the company cancelled): nobody decided anything
        }
        FieldErrors errors = new FieldErrors();
        Object decision = execution.getVariable(TaskPayoutProcess.VAR_DECISION);
        if (!TaskPayoutProcess.DECISION_ACCEPT.equals(decision) && !TaskPayoutProcess.DECISION_DECLINE.equals(decision)) {
            errors.add(TaskPayoutProcess.VAR_DECISION, "oneOf",
                    "must be \"ACCEPT\" or \"DECLINE\", not " + (decision == null ? "missing" : "\"" + decision + "\""));
        }
        String reason = errors.optionalText(TaskPayoutProcess.VAR_DECLINE_REASON, execution.getVariable(TaskPayoutProcess.VAR_DECLINE_REASON), 1000);
        errors.throwIfAny("Invalid decision");
        boolean accepted = TaskPayoutProcess.DECISION_ACCEPT.equals(decision);
        PayoutTask task = lockedTask(execution);
        guard.decide(task, currentUser.id().orElse(null));
        OffsetDateTime now = time.now();
        tasks.recordDecision(task.ref(), (String) decision, accepted ? null : reason, currentUser.actor(), now);
        tasks.addEvent(task.id(), now, currentUser.actor(), accepted ? "ACCEPTED" : "DECLINED", accepted ? null : reason);
    }

    /**
     * Runs in the transaction of the cancel message, whichever door sent it: only a member of the
     * row's company cancels, and only before the contractor decided; the history names who.
     */
    void recordCancellation(DelegateExecution execution) {
        PayoutTask task = lockedTask(execution);
        guard.cancel(task, currentUser.id().orElse(null));
        OffsetDateTime now = time.now();
        tasks.recordCancellation(task.ref(), currentUser.actor(), now);
        tasks.addEvent(task.id(), now, currentUser.actor(), "CANCELLED", null);
    }

    /** Escrow to the contractor's balance; the terms are final from here on. */
    void payContractor(DelegateExecution execution) {
        PayoutTask task = lockedTask(execution);
        // money moves only for the state that justifies it, whatever path led here
        guard.payout(task);
        faults.check(FaultInjector.LEDGER_TRANSFER);
        ledger.transfer(task.reference() + ":payout", AccountRef.escrow(task.reference()), AccountRef.user(task.contractorId()),
                task.amount(), "Task " + task.ref() + " paid: " + task.title());
        if (task.status() != TaskStatus.PAID) {
            setStatus(execution, task, TaskStatus.PAID, "PAID", task.amount() + " paid to " + task.contractorId());
        }
    }

    /** Escrow back to the company, after a decline or a cancellation. */
    void refundCompany(DelegateExecution execution, TaskStatus outcome) {
        PayoutTask task = lockedTask(execution);
        guard.refund(task, outcome);
        faults.check(FaultInjector.LEDGER_TRANSFER);
        ledger.transfer(task.reference() + ":refund", AccountRef.escrow(task.reference()), AccountRef.company(task.companyId()),
                task.amount(), "Task " + task.ref() + " refunded (" + outcome + "): " + task.title());
        if (task.status() != outcome) {
            setStatus(execution, task, outcome, "REFUNDED", task.amount() + " back to " + task.companyId());
        }
    }

    void issueClosingDocuments(DelegateExecution execution) {
        PayoutTask task = lockedTask(execution);
        String companyName = parties.companyName(task.companyId());
        String contractorName = parties.personName(task.contractorId());
        var date = task.updatedAt().toLocalDate();
        List<String> notes = List.of("The contractor accepted the task and was paid from the company's escrow on gigflow.",
                "Reference " + task.reference());
        documents.issue(new DocumentRequest("ACCEPTANCE_CERTIFICATE", task.reference(),
                "Acceptance certificate", task.companyId(), companyName, task.contractorId(), contractorName, task.title(),
                task.amount(), date, notes));
        documents.issue(new DocumentRequest("INVOICE", task.reference(),
                "Invoice", task.companyId(), companyName, task.contractorId(), contractorName, task.title(),
                task.amount(), date, List.of("Issued on behalf of " + contractorName + " to " + companyName + ". Paid in full.",
                        "Reference " + task.reference())));
    }

    void notifyParties(DelegateExecution execution, String notice) {
        PayoutTask task = lockedTask(execution);
        switch (notice) {
            case "TASK_RECEIVED" -> notifications.notify(task.contractorId(), notice, task.reference(), notice(task, "payout/task-received"));
            case "ACCEPTANCE_REMINDER" -> notifications.notify(task.contractorId(), notice, task.reference(),
                    notice(task, "payout/acceptance-reminder").taskOf(execution.getProcessInstanceId()));
            case "TASK_ACCEPTED" -> {
                notifications.notifyAll(companyMembers(task), notice, task.reference(), notice(task, "payout/task-accepted"));
                notifications.notify(task.contractorId(), "TASK_PAID", task.reference(), notice(task, "payout/task-paid"));
            }
            case "TASK_DECLINED" -> notifications.notifyAll(companyMembers(task), notice, task.reference(),
                    notice(task, "payout/task-declined").with("reason", task.declineReason()));
            case "TASK_CANCELLED" -> notifications.notify(task.contractorId(), notice, task.reference(), notice(task, "payout/task-cancelled"));
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    /** A notice about the task, every value from its row: the parties by their names. */
    private Notice notice(PayoutTask task, String name) {
        return Notice.of(name).with("title", task.title()).with("ref", task.ref()).with("amount", task.amount())
                .with("company", parties.companyName(task.companyId()))
                .with("contractor", parties.personName(task.contractorId()))
                .link("/api/tasks/" + task.ref());
    }

    private List<String> companyMembers(PayoutTask task) {
        return parties.companyMembers(task.companyId()).stream().map(Parties.Person::id).toList();
    }

    private PayoutTask lockedTask(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        // a row belongs to the one instance that registered it: an instance started elsewhere
        // under the same business key must never act on it
        return tasks.lock(ref).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no task " + ref + " of process instance " + execution.getProcessInstanceId()));
    }

    private void setStatus(DelegateExecution execution, PayoutTask task, TaskStatus status, String event, String detail) {
        OffsetDateTime now = time.now();
        tasks.updateStatus(task.ref(), status, now);
        tasks.addEvent(task.id(), now, currentUser.actor(), event, detail);
        execution.setVariable(TaskPayoutProcess.VAR_STATUS, status.name());
    }
}
