package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import io.gigflow.document.DocumentRequest;
import io.gigflow.document.DocumentService;
import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.InsufficientBalanceException;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.HtmlSanitizer;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.UnprocessableException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.camunda.bpm.engine.impl.context.Context;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.springframework.stereotype.Service;

/**
 * What each step of the field-assignment process does. Every step reads the assignment from
 * its row (locked, and only the row of its own process instance), changes it, and mirrors the
 * status and the dates the timers need into process variables. Contact details, attachments,
 * messages and labels never become process variables.
 */
@Service
class FieldSteps {

    static final String REF_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    static final Set<String> HOLD_REASONS = Set.of("SITE_NOT_READY", "PARTS_NOT_AVAILABLE", "OTHER");
    static final Set<String> REQUEST_KINDS = Set.of("BUDGET_INCREASE", "EXPENSE", "BONUS", "RESCHEDULE");
    static final String DELIVERABLE = "DELIVERABLE";
    static final String CUSTOM_FIELD = "CUSTOM_FIELD";
    /** The engine's task name column holds 255 characters; a longer name is cut. */
    static final int TASK_NAME_LIMIT = 255;

    private final FieldAssignmentRepository assignments;
    private final FieldSettings settings;
    private final Parties parties;
    private final Grants grants;
    private final Ledger ledger;
    private final NotificationService notifications;
    private final DocumentService documents;
    private final FaultInjector faults;
    private final CurrentUser currentUser;
    private final TimeSource time;

    FieldSteps(FieldAssignmentRepository assignments, FieldSettings settings, Parties parties, Grants grants, Ledger ledger,
            NotificationService notifications, DocumentService documents, FaultInjector faults, CurrentUser currentUser,
            TimeSource time) {
        this.assignments = assignments;
        this.settings = settings;
        this.parties = parties;
        this.grants = grants;
        this.ledger = ledger;
        this.notifications = notifications;
        this.documents = documents;
        this.faults = faults;
        this.currentUser = currentUser;
        this.time = time;
    }

    // ---- PUBLISHED

