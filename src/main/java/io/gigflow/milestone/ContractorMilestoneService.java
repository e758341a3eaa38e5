package io.gigflow.milestone;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.ProcessInputs;
import io.gigflow.shared.TimeSource;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.Transactions;
import org.springframework.transaction.annotation.Transactional;

/**
 * The contractor-milestone use cases behind the domain API. Each one checks who asks, then acts
 * through the engine as that user, so the process (and Camunda's authorizations) decide exactly
 * as they do for Tasklist and /engine-rest.
 */
@Service
public class ContractorMilestoneService {

    /** The most milestones one group of a list answer holds. */
    static final int LIST_LIMIT = 500;

    private static final List<MilestoneStatus> PENDING = List.of(MilestoneStatus.IN_PROGRESS, MilestoneStatus.SUBMITTED);

    public record CreateMilestone(String title, @Nullable String description, String deadline, String amount, String currency,
            @Nullable Integer autoApproveAfterDays, @Nullable String deadlineReminder, @Nullable FileInput.FileRequest attachment,
            @Nullable String reference) {
    }

    public record EditMilestone(String title, @Nullable String description, String deadline, String amount, String currency,
            @Nullable FileInput.FileRequest attachment) {
    }

    public record HistoryEntry(OffsetDateTime at, String actor, String event, @Nullable String detail) {
    }

    /** A file to hand out, with its stored description. */
    record Download(MilestoneFile file, byte[] content) {
    }

    private final MilestoneRepository milestones;
    private final MilestonePaymentRepository payments;
    private final MilestoneSettings settings;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final RuntimeService runtimeService;
    private final TaskService taskService;
    private final TimeSource time;
    private final Transactions transactions;
    private final HumanSteps humanSteps;
    private final MilestoneGuard guard;

    ContractorMilestoneService(MilestoneRepository milestones, MilestonePaymentRepository payments, MilestoneSettings settings,
            Parties parties, CurrentUser currentUser, RuntimeService runtimeService, TaskService taskService, TimeSource time,
            Transactions transactions, HumanSteps humanSteps, MilestoneGuard guard) {
        this.humanSteps = humanSteps;
        this.guard = guard;
        this.milestones = milestones;
        this.payments = payments;
        this.settings = settings;
        this.parties = parties;
        this.currentUser = currentUser;
        this.runtimeService = runtimeService;
        this.taskService = taskService;
        this.time = time;
        this.transactions = transactions;
    }

    /**
     * Starts contractor-milestone exactly as an /engine-rest start would; the process validates
     * and stores, and the attachment is stored with it in the same transaction.
     */
    @Transactional
    public MilestoneView create(String companyId, String contractorId, CreateMilestone request) {
        parties.requireMembership(currentUser.require(), companyId);
        Map<String, Object> variables = new HashMap<>();
        variables.put(ContractorMilestoneProcess.VAR_COMPANY_ID, companyId);
        variables.put(ContractorMilestoneProcess.VAR_CONTRACTOR_ID, contractorId);
        variables.put(ContractorMilestoneProcess.VAR_TITLE, request.title());
        variables.put(ContractorMilestoneProcess.VAR_DESCRIPTION, request.description());
        variables.put(ContractorMilestoneProcess.VAR_DEADLINE, request.deadline());
        variables.put(ContractorMilestoneProcess.VAR_AMOUNT, request.amount());
        variables.put(ContractorMilestoneProcess.VAR_CURRENCY, request.currency());
        if (request.autoApproveAfterDays() != null) {
            variables.put(ContractorMilestoneProcess.VAR_AUTO_APPROVE_AFTER_DAYS, request.autoApproveAfterDays());
        }
        if (request.deadlineReminder() != null) {
            variables.put(ContractorMilestoneProcess.VAR_DEADLINE_REMINDER, request.deadlineReminder());
        }
        // one answer names every broken rule, the attachment's too; the start checks the variables again
        FieldErrors errors = new FieldErrors();
        MilestoneInput.fromStartVariables(variables, request.reference(), parties, time.now(), errors);
        FileInput.Upload attachment = FileInput.parse("attachment", request.attachment(), settings.maxFileBytes(), errors);
        errors.throwIfAny("Invalid milestone");
        // the terms go in as transient variables: the start reads them once and keeps them in the row
        ProcessInstance instance = runtimeService.createProcessInstanceByKey(ContractorMilestoneProcess.KEY)
                .businessKey(request.reference()).setVariables(ProcessInputs.readOnce(variables)).execute();
        Milestone milestone = milestones.findByProcessInstance(instance.getId()).orElseThrow();
        if (attachment != null) {
            attach(milestone, attachment);
        }
        return view(milestone.ref());
    }

