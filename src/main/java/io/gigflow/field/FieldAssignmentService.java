package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import io.gigflow.document.DocumentInfo;
import io.gigflow.document.DocumentService;
import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.ForbiddenException;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.NotFoundException;
import io.gigflow.shared.ProcessInputs;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.Transactions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.TaskService;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.springframework.lang.Nullable;
import org.springframework.stereotype.Service;

/**
 * The field-assignment use cases behind the domain API. Each checks who asks and what that
 * person may see (404 for what they may not see), asks {@link FieldGuard} whether they may do it
 * now, then acts through the engine as that user, exactly as Tasklist and /engine-rest would; the
 * process's listeners ask the same guard again.
 */
@Service
public class FieldAssignmentService {

    static final int MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
    private static final Set<String> CONTENT_TYPES = Set.of("application/pdf", "image/png", "image/jpeg", "text/plain", "application/zip");

    public record Attachment(String fileName, String contentType, String contentBase64) {
    }

    public record NewAssignment(String title, @Nullable String description, String location, String scheduledStart,
            String scheduledEnd, String budget, String currency, Integer paymentTermsDays, @Nullable Boolean checkInRequired,
            @Nullable List<String> requiredDeliverables, @Nullable List<String> requiredCustomFields, String contactName,
            @Nullable String contactPhone, @Nullable String contactEmail, @Nullable String confirmBefore,
            @Nullable List<Attachment> attachments, @Nullable String reference) {
    }

    public record Application(@Nullable String kind, @Nullable String message, @Nullable String price,
            @Nullable String scheduledStart, @Nullable String scheduledEnd) {
    }

    public record WorkerRequest(String kind, @Nullable String amount, @Nullable String scheduledStart,
            @Nullable String scheduledEnd, @Nullable String reason) {
    }

    public record Submission(@Nullable Map<String, String> deliverables, @Nullable Map<String, String> customFields) {
    }

    public record StoredFile(String fileName, String contentType, byte[] content, String sha256) {
    }

    /** Who is looking: the client's members, the (paid) worker, or a field worker looking at a published assignment. */
    enum Viewer { COMPANY, WORKER, PROSPECT }

    private final FieldAssignmentRepository assignments;
    private final FieldReviewSteps reviewSteps;
    private final FieldGuard guard;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final RuntimeService runtimeService;
    private final TaskService taskService;
    private final DocumentService documents;
    private final TimeSource time;
    private final Transactions transactions;
    private final HumanSteps steps;

    FieldAssignmentService(FieldAssignmentRepository assignments, FieldReviewSteps reviewSteps, FieldGuard guard, Parties parties, CurrentUser currentUser,
            RuntimeService runtimeService, TaskService taskService, DocumentService documents, TimeSource time,
            Transactions transactions, HumanSteps steps) {
        this.assignments = assignments;
        this.reviewSteps = reviewSteps;
        this.guard = guard;
        this.parties = parties;
        this.currentUser = currentUser;
        this.runtimeService = runtimeService;
        this.taskService = taskService;
        this.documents = documents;
        this.time = time;
        this.transactions = transactions;
        this.steps = steps;
    }