    /** Validates the start, stores the assignment and its requirements, and keeps contact details out of the variables. */
    void publishAssignment(DelegateExecution execution) {
        FieldErrors errors = new FieldErrors();
        String companyId = errors.requiredText(VAR_COMPANY_ID, execution.getVariable(VAR_COMPANY_ID), 64);
        Parties.Company company = companyId == null ? null : parties.company(companyId).orElse(null);
        if (companyId != null && company == null) {
            errors.add(VAR_COMPANY_ID, "exists", "no company " + companyId);
        }
        String title = errors.requiredText(VAR_TITLE, execution.getVariable(VAR_TITLE), 200);
        String description = errors.optionalHtml(VAR_DESCRIPTION, execution.getVariable(VAR_DESCRIPTION), 5000);
        String location = errors.requiredText(VAR_LOCATION, execution.getVariable(VAR_LOCATION), 500);
        OffsetDateTime now = time.now();
        OffsetDateTime start = dateTime(errors, VAR_SCHEDULED_START, execution.getVariable(VAR_SCHEDULED_START), true);
        OffsetDateTime end = dateTime(errors, VAR_SCHEDULED_END, execution.getVariable(VAR_SCHEDULED_END), true);
        schedule(errors, VAR_SCHEDULED_START, VAR_SCHEDULED_END, start, end, now);
        Money budget = MoneyInput.positive(execution.getVariable(VAR_BUDGET), execution.getVariable(VAR_CURRENCY), VAR_BUDGET,
                VAR_CURRENCY, errors);
        Object rawTerms = execution.getVariable(VAR_PAYMENT_TERMS_DAYS);
        int terms = 0;
        if (!(rawTerms instanceof Integer || rawTerms instanceof Long || rawTerms instanceof Short)) {
            errors.add(VAR_PAYMENT_TERMS_DAYS, rawTerms == null ? "required" : "type", "must be a whole number of days (Integer), 0 to 90");
        } else if (((Number) rawTerms).longValue() < 0 || ((Number) rawTerms).longValue() > 90) {
            errors.add(VAR_PAYMENT_TERMS_DAYS, "range", "must be 0 to 90 days");
        } else {
            terms = ((Number) rawTerms).intValue();
        }
        Object rawCheckIn = execution.getVariable(VAR_CHECK_IN_REQUIRED);
        if (rawCheckIn != null && !(rawCheckIn instanceof Boolean)) {
            errors.add(VAR_CHECK_IN_REQUIRED, "type", "must be a Boolean");
        }
        boolean checkIn = Boolean.TRUE.equals(rawCheckIn);
        List<String> deliverables = names(errors, VAR_REQUIRED_DELIVERABLES, execution.getVariable(VAR_REQUIRED_DELIVERABLES));
        List<String> customFields = names(errors, VAR_REQUIRED_CUSTOM_FIELDS, execution.getVariable(VAR_REQUIRED_CUSTOM_FIELDS));
        String contactName = errors.requiredText(VAR_CONTACT_NAME, execution.getVariable(VAR_CONTACT_NAME), 200);
        String contactPhone = errors.optionalText(VAR_CONTACT_PHONE, execution.getVariable(VAR_CONTACT_PHONE), 50);
        if (contactPhone != null && !contactPhone.matches("[+0-9 ()./-]{3,50}")) {
            errors.add(VAR_CONTACT_PHONE, "format", "must be a phone number: digits, spaces and + ( ) . / -");
        }
        String contactEmail = errors.optionalText(VAR_CONTACT_EMAIL, execution.getVariable(VAR_CONTACT_EMAIL), 200);
        if (contactEmail != null && !contactEmail.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
            errors.add(VAR_CONTACT_EMAIL, "format", "must be an email address");
        }
        String confirmBefore = duration(errors, VAR_CONFIRM_BEFORE, execution.getVariable(VAR_CONFIRM_BEFORE), settings.confirmBefore());
        String businessKey = execution.getProcessBusinessKey();
        if (businessKey != null && !businessKey.matches(REF_PATTERN)) {
            errors.add("businessKey", "format", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        } else if (businessKey != null && assignments.refExists(businessKey)) {
            errors.add("businessKey", "unique", "an assignment " + businessKey + " exists already");
        }
        errors.throwIfAny("Invalid assignment");
        String caller = currentUser.id().orElse(null);
        if (caller != null && !parties.isCompanyMember(caller, companyId)) {
            throw new AuthorizationException(caller + " is not a member of company " + companyId);
        }
        String ref = businessKey == null ? assignments.nextRef() : businessKey;
        if (businessKey == null) {
            execution.setProcessBusinessKey(ref);
        }
        long id = assignments.insert(ref, companyId, title, description, location, start, end, budget, terms, checkIn, contactName,
                contactPhone, contactEmail, execution.getProcessInstanceId(), now);
        deliverables.forEach(name -> assignments.addRequirement(id, DELIVERABLE, name));
        customFields.forEach(name -> assignments.addRequirement(id, CUSTOM_FIELD, name));
        assignments.addEvent(id, now, currentUser.actor(), "PUBLISHED", budget + ", " + start + " to " + end);
        grants.groupMayReadInstance(companyId, execution.getProcessInstanceId());
        // contact details are the assignment's secret until a worker is assigned: never a variable
        for (String secret : List.of(VAR_CONTACT_NAME, VAR_CONTACT_PHONE, VAR_CONTACT_EMAIL, VAR_DESCRIPTION)) {
            execution.removeVariable(secret);
        }
        execution.setVariable(VAR_DESCRIPTION_TEXT, description == null ? "" : HtmlSanitizer.text(description));
        execution.setVariable(VAR_REQUIREMENTS_TEXT, requirementsText(deliverables, customFields));
        execution.setVariable(VAR_REF, ref);
        execution.setVariable(VAR_TITLE, title);
        execution.setVariable(VAR_LOCATION, location);
        execution.setVariable(VAR_BUDGET, budget.toDecimalString());
        execution.setVariable(VAR_CURRENCY, budget.currencyCode());
        execution.setVariable(VAR_PRICE, budget.toDecimalString());
        execution.setVariable(VAR_PAYMENT_TERMS_DAYS, terms);
        execution.setVariable(VAR_CHECK_IN_REQUIRED, checkIn);
        execution.setVariable(VAR_CONFIRM_BEFORE, confirmBefore);
        execution.setVariable(VAR_ESCALATION_INTERVAL, settings.escalationInterval());
        setSchedule(execution, start, end, confirmBefore);
        execution.setVariable(VAR_STATUS, FieldStatus.PUBLISHED.name());
    }

    /** A worker's application, counteroffer or question from the "Apply for assignment" step; the step comes back for the next. */
    void recordApplication(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        String worker = currentUser.id().orElse(null);
        FieldErrors errors = new FieldErrors();
        if (worker == null || !parties.isFieldWorker(worker)) {
            throw new AuthorizationException((worker == null ? "nobody" : worker) + " is not a field worker");
        }
        if (assignments.isRemoved(assignment.id(), worker)) {
            throw new ConflictException("You were removed from assignment " + assignment.ref() + " and cannot apply again");
        }
        String kind = oneOf(errors, VAR_APPLICATION_KIND, execution.getVariable(VAR_APPLICATION_KIND), APPLY, COUNTEROFFER, QUESTION);
        String message = errors.optionalText(VAR_APPLICATION_MESSAGE, execution.getVariable(VAR_APPLICATION_MESSAGE), 2000);
        Money price = null;
        OffsetDateTime start = null;
        OffsetDateTime end = null;
        if (QUESTION.equals(kind) && message == null) {
            errors.add(VAR_APPLICATION_MESSAGE, "required", "is required: the question");
        }
        if (COUNTEROFFER.equals(kind)) {
            Object rawPrice = execution.getVariable(VAR_PROPOSED_PRICE);
            if (rawPrice != null && !(rawPrice instanceof String s && s.isBlank())) {
                price = MoneyInput.positive(rawPrice, assignment.budget().currencyCode(), VAR_PROPOSED_PRICE, VAR_CURRENCY, errors);
            }
            start = dateTime(errors, VAR_PROPOSED_START, blankToNull(execution.getVariable(VAR_PROPOSED_START)), false);
            end = dateTime(errors, VAR_PROPOSED_END, blankToNull(execution.getVariable(VAR_PROPOSED_END)), false);
            if ((start == null) != (end == null)) {
                errors.add(start == null ? VAR_PROPOSED_START : VAR_PROPOSED_END, "required", "another schedule needs both start and end");
            } else if (start != null) {
                schedule(errors, VAR_PROPOSED_START, VAR_PROPOSED_END, start, end, time.now());
            }
            if (price == null && start == null && errors.isEmpty()) {
                errors.add(VAR_PROPOSED_PRICE, "required", "a counteroffer proposes another price, another schedule, or both");
            }
        }
        errors.throwIfAny("Invalid application");
        OffsetDateTime now = time.now();
        for (String name : List.of(VAR_APPLICATION_KIND, VAR_APPLICATION_MESSAGE, VAR_PROPOSED_PRICE, VAR_PROPOSED_START, VAR_PROPOSED_END)) {
            execution.removeVariable(name);
        }
        if (QUESTION.equals(kind)) {
            long questionId = assignments.addQuestion(assignment.id(), worker, message, now);
            assignments.addEvent(assignment.id(), now, worker, "QUESTION_ASKED", "#" + questionId);
            execution.setVariable(VAR_LAST_QUESTION_ID, questionId);
            execution.setVariable(VAR_QUESTION_TEXT, message);
            return;
        }
        execution.removeVariable(VAR_LAST_QUESTION_ID);
        if (assignments.applications(assignment).stream().anyMatch(a -> a.workerId().equals(worker) && "OPEN".equals(a.status()))) {
            throw new ConflictException("You applied for assignment " + assignment.ref() + " already");
        }
        long applicationId = assignments.addApplication(assignment.id(), worker, kind, message, price, start, end, now);
        assignments.addEvent(assignment.id(), now, worker, kind.equals(APPLY) ? "APPLIED" : "COUNTEROFFERED", "#" + applicationId
                + (price == null ? "" : " " + price) + (start == null ? "" : " " + start + " to " + end));
        refreshApplicationsText(execution, assignment);
    }

    /** The client's "Choose applicant" form lists the open applications: a variable of that task only, not of the instance. */
    private void refreshApplicationsText(DelegateExecution execution, FieldAssignment assignment) {
        String text = applicationsText(assignment);
        var engine = execution.getProcessEngineServices();
        Context.getCommandContext().runWithoutAuthorization(() -> {
            for (Task task : engine.getTaskService().createTaskQuery().processInstanceId(execution.getProcessInstanceId())
                    .taskDefinitionKey(TASK_CHOOSE_APPLICANT).listPage(0, 10)) {
                engine.getTaskService().setVariableLocal(task.getId(), VAR_APPLICATIONS_TEXT, text);
            }
            return null;
        });
    }

    /** A new "Choose applicant" step (also after a worker was removed) starts with the open applications. */
    void listApplications(DelegateTask task) {
        FieldAssignment assignment = locked(task.getExecution());
        task.setVariableLocal(VAR_APPLICATIONS_TEXT, applicationsText(assignment));
    }

    private String applicationsText(FieldAssignment assignment) {
        String text = assignments.applications(assignment).stream().filter(a -> "OPEN".equals(a.status()))
                .map(a -> "#" + a.id() + " " + a.workerId() + ": " + (a.kind().equals(APPLY) ? "applies at " + assignment.budget()
                        : "counteroffer" + (a.price() == null ? "" : " " + a.price())
                        + (a.proposedStart() == null ? "" : ", " + a.proposedStart() + " to " + a.proposedEnd()))
                        + (a.message() == null ? "" : " (" + a.message() + ")"))
                .collect(Collectors.joining("\n"));
        return text.isEmpty() ? "No applications yet" : text;
    }

    /**
     * Every human step is named after its assignment in Tasklist ("Check in: F-1001 Replace the
     * meter"), so that a person with several assignments tells them apart. The diagram keeps the
     * step's own name; only the task gets the reference and the title (both in the published scope).
     */
    void nameTask(DelegateTask task) {
        String name = task.getName() + ": " + task.getExecution().getProcessBusinessKey() + " " + task.getVariable(VAR_TITLE);
        task.setName(name.length() > TASK_NAME_LIMIT ? name.substring(0, TASK_NAME_LIMIT - 3) + "..." : name);
    }

    /**
     * The client's "Review submission" form shows what the worker handed in, read from the
     * assignment's rows when the step opens: a variable of that task only (the worker's steps and
     * the instance never carry it), like the applications of "Choose applicant".
     */
    void showSubmission(DelegateTask task) {
        FieldAssignment assignment = locked(task.getExecution());
        task.setVariableLocal(VAR_SUBMISSION_TEXT, submissionText(assignment));
    }

    String submissionText(FieldAssignment assignment) {
        StringBuilder text = new StringBuilder();
        if (assignment.checkInRequired()) {
            text.append("Checked in: ").append(orNot(assignment.checkedInAt())).append('\n');
            text.append("Checked out: ").append(orNot(assignment.checkedOutAt())).append('\n');
        } else {
            text.append("Check-in not required (work began at the scheduled start)\n");
        }
        text.append("Submitted: ").append(orNot(assignment.submittedAt())).append('\n');
        Map<String, String> handedIn = new LinkedHashMap<>();
        assignments.items(assignment.id()).forEach(item -> handedIn.put(item.kind() + ":" + item.name(), item.value()));
        List<FieldAssignmentRepository.Requirement> required = assignments.requirements(assignment.id());
        for (String kind : List.of(DELIVERABLE, CUSTOM_FIELD)) {
            List<FieldAssignmentRepository.Requirement> ofKind = required.stream().filter(r -> r.kind().equals(kind)).toList();
            text.append(kind.equals(DELIVERABLE) ? "Deliverables:" : "Custom fields:").append(ofKind.isEmpty() ? " none required\n" : "\n");
            ofKind.forEach(r -> text.append("- ").append(r.name()).append(": ")
                    .append(handedIn.getOrDefault(r.kind() + ":" + r.name(), "(missing)")).append('\n'));
        }
        text.append("Price: ").append(assignment.price()).append('\n');
        List<FieldAssignmentRepository.Request> approved = assignments.requests(assignment).stream()
                .filter(r -> "APPROVED".equals(r.status())).toList();
        text.append("Approved requests:").append(approved.isEmpty() ? " none\n" : "\n");
        approved.forEach(r -> text.append("- #").append(r.id()).append(' ').append(r.kind())
                .append(r.amount() == null ? "" : " " + r.amount())
                .append(r.newStart() == null ? "" : " " + r.newStart() + " to " + r.newEnd())
                .append(r.reason() == null ? "" : " (" + r.reason() + ")").append('\n'));
        text.append("Invoice total if approved now: ").append(invoiceTotal(assignment));
        return text.toString();
    }

    private static String orNot(OffsetDateTime at) {
        return at == null ? "not yet" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    void checkAnswer(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        errors.requiredText(VAR_QUESTION_ANSWER, execution.getVariable(VAR_QUESTION_ANSWER), 2000);
        errors.throwIfAny("Invalid answer");
    }

    void recordAnswer(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        long questionId = ((Number) execution.getVariable(VAR_QUESTION_ID)).longValue();
        String answer = ((String) execution.getVariable(VAR_QUESTION_ANSWER)).strip();
        OffsetDateTime now = time.now();
        assignments.answerQuestion(questionId, answer, currentUser.actor(), now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "QUESTION_ANSWERED", "#" + questionId);
        execution.removeVariable(VAR_QUESTION_ANSWER);
    }

    void checkChoice(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldAssignment assignment = locked(execution);
        Long chosen = chosenApplication(execution.getVariable(VAR_CHOSEN_APPLICATION_ID));
        boolean open = chosen != null && assignments.applications(assignment).stream()
                .anyMatch(a -> a.id() == chosen && "OPEN".equals(a.status()));
        if (!open) {
            throw InvalidInputException.of("Invalid choice", VAR_CHOSEN_APPLICATION_ID, "exists",
                    "must be the id of an open application of assignment " + assignment.ref());
        }
    }

    /** The client picked an application: its worker is assigned (a counteroffer's terms replace the budget and schedule). */
    void assignWorker(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        long chosenId = chosenApplication(execution.getVariable(VAR_CHOSEN_APPLICATION_ID));
        FieldAssignmentRepository.Application chosen = assignments.applications(assignment).stream()
                .filter(a -> a.id() == chosenId).findFirst().orElseThrow();
        OffsetDateTime now = time.now();
        OffsetDateTime start = chosen.proposedStart() != null ? chosen.proposedStart() : assignment.scheduledStart();
        OffsetDateTime end = chosen.proposedEnd() != null ? chosen.proposedEnd() : assignment.scheduledEnd();
        assignments.update(assignment.id(), "status = 'ASSIGNED', worker_id = :worker, application_id = :app, agreed_price = :price,"
                        + " scheduled_start = :start, scheduled_end = :end, confirmed_at = null, checked_in_at = null,"
                        + " checked_out_at = null, late = false, late_deliverables = false", now,
                "worker", chosen.workerId(), "app", chosen.id(), "price", chosen.price() == null ? null : chosen.price().amount(),
                "start", start, "end", end);
        assignments.setApplicationStatus(chosen.id(), "CHOSEN");
        assignments.setApplicationStatus(assignment.id(), null, "OPEN", "NOT_CHOSEN");
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "ASSIGNED", chosen.workerId()
                + (chosen.kind().equals(COUNTEROFFER) ? " on the counteroffer's terms" : ""));
        grants.userMayReadInstance(chosen.workerId(), execution.getProcessInstanceId());
        execution.removeVariable(VAR_CHOSEN_APPLICATION_ID);
        execution.removeVariable(VAR_LAST_QUESTION_ID);
        execution.removeVariable(VAR_QUESTION_TEXT);
        execution.setVariable(VAR_WORKER_ID, chosen.workerId());
        execution.setVariable(VAR_PRICE, (chosen.price() == null ? assignment.budget() : chosen.price()).toDecimalString());
        execution.setVariable(VAR_CONFIRMED, false);
        execution.setVariable(VAR_CHECK_OUT_PENDING, assignment.checkInRequired());
        setSchedule(execution, start, end, (String) execution.getVariable(VAR_CONFIRM_BEFORE));
        execution.setVariable(VAR_STATUS, FieldStatus.ASSIGNED.name());
    }

    // ---- ASSIGNED

    void checkConfirmation(DelegateExecution execution) {
        if (!execution.isCanceled() && !Boolean.TRUE.equals(execution.getVariable(VAR_CONFIRM))) {
            throw InvalidInputException.of("Invalid confirmation", VAR_CONFIRM, "true", "must be true to confirm the assignment");
        }
    }

    void recordConfirmation(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        if (assignment.confirmedAt() == null) {
            assignments.update(assignment.id(), "confirmed_at = :at", time.now(), "at", time.now());
            assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "CONFIRMED", null);
        }
        execution.removeVariable(VAR_CONFIRM);
        execution.setVariable(VAR_CONFIRMED, true);
    }