    public MilestoneView get(String ref) {
        return view(visible(ref).ref());
    }

    /** A contractor's milestones at a company, as the company sees them on the contractor's profile. */
    public MilestoneView.Grouped contractorMilestones(String companyId, String contractorId) {
        parties.requireMembership(currentUser.require(), companyId);
        return grouped(companyId, contractorId);
    }

    /** The signed-in contractor's milestones, at every company or at one. */
    public MilestoneView.Grouped myMilestones(String companyId) {
        return grouped(companyId, currentUser.require());
    }

    public List<MilestoneView> companyMilestones(String companyId, MilestoneStatus status, int offset, int limit) {
        parties.requireMembership(currentUser.require(), companyId);
        return views(milestones.list(companyId, null, status == null ? List.of(MilestoneStatus.values()) : List.of(status),
                offset, limit));
    }

    /** Changes a pending milestone: everything but its contractor. The deadline watch follows a new deadline. */
    public MilestoneView edit(String ref, EditMilestone request) {
        return transactions.retryingOnConcurrentChange(() -> editOnce(ref, request));
    }

    private MilestoneView editOnce(String ref, EditMilestone request) {
        Milestone milestone = companyMilestone(ref);
        guard.change(milestone, currentUser.require(), "edited");
        FieldErrors errors = new FieldErrors();
        String title = errors.requiredText("title", request.title(), MilestoneInput.TITLE_MAX);
        String description = MilestoneInput.description(errors, request.description());
        OffsetDateTime deadline = MilestoneInput.deadline(errors, request.deadline(), time.now(), milestone.deadline());
        Money amount = MoneyInput.positive(request.amount(), request.currency(), "amount", "currency", errors);
        FileInput.Upload attachment = FileInput.parse("attachment", request.attachment(), settings.maxFileBytes(), errors);
        errors.throwIfAny("Invalid milestone");
        Milestone locked = milestones.lock(ref).orElseThrow();
        guard.change(locked, currentUser.require(), "edited");
        boolean deadlineChanged = !deadline.isEqual(locked.deadline());
        OffsetDateTime now = time.now();
        milestones.updateTerms(locked.id(), title, description, deadline,
                locked.deadlineRevision() + (deadlineChanged ? 1 : 0), amount, now);
        milestones.addEvent(locked.id(), now, currentUser.actor(), "EDITED",
                amount + ", due " + MilestoneSteps.when(deadline) + ", " + title);
        if (attachment != null) {
            attach(locked, attachment);
        }
        if (deadlineChanged) {
            // the deadline watch starts over and arms its timers for the new deadline
            correlate(locked, ContractorMilestoneProcess.MESSAGE_DEADLINE_CHANGED, "edited");
        }
        return view(ref);
    }

    public MilestoneView removeAttachment(String ref) {
        return transactions.retryingOnConcurrentChange(() -> removeAttachmentOnce(ref));
    }

    private MilestoneView removeAttachmentOnce(String ref) {
        Milestone milestone = companyMilestone(ref);
        Milestone locked = milestones.lock(ref).orElseThrow();
        guard.change(locked, currentUser.require(), "edited");
        if (locked.attachmentFileId() != null) {
            OffsetDateTime now = time.now();
            milestones.setAttachment(locked.id(), null, now);
            milestones.addEvent(milestone.id(), now, currentUser.actor(), "ATTACHMENT_REMOVED", null);
        }
        return view(ref);
    }

    /** Deletes a pending milestone: its process ends as DELETED and the contractor is told. */
    public MilestoneView delete(String ref) {
        return transactions.retryingOnConcurrentChange(() -> deleteOnce(ref));
    }