    /** Publishes an assignment as a member of the company: the same start as /engine-rest's, plus attachments. */
    public FieldAssignmentView publish(String companyId, NewAssignment request) {
        return transactions.retryingOnConcurrentChange(() -> {
            parties.requireMembership(currentUser.require(), companyId);
            Map<String, Object> variables = new HashMap<>();
            variables.put(VAR_COMPANY_ID, companyId);
            put(variables, VAR_TITLE, request.title());
            put(variables, VAR_DESCRIPTION, request.description());
            put(variables, VAR_LOCATION, request.location());
            put(variables, VAR_SCHEDULED_START, request.scheduledStart());
            put(variables, VAR_SCHEDULED_END, request.scheduledEnd());
            put(variables, VAR_BUDGET, request.budget());
            put(variables, VAR_CURRENCY, request.currency());
            put(variables, VAR_PAYMENT_TERMS_DAYS, request.paymentTermsDays());
            put(variables, VAR_CHECK_IN_REQUIRED, request.checkInRequired());
            put(variables, VAR_REQUIRED_DELIVERABLES, joined(request.requiredDeliverables()));
            put(variables, VAR_REQUIRED_CUSTOM_FIELDS, joined(request.requiredCustomFields()));
            put(variables, VAR_CONTACT_NAME, request.contactName());
            put(variables, VAR_CONTACT_PHONE, request.contactPhone());
            put(variables, VAR_CONTACT_EMAIL, request.contactEmail());
            put(variables, VAR_CONFIRM_BEFORE, request.confirmBefore());
            // transient: the start reads them once and keeps them in the row
            ProcessInstance instance = runtimeService.createProcessInstanceByKey(KEY).businessKey(request.reference())
                    .setVariables(ProcessInputs.readOnce(variables)).execute();
            FieldAssignment assignment = assignments.findByProcessInstance(instance.getId()).orElseThrow();
            List<Attachment> files = request.attachments() == null ? List.of() : request.attachments();
            if (files.size() > 10) {
                throw InvalidInputException.of("Invalid assignment", "attachments", "size", "must be at most 10 files");
            }
            for (int i = 0; i < files.size(); i++) {
                store(assignment, files.get(i), "attachments[" + i + "]");
            }
            return view(assignment, Viewer.COMPANY);
        });
    }

    public FieldAssignmentView get(String ref) {
        FieldAssignment assignment = find(ref);
        return view(assignment, viewer(assignment));
    }

    public List<FieldAssignmentView> ofCompany(String companyId, FieldStatus status, int offset, int limit) {
        parties.requireMembership(currentUser.require(), companyId);
        return views(assignments.ofCompany(companyId, status, offset, limit), Viewer.COMPANY);
    }

    /** Published assignments, for field workers looking for work: the scope only. */
    public List<FieldAssignmentView> published(int offset, int limit) {
        String user = currentUser.require();
        if (!parties.isFieldWorker(user)) {
            throw new ForbiddenException("Only field workers browse published assignments");
        }
        return views(assignments.published(user, offset, limit), Viewer.PROSPECT);
    }

    /** The signed-in worker's assignments (those it may still see). */
    public List<FieldAssignmentView> mine(FieldStatus status, int offset, int limit) {
        String user = currentUser.require();
        // in the query what viewer(a, user) == WORKER says of each row: a page is full whenever enough match
        return views(assignments.ofWorker(user, parties.companiesOf(user), status, offset, limit), Viewer.WORKER);
    }

    // ---- PUBLISHED