    void checkCheckIn(DelegateExecution execution) {
        if (!execution.isCanceled() && !Boolean.TRUE.equals(execution.getVariable(VAR_CHECK_IN))) {
            throw InvalidInputException.of("Invalid check-in", VAR_CHECK_IN, "true", "must be true to check in");
        }
    }

    void checkCheckOut(DelegateExecution execution) {
        if (!execution.isCanceled() && !Boolean.TRUE.equals(execution.getVariable(VAR_CHECK_OUT))) {
            throw InvalidInputException.of("Invalid check-out", VAR_CHECK_OUT, "true", "must be true to check out");
        }
    }

    /** Work begins: at check-in, or when the scheduled start passes and no check-in is required. */
    void beginWork(DelegateExecution execution, String trigger) {
        FieldAssignment assignment = locked(execution);
        if (assignment.status() != FieldStatus.ASSIGNED) {
            throw new IllegalStateException("assignment " + assignment.ref() + " is " + assignment.status() + ", work cannot begin");
        }
        OffsetDateTime now = time.now();
        if ("CHECK_IN".equals(trigger)) {
            // checking in confirms an assignment the worker had not confirmed yet
            assignments.update(assignment.id(), "status = 'IN_PROGRESS', checked_in_at = :at, confirmed_at = coalesce(confirmed_at, :at)",
                    now, "at", now);
            assignments.addEvent(assignment.id(), now, currentUser.actor(), "CHECKED_IN", assignment.late() ? "late" : null);
            execution.removeVariable(VAR_CHECK_IN);
            execution.setVariable(VAR_CONFIRMED, true);
        } else {
            assignments.update(assignment.id(), "status = 'IN_PROGRESS'", now);
            assignments.addEvent(assignment.id(), now, currentUser.actor(), "STARTED", "the scheduled start passed");
        }
        execution.setVariable(VAR_STATUS, FieldStatus.IN_PROGRESS.name());
    }