    private MilestoneView deleteOnce(String ref) {
        companyMilestone(ref);
        Milestone locked = milestones.lock(ref).orElseThrow();
        guard.change(locked, currentUser.require(), "deleted");
        correlate(locked, ContractorMilestoneProcess.MESSAGE_MILESTONE_DELETED, "deleted");
        return view(ref);
    }

    /** The contractor marks the milestone completed, with a note and optionally a deliverable. */
    public MilestoneView complete(String ref, String note, FileInput.FileRequest deliverable) {
        return transactions.retryingOnConcurrentChange(() -> completeOnce(ref, note, deliverable));
    }

    private MilestoneView completeOnce(String ref, String note, FileInput.FileRequest deliverable) {
        Milestone milestone = visible(ref);
        String user = currentUser.require();
        guard.complete(milestone, user);
        FieldErrors errors = new FieldErrors();
        String text = MilestoneInput.note(errors, "note", note);
        FileInput.Upload upload = FileInput.parse("deliverable", deliverable, settings.maxFileBytes(), errors);
        errors.throwIfAny("Invalid completion");
        Task step = step(milestone, ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE);
        if (step == null) {
            throw new ConflictException("Milestone " + ref + " is " + milestone.status() + "; only a milestone IN_PROGRESS can be marked completed");
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put(ContractorMilestoneProcess.VAR_COMPLETION_NOTE, text);
        if (upload != null) {
            variables.put(ContractorMilestoneProcess.VAR_DELIVERABLE_FILE_ID,
                    milestones.insertFile(milestone.id(), MilestoneFile.Kind.DELIVERABLE, upload, user, time.now()));
        }
        complete(step, variables);
        return view(ref);
    }

    /** The company approves the submission: APPROVED, and its payment is drafted. */
    public MilestoneView approve(String ref) {
        return transactions.retryingOnConcurrentChange(() -> approveOnce(ref));
    }

    private MilestoneView approveOnce(String ref) {
        return review(ref, Map.of(ContractorMilestoneProcess.VAR_REVIEW_DECISION, ContractorMilestoneProcess.DECISION_APPROVE));
    }

    /** The company rejects the submission with a reason: back IN_PROGRESS, and the contractor is told why. */
    public MilestoneView reject(String ref, String reason) {
        return transactions.retryingOnConcurrentChange(() -> rejectOnce(ref, reason));
    }

    private MilestoneView rejectOnce(String ref, String reason) {
        FieldErrors errors = new FieldErrors();
        String text = errors.requiredText("reason", reason, MilestoneInput.REASON_MAX);
        errors.throwIfAny("Invalid rejection");
        return review(ref, Map.of(ContractorMilestoneProcess.VAR_REVIEW_DECISION, ContractorMilestoneProcess.DECISION_REJECT,
                ContractorMilestoneProcess.VAR_REJECTION_REASON, text));
    }

    /** A file of the milestone (its attachment, a deliverable), for its two parties only. */
    Download file(String ref, long fileId) {
        Milestone milestone = visible(ref);
        MilestoneFile file = milestones.file(fileId).filter(f -> f.milestoneId() == milestone.id())
                .orElseThrow(() -> new NotFoundException("No file " + fileId + " of milestone " + ref));
        return new Download(file, milestones.fileContent(fileId));
    }

    public List<HistoryEntry> history(String ref) {
        return milestones.events(visible(ref).id()).stream()
                .map(e -> new HistoryEntry(MilestoneView.utc(e.at()), e.actor(), e.event(), e.detail())).toList();
    }

    private MilestoneView review(String ref, Map<String, Object> variables) {
        Milestone milestone = companyMilestone(ref);
        guard.review(milestone, currentUser.require());
        Task step = step(milestone, ContractorMilestoneProcess.TASK_REVIEW_MILESTONE);
        if (step == null) {
            throw new ConflictException("Milestone " + ref + " is " + milestone.status() + "; only a SUBMITTED milestone can be reviewed");
        }
        complete(step, variables);
        return view(ref);
    }

    private void attach(Milestone milestone, FileInput.Upload upload) {
        OffsetDateTime now = time.now();
        long fileId = milestones.insertFile(milestone.id(), MilestoneFile.Kind.ATTACHMENT, upload, currentUser.actor(), now);
        milestones.setAttachment(milestone.id(), fileId, now);
        milestones.addEvent(milestone.id(), now, currentUser.actor(), "ATTACHED", upload.fileName() + " (" + upload.sha256() + ")");
    }

    private void correlate(Milestone milestone, String message, String what) {
        try {
            runtimeService.createMessageCorrelation(message).processInstanceId(milestone.processInstanceId()).correlateWithResult();
        } catch (MismatchingMessageCorrelationException e) {
            throw new ConflictException("Milestone " + milestone.ref() + " cannot be " + what + " now; reload it");
        }
    }

    private void complete(Task step, Map<String, Object> variables) {
        humanSteps.complete(step, variables, "Somebody else acted on this milestone at the same moment; reload it");
    }

    /** The open human step of the milestone's process (null when none); completing it is checked as the signed-in user. */
    private Task step(Milestone milestone, String taskDefinitionKey) {
        return humanSteps.open(milestone.processInstanceId(), taskDefinitionKey).orElse(null);
    }

    /** A milestone the signed-in user is a party to; anybody else is told it does not exist. */
    private Milestone visible(String ref) {
        String user = currentUser.require();
        return milestones.find(ref)
                .filter(m -> m.contractorId().equals(user) || parties.isCompanyMember(user, m.companyId()))
                .orElseThrow(() -> new NotFoundException("No milestone " + ref));
    }

    private Milestone companyMilestone(String ref) {
        Milestone milestone = visible(ref);
        if (!parties.isCompanyMember(currentUser.require(), milestone.companyId())) {
            throw new ForbiddenException("Only the company " + milestone.companyId() + " changes milestone " + ref);
        }
        return milestone;
    }

    private MilestoneView.Grouped grouped(String companyId, String contractorId) {
        return new MilestoneView.Grouped(views(milestones.list(companyId, contractorId, PENDING, 0, LIST_LIMIT)),
                views(milestones.list(companyId, contractorId, List.of(MilestoneStatus.APPROVED), 0, LIST_LIMIT)));
    }

    /** List views: each milestone with its attachment and payment, read in two queries for the whole list. */
    private List<MilestoneView> views(List<Milestone> list) {
        Map<Long, MilestoneFile> files = milestones.files(list.stream().map(Milestone::attachmentFileId)
                        .filter(java.util.Objects::nonNull).toList()).stream()
                .collect(Collectors.toMap(MilestoneFile::id, Function.identity()));
        Map<Long, MilestonePayment> paid = payments.ofMilestones(list.stream().map(Milestone::id).toList()).stream()
                .collect(Collectors.toMap(MilestonePayment::milestoneId, Function.identity()));
        OffsetDateTime now = time.now();
        return list.stream().map(m -> MilestoneView.of(m, m.attachmentFileId() == null ? null : files.get(m.attachmentFileId()),
                null, PaymentView.of(paid.get(m.id())), now)).toList();
    }

    private MilestoneView view(String ref) {
        Milestone m = milestones.find(ref).orElseThrow();
        Map<Long, MilestoneFile> files = milestones.files(m.id()).stream()
                .collect(Collectors.toMap(MilestoneFile::id, Function.identity()));
        List<MilestoneView.SubmissionView> submissions = milestones.submissions(m.id()).stream()
                .map(s -> new MilestoneView.SubmissionView(s.number(), s.note(),
                        s.deliverableFileId() == null ? null : MilestoneView.FileView.of(m.ref(), files.get(s.deliverableFileId())),
                        s.submittedBy(), MilestoneView.utc(s.submittedAt()), s.decision(), s.reason(), s.automatic(),
                        s.decidedBy(), MilestoneView.utc(s.decidedAt())))
                .toList();
        return MilestoneView.of(m, m.attachmentFileId() == null ? null : files.get(m.attachmentFileId()), submissions,
                PaymentView.of(payments.ofMilestone(m.id()).orElse(null)), time.now());
    }
}