    public FieldAssignmentView apply(String ref, Application application) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asProspect(ref);
            Map<String, Object> variables = new HashMap<>();
            variables.put(VAR_APPLICATION_KIND, application.kind() == null ? APPLY : application.kind());
            put(variables, VAR_APPLICATION_MESSAGE, application.message());
            put(variables, VAR_PROPOSED_PRICE, application.price());
            put(variables, VAR_PROPOSED_START, application.scheduledStart());
            put(variables, VAR_PROPOSED_END, application.scheduledEnd());
            if (QUESTION.equals(variables.get(VAR_APPLICATION_KIND))) {
                throw InvalidInputException.of("Invalid application", "kind", "oneOf", "must be APPLY or COUNTEROFFER; ask questions at /questions");
            }
            completeApplyStep(assignment, variables);
            return get(ref);
        });
    }

    public FieldAssignmentView ask(String ref, String question) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asProspect(ref);
            Map<String, Object> variables = new HashMap<>();
            variables.put(VAR_APPLICATION_KIND, QUESTION);
            variables.put(VAR_APPLICATION_MESSAGE, question);
            completeApplyStep(assignment, variables);
            return get(ref);
        });
    }

    public FieldAssignmentView answer(String ref, long questionId, String answer) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asCompany(ref);
            Task step = taskService.createTaskQuery().processInstanceId(assignment.processInstanceId())
                    .taskDefinitionKey(TASK_ANSWER_QUESTION).listPage(0, 200).stream()
                    .filter(t -> Long.valueOf(questionId).equals(asLong(taskService.getVariable(t.getId(), VAR_QUESTION_ID))))
                    .findFirst().orElseThrow(() -> new ConflictException("Question " + questionId + " of assignment " + ref + " does not await an answer"));
            Map<String, Object> variables = new HashMap<>();
            put(variables, VAR_QUESTION_ANSWER, answer);
            complete(step, variables);
            return get(ref);
        });
    }

    public FieldAssignmentView choose(String ref, Long applicationId) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asCompany(ref);
            Map<String, Object> variables = new HashMap<>();
            put(variables, VAR_CHOSEN_APPLICATION_ID, applicationId);
            complete(assignment, TASK_CHOOSE_APPLICANT, variables);
            return get(ref);
        });
    }

    // ---- the worker's steps

    public FieldAssignmentView confirm(String ref) {
        return workerStep(ref, TASK_CONFIRM_ASSIGNMENT, Map.of(VAR_CONFIRM, true));
    }

    public FieldAssignmentView checkIn(String ref) {
        return workerStep(ref, TASK_CHECK_IN, Map.of(VAR_CHECK_IN, true));
    }

    public FieldAssignmentView checkOut(String ref) {
        return workerStep(ref, TASK_CHECK_OUT, Map.of(VAR_CHECK_OUT, true));
    }

    public FieldAssignmentView submit(String ref, Submission submission) {
        Map<String, Object> variables = new HashMap<>();
        FieldErrors errors = new FieldErrors();
        put(variables, VAR_DELIVERABLES_TEXT, text(errors, "deliverables", submission.deliverables()));
        put(variables, VAR_CUSTOM_FIELDS_TEXT, text(errors, "customFields", submission.customFields()));
        errors.throwIfAny("Invalid submission");
        return workerStep(ref, TASK_SUBMIT_WORK, variables);
    }

    public FieldAssignmentView answerReschedule(String ref, boolean accept) {
        return workerStep(ref, TASK_ANSWER_RESCHEDULE, Map.of(VAR_RESCHEDULE_ANSWER, accept ? ACCEPT : DECLINE));
    }

    /** FastFunds: only an eligible worker (one earlier PAID assignment), only while APPROVED. */
    public FieldAssignmentView fastFunds(String ref) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asWorker(ref);
            guard.fastFunds(assignment, currentUser.require());
            complete(step(assignment, TASK_REQUEST_FAST_FUNDS), Map.of(VAR_FAST_FUNDS, true));
            return get(ref);
        });
    }

    public FieldAssignmentView request(String ref, WorkerRequest request) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asWorker(ref);
            guard.request(assignment, currentUser.require(), request.kind());
            Map<String, Object> variables = new HashMap<>();
            put(variables, VAR_REQUEST_KIND, request.kind());
            put(variables, VAR_REQUEST_AMOUNT, request.amount());
            put(variables, VAR_REQUEST_NEW_START, request.scheduledStart());
            put(variables, VAR_REQUEST_NEW_END, request.scheduledEnd());
            put(variables, VAR_REQUEST_REASON, request.reason());
            correlate(assignment, MESSAGE_WORKER_REQUEST, variables);
            return get(ref);
        });
    }

    // ---- the client's steps

    public FieldAssignmentView answerRequest(String ref, long requestId, boolean approve, String reason) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asCompany(ref);
            Task step = taskService.createTaskQuery().processInstanceId(assignment.processInstanceId())
                    .taskDefinitionKey(TASK_REVIEW_REQUEST).listPage(0, 200).stream()
                    .filter(t -> Long.valueOf(requestId).equals(asLong(taskService.getVariable(t.getId(), VAR_REQUEST_ID))))
                    .findFirst().orElseThrow(() -> new ConflictException("Request " + requestId + " of assignment " + ref + " does not await an answer"));
            Map<String, Object> variables = new HashMap<>();
            variables.put(VAR_REQUEST_DECISION, approve ? APPROVE : DECLINE);
            put(variables, VAR_REQUEST_ANSWER_REASON, reason);
            complete(step, variables);
            return get(ref);
        });
    }

    public FieldAssignmentView approve(String ref) {
        return companyStep(ref, TASK_REVIEW_SUBMISSION, Map.of(VAR_REVIEW_DECISION, APPROVE));
    }

    public FieldAssignmentView notSatisfied(String ref, String reason) {
        Map<String, Object> variables = new HashMap<>();
        variables.put(VAR_REVIEW_DECISION, NOT_SATISFIED);
        put(variables, VAR_NOT_SATISFIED_REASON, reason);
        return companyStep(ref, TASK_REVIEW_SUBMISSION, variables);
    }

    public FieldAssignmentView hold(String ref, String reason, String note) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asCompany(ref);
            guard.hold(assignment, currentUser.require());
            Map<String, Object> variables = new HashMap<>();
            put(variables, VAR_HOLD_REASON, reason);
            put(variables, VAR_HOLD_NOTE, note);
            correlate(assignment, MESSAGE_HOLD_REQUESTED, variables);
            return get(ref);
        });
    }

    public FieldAssignmentView removeHold(String ref, String newStart, String newEnd) {
        Map<String, Object> variables = new HashMap<>();
        put(variables, VAR_NEW_START, newStart);
        put(variables, VAR_NEW_END, newEnd);
        return companyStep(ref, TASK_REMOVE_HOLD, variables);
    }

    public FieldAssignmentView cancel(String ref, String payment, String reason) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asCompany(ref);
            guard.cancel(assignment, currentUser.require());
            Map<String, Object> variables = new HashMap<>();
            put(variables, VAR_CANCEL_PAYMENT, payment);
            put(variables, VAR_CANCEL_REASON, reason);
            correlate(assignment, MESSAGE_CANCEL_REQUESTED, variables);
            return get(ref);
        });
    }

    // ---- messages, files, documents

    public FieldAssignmentView postMessage(String ref, String body) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = find(ref);
            Viewer viewer = viewer(assignment);
            if (viewer == Viewer.PROSPECT) {
                throw new ForbiddenException("Messages are between the client and the assigned worker");
            }
            if (assignment.workerId() == null || assignment.status() == FieldStatus.CANCELLED) {
                throw new ConflictException("Assignment " + ref + " is " + assignment.status() + (assignment.workerId() == null ? " without a worker" : "")
                        + "; messages are for an assigned worker and the client");
            }
            FieldErrors errors = new FieldErrors();
            String text = errors.requiredText("body", body, 5000);
            errors.throwIfAny("Invalid message");
            assignments.addMessage(assignment.id(), currentUser.require(), text, time.now());
            return view(assignment, viewer);
        });
    }

    public StoredFile attachment(String ref, long fileId) {
        FieldAssignment assignment = find(ref);
        if (viewer(assignment) == Viewer.PROSPECT) {
            throw new NotFoundException("No attachment " + fileId + " of assignment " + ref);
        }
        return assignments.file(fileId).filter(f -> f.assignmentId() == assignment.id())
                .map(f -> new StoredFile(f.fileName(), f.contentType(), f.content(), f.sha256()))
                .orElseThrow(() -> new NotFoundException("No attachment " + fileId + " of assignment " + ref));
    }

    public List<DocumentInfo> documents(String ref) {
        FieldAssignment assignment = find(ref);
        if (viewer(assignment) == Viewer.PROSPECT) {
            return List.of();
        }
        return documents.forReference(assignment.reference());
    }

    // ---- helpers

    /**
     * The "Apply for assignment" step is one step that comes back after each use: when another
     * worker used it a moment ago, the step this worker found is gone and a new one is open. That
     * is a concurrent change, not an answer: the whole action runs again (Transactions) on the new step.
     */
    private void completeApplyStep(FieldAssignment assignment, Map<String, Object> variables) {
        // the offer's own process holds the step; an instance of an earlier model holds it itself
        Task step = steps.openCalled(FieldAssignmentProcess.OFFER_KEY, assignment.ref(), TASK_APPLY)
                .orElseGet(() -> step(assignment, TASK_APPLY));
        try {
            complete(step, variables);
        } catch (ConflictException taken) {
            throw new org.camunda.bpm.engine.OptimisticLockingException("The apply step of " + assignment.ref() + " was used by another worker at the same moment");
        }
    }

    private FieldAssignmentView workerStep(String ref, String taskKey, Map<String, Object> variables) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asWorker(ref);
            complete(assignment, taskKey, variables);
            // a worker who declined a new schedule no longer sees the assignment
            FieldAssignment after = find(ref);
            Viewer viewer = viewer(after, currentUser.require());
            return viewer == null ? null : view(after, viewer);
        });
    }

    private FieldAssignmentView companyStep(String ref, String taskKey, Map<String, Object> variables) {
        return transactions.retryingOnConcurrentChange(() -> {
            FieldAssignment assignment = asCompany(ref);
            complete(assignment, taskKey, variables);
            return get(ref);
        });
    }

    private FieldAssignment find(String ref) {
        return assignments.find(ref).orElseThrow(() -> new NotFoundException("No assignment " + ref));
    }

    Viewer viewer(FieldAssignment assignment) {
        Viewer viewer = viewer(assignment, currentUser.require());
        if (viewer == null) {
            throw new NotFoundException("No assignment " + assignment.ref());
        }
        return viewer;
    }

    private Viewer viewer(FieldAssignment assignment, String user) {
        if (parties.isCompanyMember(user, assignment.companyId())) {
            return Viewer.COMPANY;
        }
        if (assignment.isWorker(user) && (assignment.status() != FieldStatus.CANCELLED || assignment.cancelPayment() != null)) {
            return Viewer.WORKER;
        }
        if (assignment.status() == FieldStatus.PUBLISHED && parties.isFieldWorker(user) && !assignments.isRemoved(assignment.id(), user)) {
            return Viewer.PROSPECT;
        }
        return null;
    }

    private FieldAssignment asCompany(String ref) {
        FieldAssignment assignment = find(ref);
        if (viewer(assignment) != Viewer.COMPANY) {
            throw new ForbiddenException("Only members of company " + assignment.companyId() + " do this on assignment " + ref);
        }
        return assignment;
    }

    private FieldAssignment asWorker(String ref) {
        FieldAssignment assignment = find(ref);
        if (viewer(assignment) != Viewer.WORKER) {
            throw new ForbiddenException("Only the assigned worker does this on assignment " + ref);
        }
        return assignment;
    }

    private FieldAssignment asProspect(String ref) {
        FieldAssignment assignment = find(ref);
        if (viewer(assignment) != Viewer.PROSPECT) {
            throw new ForbiddenException("Only field workers apply or ask, and only while the assignment is PUBLISHED");
        }
        return assignment;
    }

    private void correlate(FieldAssignment assignment, String message, Map<String, Object> variables) {
        try {
            runtimeService.createMessageCorrelation(message).processInstanceId(assignment.processInstanceId())
                    .setVariables(variables).correlateWithResult();
        } catch (MismatchingMessageCorrelationException e) {
            throw new ConflictException("Assignment " + assignment.ref() + " is " + assignment.status() + "; it does not take this now");
        }
    }

    private void complete(FieldAssignment assignment, String taskKey, Map<String, Object> variables) {
        complete(step(assignment, taskKey), variables);
    }

    private Task step(FieldAssignment assignment, String taskKey) {
        return steps.open(assignment.processInstanceId(), taskKey).orElseThrow(() -> new ConflictException(
                "Assignment " + assignment.ref() + " is " + assignment.status() + "; this step is not open"));
    }

    private void complete(Task step, Map<String, Object> variables) {
        steps.complete(step, variables, "The assignment changed at the same moment (a timer fired, or somebody acted); reload it");
    }

    private void store(FieldAssignment assignment, Attachment attachment, String field) {
        FieldErrors errors = new FieldErrors();
        String name = errors.requiredText(field + ".fileName", attachment.fileName(), 200);
        if (name != null && !name.matches("[A-Za-z0-9 ._()-]+")) {
            errors.add(field + ".fileName", "format", "may contain letters, digits, spaces and . _ ( ) - only");
        }
        String type = errors.requiredText(field + ".contentType", attachment.contentType(), 100);
        if (type != null && !CONTENT_TYPES.contains(type)) {
            errors.add(field + ".contentType", "oneOf", "must be one of " + CONTENT_TYPES);
        }
        byte[] content = null;
        if (attachment.contentBase64() == null || attachment.contentBase64().isBlank()) {
            errors.add(field + ".contentBase64", "required", "is required, the file's bytes in base64");
        } else if (attachment.contentBase64().length() > (MAX_ATTACHMENT_BYTES / 3 + 1) * 4) {
            errors.add(field + ".contentBase64", "size", "must be at most " + MAX_ATTACHMENT_BYTES + " bytes");
        } else {
            try {
                content = Base64.getDecoder().decode(attachment.contentBase64());
                if (content.length == 0) {
                    errors.add(field + ".contentBase64", "size", "must not be empty");
                }
            } catch (IllegalArgumentException e) {
                errors.add(field + ".contentBase64", "format", "is not valid base64");
            }
        }
        errors.throwIfAny("Invalid assignment");
        assignments.addFile(assignment.id(), name, type, content, sha256(content), time.now());
    }

    /** A page of views: the related rows of the whole page in one query a kind (FieldAssignmentRepository.details). */
    private List<FieldAssignmentView> views(List<FieldAssignment> page, Viewer viewer) {
        FieldAssignmentRepository.Details details = assignments.details(page);
        return page.stream().map(a -> view(a, viewer, details)).toList();
    }

    private FieldAssignmentView view(FieldAssignment a, Viewer viewer) {
        return view(a, viewer, assignments.details(List.of(a)));
    }

    private FieldAssignmentView view(FieldAssignment a, Viewer viewer, FieldAssignmentRepository.Details details) {
        boolean full = viewer != Viewer.PROSPECT;
        String user = currentUser.id().orElse("");
        List<FieldAssignmentRepository.Requirement> requirements = details.requirements().getOrDefault(a.id(), List.of());
        List<String> labels = new java.util.ArrayList<>();
        boolean hideLabels = viewer != Viewer.COMPANY && a.status() == FieldStatus.ON_HOLD;
        if (!hideLabels && full) {
            boolean confirmable = Set.of(FieldStatus.ASSIGNED, FieldStatus.IN_PROGRESS, FieldStatus.ON_HOLD).contains(a.status());
            if (a.workerId() != null && a.confirmedAt() == null && confirmable) {
                labels.add("WORKER_NOT_CONFIRMED");
            }
            if (a.late()) {
                labels.add("LATE");
            }
            if (a.lateDeliverables()) {
                labels.add("LATE_DELIVERABLES");
            }
        }
        Map<String, String> deliverables = new LinkedHashMap<>();
        Map<String, String> customFields = new LinkedHashMap<>();
        if (full) {
            for (FieldAssignmentRepository.Item item : details.items().getOrDefault(a.id(), List.of())) {
                (item.kind().equals(FieldPublishingSteps.DELIVERABLE) ? deliverables : customFields).put(item.name(), item.value());
            }
        }
        List<FieldAssignmentView.ApplicationView> applications = details.applications().getOrDefault(a.id(), List.of()).stream()
                .filter(app -> viewer == Viewer.COMPANY || app.workerId().equals(user))
                .map(app -> new FieldAssignmentView.ApplicationView(app.id(), app.workerId(), app.kind(), app.message(),
                        app.price() == null ? null : app.price().toDecimalString(), app.proposedStart(), app.proposedEnd(), app.status(),
                        app.createdAt()))
                .toList();
        FieldAssignmentView.Invoice invoice = a.invoiceTotal() == null || !full ? null : new FieldAssignmentView.Invoice(
                a.invoiceTotal().toDecimalString(), a.invoiceDate(), a.paymentDueOn(), a.paidAt(),
                a.fastFundsFee() == null ? null : a.fastFundsFee().toDecimalString(),
                a.paidAt() == null ? null : (a.fastFundsFee() == null ? a.invoiceTotal() : a.invoiceTotal().minus(a.fastFundsFee())).toDecimalString());
        return new FieldAssignmentView(a.ref(), a.companyId(), a.status(), labels, a.title(), a.description(), a.location(),
                a.scheduledStart(), a.scheduledEnd(), a.budget().currencyCode(), a.budget().toDecimalString(),
                full ? a.price().toDecimalString() : a.budget().toDecimalString(), a.paymentTermsDays(), a.checkInRequired(),
                requirements.stream().filter(r -> r.kind().equals(FieldPublishingSteps.DELIVERABLE)).map(FieldAssignmentRepository.Requirement::name).toList(),
                requirements.stream().filter(r -> r.kind().equals(FieldPublishingSteps.CUSTOM_FIELD)).map(FieldAssignmentRepository.Requirement::name).toList(),
                full ? a.workerId() : null,
                full ? new FieldAssignmentView.Contact(a.contactName(), a.contactPhone(), a.contactEmail()) : null,
                full ? details.files().getOrDefault(a.id(), List.of()).stream().map(f -> new FieldAssignmentView.FileView(f.id(), f.fileName(), f.contentType(),
                        f.sizeBytes(), f.sha256())).toList() : null,
                full ? details.messages().getOrDefault(a.id(), List.of()).stream().map(m -> new FieldAssignmentView.MessageView(m.id(), m.author(), m.body(),
                        m.postedAt())).toList() : null,
                applications,
                details.questions().getOrDefault(a.id(), List.of()).stream().map(q -> new FieldAssignmentView.QuestionView(q.id(), q.workerId(), q.question(),
                        q.answer(), q.askedAt(), q.answeredAt())).toList(),
                full ? details.requests().getOrDefault(a.id(), List.of()).stream().map(r -> new FieldAssignmentView.RequestView(r.id(), r.kind(),
                        r.amount() == null ? null : r.amount().toDecimalString(), r.newStart(), r.newEnd(), r.reason(), r.status(),
                        r.answerReason(), r.requestedAt(), r.answeredAt())).toList() : null,
                full ? a.confirmedAt() : null, full ? a.checkedInAt() : null, full ? a.checkedOutAt() : null,
                full ? deliverables : null, full ? customFields : null, full ? a.submittedAt() : null,
                full ? a.holdReason() : null, full ? a.holdNote() : null, invoice,
                full && a.cancelPayment() != null ? a.cancelPayment().toDecimalString() : null, full ? a.cancelReason() : null,
                a.createdAt(),
                full ? details.events().getOrDefault(a.id(), List.of()).stream().map(e -> new FieldAssignmentView.HistoryEntry(e.at(), e.actor(), e.event(),
                        e.detail())).toList() : null);
    }

    /** What the client owes for the work so far: price plus approved budget increases, expenses and bonuses. */
    public Money total(String ref) {
        return reviewSteps.invoiceTotal(find(ref));
    }

    private static String text(FieldErrors errors, String field, Map<String, String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            String name = entry.getKey() == null ? "" : entry.getKey().strip();
            String value = entry.getValue() == null ? "" : entry.getValue().strip();
            if (name.isEmpty() || name.contains(":") || name.contains("\n") || value.isEmpty() || value.contains("\n")) {
                errors.add(field + "." + name, "format", "needs a name without ':' and a one-line value");
                continue;
            }
            text.append(name).append(": ").append(value).append('\n');
        }
        return text.toString();
    }

    private static String joined(List<String> names) {
        return names == null || names.isEmpty() ? null : names.stream().map(n -> n == null ? "" : n).collect(Collectors.joining(","));
    }

    private static void put(Map<String, Object> variables, String name, Object value) {
        if (value != null) {
            variables.put(name, value);
        }
    }

    private static Long asLong(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