    /** The scheduled start passed without a check-in: the LATE label. */
    void markLate(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        if (assignment.status() == FieldStatus.ASSIGNED && assignment.checkedInAt() == null && !assignment.late()) {
            assignments.update(assignment.id(), "late = true", time.now());
            assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "LATE", "not checked in by " + assignment.scheduledStart());
        }
    }

    void recordCheckOut(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "checked_out_at = :at", now, "at", now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "CHECKED_OUT", null);
        execution.removeVariable(VAR_CHECK_OUT);
        execution.setVariable(VAR_CHECK_OUT_PENDING, false);
    }

    /** The scheduled end passed without a submission: the LATE_DELIVERABLES label. */
    void markLateDeliverables(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        if (assignment.status() == FieldStatus.IN_PROGRESS && !assignment.lateDeliverables()) {
            assignments.update(assignment.id(), "late_deliverables = true", time.now());
            assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "LATE_DELIVERABLES", "due " + assignment.scheduledEnd());
        }
    }

    // ---- submission and review

    /**
     * The worker's submission: stores the deliverables and custom fields handed in (lines
     * "name: value") and refuses it, naming every missing item, unless everything the client
     * required is there.
     */
    void checkSubmission(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldAssignment assignment = locked(execution);
        FieldErrors errors = new FieldErrors();
        Map<String, String> deliverables = lines(errors, VAR_DELIVERABLES_TEXT, execution.getVariable(VAR_DELIVERABLES_TEXT));
        Map<String, String> customFields = lines(errors, VAR_CUSTOM_FIELDS_TEXT, execution.getVariable(VAR_CUSTOM_FIELDS_TEXT));
        errors.throwIfAny("Invalid submission");
        List<FieldAssignmentRepository.Requirement> required = assignments.requirements(assignment.id());
        OffsetDateTime now = time.now();
        for (FieldAssignmentRepository.Requirement requirement : required) {
            String value = (requirement.kind().equals(DELIVERABLE) ? deliverables : customFields).get(requirement.name());
            if (value != null) {
                assignments.putItem(assignment.id(), requirement.kind(), requirement.name(), value, now);
            }
        }
        Set<String> handedIn = assignments.items(assignment.id()).stream().map(i -> i.kind() + ":" + i.name()).collect(Collectors.toSet());
        if (assignment.checkInRequired() && assignment.checkedInAt() == null) {
            errors.add("checkIn", "required", "the worker has not checked in");
        }
        if (assignment.checkInRequired() && assignment.checkedOutAt() == null) {
            errors.add("checkOut", "required", "the worker has not checked out");
        }
        for (FieldAssignmentRepository.Requirement requirement : required) {
            if (!handedIn.contains(requirement.kind() + ":" + requirement.name())) {
                errors.add((requirement.kind().equals(DELIVERABLE) ? "deliverables." : "customFields.") + requirement.name(), "required",
                        (requirement.kind().equals(DELIVERABLE) ? "the deliverable \"" : "the custom field \"") + requirement.name()
                                + "\" is missing");
            }
        }
        errors.throwIfAny("Incomplete submission");
    }

    void recordSubmission(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "status = 'PENDING_APPROVAL', submitted_at = :at", now, "at", now);
        assignments.withdrawPendingRequests(assignment.id(), "the work was submitted", now);
        Duration average = assignments.averageApprovalTime(assignment.companyId()).orElse(Duration.parse(settings.defaultApprovalTime()));
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "SUBMITTED", "approval expected within " + average);
        execution.removeVariable(VAR_DELIVERABLES_TEXT);
        execution.removeVariable(VAR_CUSTOM_FIELDS_TEXT);
        // first when the client takes longer than it usually does, then every escalationInterval until it decides
        execution.setVariable(VAR_ESCALATION_AT, Date.from(now.plus(average).toInstant()));
        execution.setVariable(VAR_ESCALATION_CYCLE, "R1000/" + now.plus(average).toInstant() + "/" + execution.getVariable(VAR_ESCALATION_INTERVAL));
        execution.setVariable(VAR_STATUS, FieldStatus.PENDING_APPROVAL.name());
    }

    void escalateApproval(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        if (assignment.status() != FieldStatus.PENDING_APPROVAL) {
            return;
        }
        List<String> recipients = new ArrayList<>(parties.companyMembers(assignment.companyId()).stream().map(Parties.Person::id).toList());
        recipients.add(assignment.workerId());
        assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "APPROVAL_ESCALATED", "submitted " + assignment.submittedAt());
        notifications.notifyAll(recipients, "APPROVAL_OVERDUE", assignment.reference(), execution.getActivityInstanceId(),
                "Approval overdue: " + assignment.title(), "The submission of " + what(assignment) + " awaits the client's approval since "
                        + assignment.submittedAt() + ", longer than the client usually takes. Please approve it or say what is missing.");
    }

    void checkReview(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        String decision = oneOf(errors, VAR_REVIEW_DECISION, execution.getVariable(VAR_REVIEW_DECISION), APPROVE, NOT_SATISFIED);
        String reason = errors.optionalText(VAR_NOT_SATISFIED_REASON, execution.getVariable(VAR_NOT_SATISFIED_REASON), 1000);
        if (NOT_SATISFIED.equals(decision) && reason == null && errors.isEmpty()) {
            errors.add(VAR_NOT_SATISFIED_REASON, "required", "is required when not satisfied");
        }
        errors.throwIfAny("Invalid review");
    }

    /**
     * Approved: the invoice total (price plus approved budget increases, expenses and bonuses)
     * moves from the client's balance into escrow at once; when the balance is short the
     * approval is refused (422) and nothing changes.
     */
    void approveAssignment(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        Money total = invoiceTotal(assignment);
        try {
            ledger.transfer(assignment.reference() + ":reserve", AccountRef.company(assignment.companyId()),
                    AccountRef.escrow(assignment.reference()), total, "Assignment " + assignment.ref() + " approved: " + assignment.title());
        } catch (InsufficientBalanceException e) {
            throw new UnprocessableException("Not approved: the company's balance holds " + e.available() + ", the invoice total is "
                    + total + "; short by " + total.minus(e.available()) + ". Top up and approve again.");
        }
        OffsetDateTime now = time.now();
        OffsetDateTime dueAt = now.plusDays(assignment.paymentTermsDays());
        assignments.update(assignment.id(), "status = 'APPROVED', approved_at = :at, invoice_total = :total, invoice_date = :date,"
                        + " payment_due_on = :due", now, "at", now, "total", total.amount(), "date", now.toLocalDate(),
                "due", dueAt.toLocalDate());
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "APPROVED", total + ", payment due " + dueAt.toLocalDate());
        execution.setVariable(VAR_INVOICE_TOTAL, total.toDecimalString());
        execution.setVariable(VAR_PAYMENT_DUE_AT, Date.from(dueAt.toInstant()));
        execution.setVariable(VAR_FAST_FUNDS_ELIGIBLE, assignments.paidAssignmentsOf(assignment.workerId()) > 0);
        execution.setVariable(VAR_STATUS, FieldStatus.APPROVED.name());
    }

    Money invoiceTotal(FieldAssignment assignment) {
        Money total = assignment.price();
        for (FieldAssignmentRepository.Request request : assignments.requests(assignment)) {
            if ("APPROVED".equals(request.status()) && request.amount() != null) {
                total = total.plus(request.amount());
            }
        }
        return total;
    }

    /** "Not satisfied": the work goes back to IN_PROGRESS with the client's reason. */
    void sendBack(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        String reason = (String) execution.getVariable(VAR_NOT_SATISFIED_REASON);
        assignments.update(assignment.id(), "status = 'IN_PROGRESS'", time.now());
        assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "NOT_SATISFIED", reason);
        execution.removeVariable(VAR_REVIEW_DECISION);
        execution.setVariable(VAR_STATUS, FieldStatus.IN_PROGRESS.name());
    }

    void issueInvoice(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        String companyName = parties.company(assignment.companyId()).map(Parties.Company::name).orElse(assignment.companyId());
        String workerName = parties.person(assignment.workerId()).map(Parties.Person::name).orElse(assignment.workerId());
        documents.issue(new DocumentRequest("INV-FA-" + assignment.ref(), "INVOICE", assignment.reference(), "Invoice",
                assignment.companyId(), companyName, assignment.workerId(), workerName, assignment.title(), assignment.invoiceTotal(),
                assignment.invoiceDate(), List.of("Issued on behalf of " + workerName + " to " + companyName + ".",
                        "Payment terms: " + assignment.paymentTermsDays() + " days; payment date " + assignment.paymentDueOn() + ".",
                        "Reference " + assignment.reference())));
    }

    void checkFastFunds(DelegateExecution execution) {
        if (!execution.isCanceled() && !Boolean.TRUE.equals(execution.getVariable(VAR_FAST_FUNDS))) {
            throw InvalidInputException.of("Invalid request", VAR_FAST_FUNDS, "true", "must be true to be paid at once");
        }
    }

    /** The escrow goes to the worker: on the payment date, or at once for the FastFunds fee. */
    void payWorker(DelegateExecution execution, boolean fastFunds) {
        FieldAssignment assignment = locked(execution);
        if (assignment.status() != FieldStatus.APPROVED && assignment.status() != FieldStatus.PAID) {
            throw new IllegalStateException("assignment " + assignment.ref() + " is " + assignment.status() + ": only an approved one is paid");
        }
        faults.check(FaultInjector.LEDGER_TRANSFER);
        Money total = assignment.invoiceTotal();
        Money fee = fastFunds ? fastFundsFee(total) : Money.zero(total.currency());
        if (fee.isPositive()) {
            ledger.transfer(assignment.reference() + ":fast-funds-fee", AccountRef.escrow(assignment.reference()), AccountRef.platform(),
                    fee, "FastFunds fee for assignment " + assignment.ref());
        }
        ledger.transfer(assignment.reference() + ":payout", AccountRef.escrow(assignment.reference()), AccountRef.user(assignment.workerId()),
                total.minus(fee), "Assignment " + assignment.ref() + " paid" + (fastFunds ? " (FastFunds)" : "") + ": " + assignment.title());
        if (assignment.status() != FieldStatus.PAID) {
            OffsetDateTime now = time.now();
            assignments.update(assignment.id(), "status = 'PAID', paid_at = :at, fast_funds_fee = :fee", now, "at", now,
                    "fee", fastFunds ? fee.amount() : null);
            assignments.addEvent(assignment.id(), now, currentUser.actor(), "PAID", total.minus(fee) + " to " + assignment.workerId()
                    + (fastFunds ? " (FastFunds, fee " + fee + ")" : ""));
        }
        execution.setVariable(VAR_STATUS, FieldStatus.PAID.name());
    }

    Money fastFundsFee(Money total) {
        BigDecimal fee = total.amount().multiply(settings.fastFundsFeePercent()).divide(BigDecimal.valueOf(100),
                total.currency().getDefaultFractionDigits(), RoundingMode.HALF_UP);
        return new Money(fee, total.currency());
    }

    // ---- requests

    /** A worker's request (budget increase, expense, bonus, reschedule), by message WorkerRequestSubmitted. */
    void registerRequest(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        String caller = currentUser.id().orElse(null);
        if (caller != null && !assignment.isWorker(caller)) {
            throw new AuthorizationException(caller + " is not the worker of assignment " + assignment.ref());
        }
        FieldErrors errors = new FieldErrors();
        String kind = oneOf(errors, VAR_REQUEST_KIND, execution.getVariable(VAR_REQUEST_KIND), REQUEST_KINDS.stream().sorted().toArray(String[]::new));
        Money amount = null;
        OffsetDateTime start = null;
        OffsetDateTime end = null;
        if ("RESCHEDULE".equals(kind)) {
            start = dateTime(errors, VAR_REQUEST_NEW_START, execution.getVariable(VAR_REQUEST_NEW_START), true);
            end = dateTime(errors, VAR_REQUEST_NEW_END, execution.getVariable(VAR_REQUEST_NEW_END), true);
            schedule(errors, VAR_REQUEST_NEW_START, VAR_REQUEST_NEW_END, start, end, time.now());
        } else if (kind != null) {
            amount = MoneyInput.positive(execution.getVariable(VAR_REQUEST_AMOUNT), assignment.budget().currencyCode(), VAR_REQUEST_AMOUNT,
                    VAR_CURRENCY, errors);
        }
        String reason = errors.optionalText(VAR_REQUEST_REASON, execution.getVariable(VAR_REQUEST_REASON), 1000);
        errors.throwIfAny("Invalid request");
        if ("BONUS".equals(kind) && assignment.status() != FieldStatus.IN_PROGRESS) {
            throw new ConflictException("Assignment " + assignment.ref() + " is " + assignment.status() + "; a bonus can be asked only while IN_PROGRESS");
        }
        OffsetDateTime now = time.now();
        long id = assignments.addRequest(assignment.id(), assignment.workerId(), kind, amount, start, end, reason, now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "REQUESTED", "#" + id + " " + kind
                + (amount == null ? "" : " " + amount) + (start == null ? "" : " " + start + " to " + end));
        for (String name : List.of(VAR_REQUEST_KIND, VAR_REQUEST_AMOUNT, VAR_REQUEST_NEW_START, VAR_REQUEST_NEW_END, VAR_REQUEST_REASON)) {
            execution.removeVariable(name);
        }
        // the event subprocess's own scope: each request under review keeps its id apart
        execution.setVariableLocal(VAR_REQUEST_ID, id);
        execution.setVariableLocal(VAR_REQUEST_TEXT, kind + (amount == null ? "" : " of " + amount)
                + (start == null ? "" : ": " + start + " to " + end) + (reason == null ? "" : " (" + reason + ")"));
    }

    void checkRequestDecision(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        oneOf(errors, VAR_REQUEST_DECISION, execution.getVariable(VAR_REQUEST_DECISION), APPROVE, DECLINE);
        errors.optionalText(VAR_REQUEST_ANSWER_REASON, execution.getVariable(VAR_REQUEST_ANSWER_REASON), 1000);
        errors.throwIfAny("Invalid answer");
    }

    /** The client's answer; an approved reschedule moves the dates and the timers that wait for them. */
    void resolveRequest(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        long requestId = ((Number) execution.getVariable(VAR_REQUEST_ID)).longValue();
        FieldAssignmentRepository.Request request = assignments.request(assignment, requestId).orElseThrow();
        String decision = (String) execution.getVariable(VAR_REQUEST_DECISION);
        String reason = (String) execution.getVariable(VAR_REQUEST_ANSWER_REASON);
        execution.removeVariable(VAR_REQUEST_DECISION);
        execution.removeVariable(VAR_REQUEST_ANSWER_REASON);
        if (!"PENDING".equals(request.status())) {
            return;
        }
        OffsetDateTime now = time.now();
        String status = APPROVE.equals(decision) ? "APPROVED" : "DECLINED";
        assignments.answerRequest(requestId, status, reason, now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "REQUEST_" + status, "#" + requestId + (reason == null ? "" : ": " + reason));
        if ("APPROVED".equals(status) && "RESCHEDULE".equals(request.kind())) {
            assignments.update(assignment.id(), "scheduled_start = :start, scheduled_end = :end", now, "start", request.newStart(),
                    "end", request.newEnd());
            setSchedule(execution, request.newStart(), request.newEnd(), (String) execution.getVariable(VAR_CONFIRM_BEFORE));
            moveTimers(execution, request.newStart(), request.newEnd());
        }
    }

    /** Timers already waiting read their date when they were created: they move with the schedule. */
    private void moveTimers(DelegateExecution execution, OffsetDateTime start, OffsetDateTime end) {
        OffsetDateTime confirmDue = start.minus(Duration.parse((String) execution.getVariable(VAR_CONFIRM_BEFORE)));
        Map<String, OffsetDateTime> dates = Map.of(TIMER_CONFIRMATION_REMINDER, confirmDue, TIMER_LATE_CHECK_IN, start,
                TIMER_SCHEDULED_START, start, TIMER_SCHEDULED_END, end);
        var management = execution.getProcessEngineServices().getManagementService();
        Context.getCommandContext().runWithoutAuthorization(() -> {
            for (Job job : management.createJobQuery().processInstanceId(execution.getProcessInstanceId()).timers().listPage(0, 100)) {
                String activity = ((org.camunda.bpm.engine.impl.persistence.entity.JobEntity) job).getActivityId();
                if (activity != null && dates.containsKey(activity)) {
                    management.setJobDuedate(job.getId(), Date.from(dates.get(activity).toInstant()));
                }
            }
            return null;
        });
    }

    // ---- hold

    /** The client puts the assignment on hold (from ASSIGNED or IN_PROGRESS only: the message exists only then). */
    void putOnHold(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        requireCompanyMember(assignment);
        FieldErrors errors = new FieldErrors();
        String reason = oneOf(errors, VAR_HOLD_REASON, execution.getVariable(VAR_HOLD_REASON), "OTHER", "PARTS_NOT_AVAILABLE", "SITE_NOT_READY");
        String note = errors.optionalText(VAR_HOLD_NOTE, execution.getVariable(VAR_HOLD_NOTE), 1000);
        if ("OTHER".equals(reason) && note == null && errors.isEmpty()) {
            errors.add(VAR_HOLD_NOTE, "required", "is required when the reason is OTHER");
        }
        errors.throwIfAny("Invalid hold");
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "status = 'ON_HOLD', hold_reason = :reason, hold_note = :note, held_from = :from", now,
                "reason", reason, "note", note, "from", assignment.status().name());
        assignments.withdrawPendingRequests(assignment.id(), "the assignment was put on hold", now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "ON_HOLD", reason + (note == null ? "" : ": " + note));
        execution.setVariable(VAR_STATUS, FieldStatus.ON_HOLD.name());
    }

    void checkHoldRemoval(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        OffsetDateTime start = dateTime(errors, VAR_NEW_START, execution.getVariable(VAR_NEW_START), true);
        OffsetDateTime end = dateTime(errors, VAR_NEW_END, execution.getVariable(VAR_NEW_END), true);
        schedule(errors, VAR_NEW_START, VAR_NEW_END, start, end, time.now());
        errors.throwIfAny("Invalid new schedule");
    }

    /** The client removed the hold with a new date and time: the worker is asked to accept it. */
    void requestReschedule(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "HOLD_REMOVED", "proposed " + execution.getVariable(VAR_NEW_START)
                + " to " + execution.getVariable(VAR_NEW_END));
    }

    void checkRescheduleAnswer(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldErrors errors = new FieldErrors();
        oneOf(errors, VAR_RESCHEDULE_ANSWER, execution.getVariable(VAR_RESCHEDULE_ANSWER), ACCEPT, DECLINE);
        errors.throwIfAny("Invalid answer");
    }

    /** The worker accepted the new schedule: back to the status before the hold, with fresh labels. */
    void resumeAfterHold(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        OffsetDateTime start = parse(execution.getVariable(VAR_NEW_START));
        OffsetDateTime end = parse(execution.getVariable(VAR_NEW_END));
        FieldStatus back = FieldStatus.valueOf(assignment.heldFrom());
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "status = :status, scheduled_start = :start, scheduled_end = :end, late = false,"
                + " late_deliverables = false, hold_reason = null, hold_note = null, held_from = null", now, "status", back.name(),
                "start", start, "end", end);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "RESCHEDULE_ACCEPTED", start + " to " + end);
        clearHoldVariables(execution);
        setSchedule(execution, start, end, (String) execution.getVariable(VAR_CONFIRM_BEFORE));
        execution.setVariable(VAR_STATUS, back.name());
    }

    /** The worker declined the new schedule: removed (access taken back), and the assignment is PUBLISHED again. */
    void removeWorker(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        OffsetDateTime start = parse(execution.getVariable(VAR_NEW_START));
        OffsetDateTime end = parse(execution.getVariable(VAR_NEW_END));
        OffsetDateTime now = time.now();
        String worker = assignment.workerId();
        assignments.update(assignment.id(), "status = 'PUBLISHED', worker_id = null, application_id = null, agreed_price = null,"
                + " scheduled_start = :start, scheduled_end = :end, confirmed_at = null, checked_in_at = null, checked_out_at = null,"
                + " late = false, late_deliverables = false, hold_reason = null, hold_note = null, held_from = null, submitted_at = null",
                now, "start", start, "end", end);
        assignments.setApplicationStatus(assignment.id(), worker, "CHOSEN", "REMOVED");
        // published again: the other applicants' applications stand, the client may pick one of them
        assignments.setApplicationStatus(assignment.id(), null, "NOT_CHOSEN", "OPEN");
        assignments.clearItems(assignment.id());
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "WORKER_REMOVED", worker + " declined the new schedule");
        grants.revokeUserOnInstance(worker, execution.getProcessInstanceId());
        clearHoldVariables(execution);
        execution.setVariable("removedWorkerId", worker);
        execution.removeVariable(VAR_WORKER_ID);
        execution.setVariable(VAR_PRICE, assignment.budget().toDecimalString());
        setSchedule(execution, start, end, (String) execution.getVariable(VAR_CONFIRM_BEFORE));
        execution.setVariable(VAR_STATUS, FieldStatus.PUBLISHED.name());
    }

    private static void clearHoldVariables(DelegateExecution execution) {
        for (String name : List.of(VAR_HOLD_REASON, VAR_HOLD_NOTE, VAR_RESCHEDULE_ANSWER, VAR_NEW_START, VAR_NEW_END)) {
            execution.removeVariable(name);
        }
    }

    // ---- cancellation and refusals

    /**
     * The client cancels before approval, optionally paying the worker an amount of its choice
     * (at once, from its balance: 422 when short). Without a payment the worker loses access.
     */
    void cancelAssignment(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        requireCompanyMember(assignment);
        FieldErrors errors = new FieldErrors();
        Object rawPayment = blankToNull(execution.getVariable(VAR_CANCEL_PAYMENT));
        Money payment = rawPayment == null ? null
                : MoneyInput.positive(rawPayment, assignment.budget().currencyCode(), VAR_CANCEL_PAYMENT, VAR_CURRENCY, errors);
        if (payment != null && assignment.workerId() == null) {
            errors.add(VAR_CANCEL_PAYMENT, "worker", "nobody is assigned to be paid; cancel without a payment");
        }
        String reason = errors.optionalText(VAR_CANCEL_REASON, execution.getVariable(VAR_CANCEL_REASON), 1000);
        errors.throwIfAny("Invalid cancellation");
        if (payment != null) {
            try {
                ledger.transfer(assignment.reference() + ":cancellation-payment", AccountRef.company(assignment.companyId()),
                        AccountRef.user(assignment.workerId()), payment, "Assignment " + assignment.ref() + " cancelled with a payment");
            } catch (InsufficientBalanceException e) {
                throw new UnprocessableException("Not cancelled: the company's balance holds " + e.available() + ", the payment is "
                        + payment + "; short by " + payment.minus(e.available()));
            }
        }
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "status = 'CANCELLED', cancel_payment = :payment, cancel_reason = :reason", now,
                "payment", payment == null ? null : payment.amount(), "reason", reason);
        assignments.withdrawPendingRequests(assignment.id(), "the assignment was cancelled", now);
        assignments.setApplicationStatus(assignment.id(), null, "OPEN", "NOT_CHOSEN");
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "CANCELLED", (payment == null ? "without payment" : "with a payment of " + payment)
                + (reason == null ? "" : ": " + reason));
        if (assignment.workerId() != null && payment == null) {
            grants.revokeUserOnInstance(assignment.workerId(), execution.getProcessInstanceId());
        }
        execution.setVariable(VAR_STATUS, FieldStatus.CANCELLED.name());
    }

    /** A hold or a cancellation sent in a state that does not take it: refused (409), nothing changes. */
    void refuseChange(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        throw new ConflictException("Assignment " + assignment.ref() + " is " + assignment.status()
                + "; it can be put on hold only while ASSIGNED or IN_PROGRESS, and cancelled only before it is APPROVED");
    }

    // ---- notifications

    void notifyParties(DelegateExecution execution, String notice) {
        FieldAssignment assignment = locked(execution);
        String occurrence = execution.getActivityInstanceId();
        String what = what(assignment);
        String reference = assignment.reference();
        List<String> company = parties.companyMembers(assignment.companyId()).stream().map(Parties.Person::id).toList();
        String worker = assignment.workerId();
        switch (notice) {
            case "ASSIGNED" -> {
                notifications.notify(worker, notice, reference, occurrence, "Assigned to you: " + assignment.title(),
                        "You were chosen for " + what + ", scheduled " + assignment.scheduledStart() + " to " + assignment.scheduledEnd()
                                + " at " + assignment.location() + ". Please confirm it.");
                Set<String> others = new LinkedHashSet<>();
                assignments.applications(assignment).stream().filter(a -> "NOT_CHOSEN".equals(a.status())).map(a -> a.workerId())
                        .filter(w -> !w.equals(worker)).forEach(others::add);
                notifications.notifyAll(others, "NOT_CHOSEN", reference, occurrence, "Not chosen: " + assignment.title(),
                        "The client chose another worker for " + what + ".");
            }
            case "QUESTION_ANSWERED" -> {
                long questionId = ((Number) execution.getVariable(VAR_QUESTION_ID)).longValue();
                assignments.questions(assignment.id()).stream().filter(q -> q.id() == questionId).findFirst().ifPresent(q ->
                        notifications.notify(q.workerId(), notice, reference, "q" + questionId, "Your question was answered: " + assignment.title(),
                                "The client answered your question on " + what + ": " + q.answer()));
            }
            case "CONFIRMATION_REMINDER" -> notifications.notify(worker, notice, reference, occurrence, "Please confirm: " + assignment.title(),
                    "Please confirm " + what + ". It starts " + assignment.scheduledStart() + ".");
            case "REQUEST_SUBMITTED" -> notifications.notifyAll(company, notice, reference, occurrence, "Worker request: " + assignment.title(),
                    "The worker asks on " + what + ": " + execution.getVariable(VAR_REQUEST_TEXT) + ". Approve or decline it.");
            case "REQUEST_ANSWERED" -> {
                long requestId = ((Number) execution.getVariable(VAR_REQUEST_ID)).longValue();
                FieldAssignmentRepository.Request request = assignments.request(assignment, requestId).orElseThrow();
                notifications.notify(worker, notice, reference, occurrence, "Request " + request.status().toLowerCase() + ": " + assignment.title(),
                        "Your request (" + execution.getVariable(VAR_REQUEST_TEXT) + ") on " + what + " was " + request.status().toLowerCase()
                                + (request.answerReason() == null ? "" : ": " + request.answerReason()) + ".");
            }
            case "ON_HOLD" -> notifications.notify(worker, notice, reference, occurrence, "On hold: " + assignment.title(),
                    what + " is on hold (" + assignment.holdReason() + (assignment.holdNote() == null ? "" : ": " + assignment.holdNote())
                            + "). You cannot check in, check out or submit until the client removes the hold.");
            case "RESCHEDULE_REQUESTED" -> notifications.notify(worker, notice, reference, occurrence, "New schedule: " + assignment.title(),
                    "The client removed the hold on " + what + " and proposes " + execution.getVariable(VAR_NEW_START) + " to "
                            + execution.getVariable(VAR_NEW_END) + ". Accept it, or decline and leave the assignment.");
            case "RESUMED" -> notifications.notifyAll(company, notice, reference, occurrence, "Schedule accepted: " + assignment.title(),
                    "The worker accepted the new schedule of " + what + ": " + assignment.scheduledStart() + " to " + assignment.scheduledEnd() + ".");
            case "WORKER_REMOVED" -> {
                String removed = (String) execution.getVariable("removedWorkerId");
                notifications.notify(removed, notice, reference, occurrence, "Removed: " + assignment.title(),
                        "You declined the new schedule of " + what + " and are no longer assigned to it.");
                notifications.notifyAll(company, notice, reference, occurrence, "Worker declined: " + assignment.title(),
                        "The worker declined the new schedule of " + what + ". It is published again.");
                execution.removeVariable("removedWorkerId");
            }
            case "SUBMITTED" -> notifications.notifyAll(company, notice, reference, occurrence, "Submitted for approval: " + assignment.title(),
                    "The worker submitted " + what + ". Approve it, or say why you are not satisfied.");
            case "NOT_SATISFIED" -> notifications.notify(worker, notice, reference, occurrence, "Not satisfied: " + assignment.title(),
                    "The client is not satisfied with " + what + ": " + execution.getVariable(VAR_NOT_SATISFIED_REASON));
            case "APPROVED" -> {
                List<String> both = new ArrayList<>(company);
                both.add(worker);
                notifications.notifyAll(both, notice, reference, "Approved and invoiced: " + assignment.title(),
                        what + " was approved. Invoice INV-FA-" + assignment.ref() + " over " + assignment.invoiceTotal()
                                + "; payment date " + assignment.paymentDueOn() + ".");
                execution.removeVariable(VAR_NOT_SATISFIED_REASON);
            }
            case "PAID" -> {
                List<String> both = new ArrayList<>(company);
                both.add(worker);
                notifications.notifyAll(both, notice, reference, "Paid: " + assignment.title(),
                        what + " was paid: " + assignment.invoiceTotal() + (assignment.fastFundsFee() == null ? ""
                                : " less the FastFunds fee of " + assignment.fastFundsFee()) + " to the worker.");
            }
            case "CANCELLED" -> {
                List<String> recipients = new ArrayList<>(company);
                if (worker != null) {
                    recipients.add(worker);
                }
                notifications.notifyAll(recipients, notice, reference, "Cancelled: " + assignment.title(), "The client cancelled " + what
                        + (assignment.cancelPayment() == null ? "." : " and paid the worker " + assignment.cancelPayment() + "."));
            }
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    // ---- helpers

    private void requireCompanyMember(FieldAssignment assignment) {
        String caller = currentUser.id().orElse(null);
        if (caller != null && !parties.isCompanyMember(caller, assignment.companyId())) {
            throw new AuthorizationException(caller + " is not a member of company " + assignment.companyId());
        }
    }

    private static String what(FieldAssignment assignment) {
        return "\"" + assignment.title() + "\" (" + assignment.ref() + ")";
    }

    private FieldAssignment locked(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        return assignments.lock(ref).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no assignment " + ref + " of process instance " + execution.getProcessInstanceId()));
    }

    private void setSchedule(DelegateExecution execution, OffsetDateTime start, OffsetDateTime end, String confirmBefore) {
        execution.setVariable(VAR_SCHEDULED_START, Date.from(start.toInstant()));
        execution.setVariable(VAR_SCHEDULED_END, Date.from(end.toInstant()));
        execution.setVariable(VAR_CONFIRM_DUE_AT, Date.from(start.minus(Duration.parse(confirmBefore)).toInstant()));
    }

    static Long chosenApplication(Object raw) {
        if (raw instanceof Number number) {
            return number.longValue();
        }
        if (raw instanceof String text && text.strip().matches("#?[0-9]{1,18}")) {
            return Long.parseLong(text.strip().replace("#", ""));
        }
        return null;
    }

    private static Object blankToNull(Object value) {
        return value instanceof String s && s.isBlank() ? null : value;
    }

    static String oneOf(FieldErrors errors, String field, Object value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            errors.add(field, "oneOf", "must be " + String.join(" or ", List.of(allowed).stream().map(a -> "\"" + a + "\"").toList())
                    + ", not " + (value == null ? "missing" : "\"" + value + "\""));
            return null;
        }
        return (String) value;
    }

    static OffsetDateTime parse(Object value) {
        if (value instanceof Date date) {
            return OffsetDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(((String) value).strip());
    }

    /** A date-time with offset (String, e.g. 2026-03-05T08:00:00+01:00) or a Date. */
    static OffsetDateTime dateTime(FieldErrors errors, String field, Object value, boolean required) {
        if (value == null) {
            if (required) {
                errors.add(field, "required", "is required, a date-time with offset such as 2026-03-05T08:00:00+01:00");
            }
            return null;
        }
        if (value instanceof Date date) {
            return OffsetDateTime.ofInstant(date.toInstant(), ZoneOffset.UTC);
        }
        if (!(value instanceof String text)) {
            errors.add(field, "type", "must be a date-time string such as 2026-03-05T08:00:00+01:00, not " + value.getClass().getSimpleName());
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip());
        } catch (DateTimeParseException e) {
            errors.add(field, "format", "must be a date-time with offset such as 2026-03-05T08:00:00+01:00");
            return null;
        }
    }

    static void schedule(FieldErrors errors, String startField, String endField, OffsetDateTime start, OffsetDateTime end,
            OffsetDateTime now) {
        if (start != null && !start.isAfter(now)) {
            errors.add(startField, "future", "must be in the future");
        } else if (start != null && start.isAfter(now.plusYears(10))) {
            errors.add(startField, "range", "must be at most ten years ahead");
        }
        if (start != null && end != null && !end.isAfter(start)) {
            errors.add(endField, "after", "must be after " + startField);
        }
    }

    private static List<String> names(FieldErrors errors, String field, Object raw) {
        String text = errors.optionalText(field, raw, 4000);
        if (text == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.strip();
            if (name.isEmpty() || name.length() > 200 || name.contains(":")) {
                errors.add(field, "format", "must be names separated by commas, each 1 to 200 characters without ':'");
                return List.of();
            }
            if (names.contains(name)) {
                errors.add(field, "unique", "\"" + name + "\" is listed twice");
            }
            names.add(name);
        }
        if (names.size() > 50) {
            errors.add(field, "size", "must list at most 50 names");
        }
        return names;
    }

    private static String requirementsText(List<String> deliverables, List<String> customFields) {
        return "Deliverables: " + (deliverables.isEmpty() ? "none" : String.join(", ", deliverables)) + "\nCustom fields: "
                + (customFields.isEmpty() ? "none" : String.join(", ", customFields));
    }

    /** Lines "name: value"; blank lines are skipped. */
    private static Map<String, String> lines(FieldErrors errors, String field, Object raw) {
        String text = errors.optionalText(field, raw, 20000);
        Map<String, String> values = new LinkedHashMap<>();
        if (text == null) {
            return values;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(colon + 1).isBlank()) {
                errors.add(field, "format", "each line must be \"name: value\", not \"" + (line.length() > 40 ? line.substring(0, 40) : line) + "\"");
                continue;
            }
            String value = line.substring(colon + 1).strip();
            if (value.length() > 2000) {
                errors.add(field, "length", "a value must be at most 2000 characters");
                continue;
            }
            values.put(line.substring(0, colon).strip(), value);
        }
        return values;
    }

    private static String duration(FieldErrors errors, String field, Object raw, String fallback) {
        String text = errors.optionalText(field, raw, 40);
        if (text == null) {
            return fallback;
        }
        try {
            if (Duration.parse(text).isNegative()) {
                errors.add(field, "positive", "must not be negative");
            }
        } catch (DateTimeParseException e) {
            errors.add(field, "format", "must be an ISO-8601 duration such as PT24H, not \"" + text + "\"");
        }
        return text;
    }
}
