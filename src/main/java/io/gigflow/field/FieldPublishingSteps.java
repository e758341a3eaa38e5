package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;
import static io.gigflow.field.FieldInputs.*;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.identity.Parties;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.ConflictException;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.FormOptions;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.MoneyInput;
import io.gigflow.shared.Readable;
import io.gigflow.shared.TimeSource;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Service;

/**
 * PUBLISHED: the start (the assignment's row), applications, counteroffers and questions, the
 * client's answers, and the choice of a worker.
 */
@Service
class FieldPublishingSteps {

    static final String REF_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";
    static final String DELIVERABLE = "DELIVERABLE";
    static final String CUSTOM_FIELD = "CUSTOM_FIELD";

    private final FieldAssignmentRepository assignments;
    private final FieldGuard guard;
    private final FieldSettings settings;
    private final Parties parties;
    private final Grants grants;
    private final CurrentUser currentUser;
    private final TimeSource time;
    private final NotificationService notifications;

    FieldPublishingSteps(FieldAssignmentRepository assignments, FieldGuard guard, FieldSettings settings, Parties parties,
            Grants grants, CurrentUser currentUser, TimeSource time, NotificationService notifications) {
        this.notifications = notifications;
        this.assignments = assignments;
        this.guard = guard;
        this.settings = settings;
        this.parties = parties;
        this.grants = grants;
        this.currentUser = currentUser;
        this.time = time;
    }

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
        guard.mayPublish(currentUser.id().orElse(null), companyId);
        String ref = businessKey == null ? assignments.nextRef() : businessKey;
        if (businessKey == null) {
            execution.setProcessBusinessKey(ref);
        }
        long id = assignments.insert(ref, companyId, title, description, location, start, end, budget, terms, checkIn, contactName,
                contactPhone, contactEmail, confirmBefore, execution.getProcessInstanceId(), now);
        deliverables.forEach(name -> assignments.addRequirement(id, DELIVERABLE, name));
        customFields.forEach(name -> assignments.addRequirement(id, CUSTOM_FIELD, name));
        assignments.addEvent(id, now, currentUser.actor(), "PUBLISHED", budget + ", " + start + " to " + end);
        grants.groupMayReadInstance(companyId, execution.getProcessInstanceId());
        // the row holds the assignment now (the contact details only there, never in a variable); the engine keeps no
        // copy of the start's values, whichever door started it (the domain API passes them as transient variables)
        execution.removeVariables(START_VARIABLES);
        dropOutsideInputs(execution);
        execution.setVariable(VAR_STATUS, FieldStatus.PUBLISHED.name());
    }

    /** A worker's application, counteroffer or question from the "Apply for assignment" step; the step comes back for the next. */
    void recordApplication(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        String worker = currentUser.id().orElse(null);
        if (worker == null) {
            throw new org.camunda.bpm.engine.AuthorizationException("nobody is not a field worker");
        }
        guard.apply(assignment, worker);
        FieldErrors errors = new FieldErrors();
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
            Object rawStart = blankToNull(execution.getVariable(VAR_PROPOSED_START));
            Object rawEnd = blankToNull(execution.getVariable(VAR_PROPOSED_END));
            start = rawStart == null ? null : formDateTime(errors, VAR_PROPOSED_START, rawStart);
            end = rawEnd == null ? null : formDateTime(errors, VAR_PROPOSED_END, rawEnd);
            if ((rawStart == null) != (rawEnd == null)) {
                errors.add(rawStart == null ? VAR_PROPOSED_START : VAR_PROPOSED_END, "required", "another schedule needs both start and end");
            } else if (start != null) {
                schedule(errors, VAR_PROPOSED_START, VAR_PROPOSED_END, start, end, time.now());
            }
            if (price == null && start == null && errors.isEmpty()) {
                errors.add(VAR_PROPOSED_PRICE, "required", "a counteroffer proposes another price, another schedule, or both");
            }
        }
        errors.throwIfAny("Invalid application");
        OffsetDateTime now = time.now();
        dropOutsideInputs(execution);
        if (QUESTION.equals(kind)) {
            long questionId = assignments.addQuestion(assignment.id(), worker, message, now);
            assignments.addEvent(assignment.id(), now, worker, "QUESTION_ASKED", "#" + questionId);
            // only the process writes these two (no form, message or start declares them): the gateway after this step reads it
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
    }

    String applicationsText(FieldAssignment assignment, ZoneId zone) {
        String text = openApplications(assignment).stream()
                .map(a -> "#" + a.id() + " " + parties.personName(a.workerId()) + ": "
                        + (a.kind().equals(APPLY) ? "applies at " + Readable.money(assignment.budget())
                        : "counteroffer" + (a.price() == null ? "" : " " + Readable.money(a.price()))
                        + (a.proposedStart() == null ? "" : ", " + readableSchedule(a.proposedStart(), a.proposedEnd(), zone)))
                        + (a.message() == null ? "" : " (" + a.message() + ")"))
                .collect(Collectors.joining("\n"));
        return text.isEmpty() ? "No applications yet" : text;
    }

    /**
     * The select's choices: "Jane Doe — 480.00 EUR — Mon 7 Dec 2026, 13:30 IST to Mon 7 Dec 2026, 19:30 IST"
     * per open application, a counteroffer's terms in place of the published ones, in {@code zone}
     * (the reader's: {@link FieldFormFacts}); the value is the application's id, which
     * {@link #checkChoice} checks against the row again.
     */
    FormOptions applicantOptions(FieldAssignment assignment, ZoneId zone) {
        return new FormOptions(openApplications(assignment).stream().map(a -> new FormOptions.Option(
                parties.personName(a.workerId()) + " — " + (a.kind().equals(APPLY) ? "" : "counteroffer ")
                        + Readable.money(a.price() == null ? assignment.budget() : a.price()) + " — "
                        + (a.proposedStart() == null ? readableSchedule(assignment.scheduledStart(), assignment.scheduledEnd(), zone)
                                : readableSchedule(a.proposedStart(), a.proposedEnd(), zone)),
                a.id())).toList());
    }

    private List<FieldAssignmentRepository.Application> openApplications(FieldAssignment assignment) {
        return assignments.applications(assignment).stream().filter(a -> "OPEN".equals(a.status())).toList();
    }

    /** The zone of the options' dates when the company's members do not share one. */
    static final ZoneId UTC = ZoneId.of("UTC");

    /**
     * The zone a select's labels are written in when nobody in particular reads them (a label is
     * text, which the browser cannot move to its own zone): the step is offered to the company's
     * members, so their time zone ({@code PUT /api/me/notification-settings}) when they all have the
     * same, otherwise UTC. The labels always name their zone.
     */
    ZoneId viewerZone(FieldAssignment assignment) {
        List<ZoneId> zones = parties.companyMembers(assignment.companyId()).stream()
                .map(member -> notifications.settings(member.id()).timeZone()).distinct().toList();
        return zones.size() == 1 ? zones.get(0) : UTC;
    }

    private static String readableSchedule(OffsetDateTime start, OffsetDateTime end, ZoneId zone) {
        return Readable.dateTime(start.toInstant(), zone) + " to " + Readable.dateTime(end.toInstant(), zone);
    }

    void checkAnswer(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        guard.answerQuestion(locked(execution), currentUser.id().orElse(null));
        FieldErrors errors = new FieldErrors();
        errors.requiredText(VAR_QUESTION_ANSWER, execution.getVariable(VAR_QUESTION_ANSWER), 2000);
        errors.throwIfAny("Invalid answer");
        dropOutsideInputs(execution, VAR_QUESTION_ANSWER);
    }

    void recordAnswer(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        long questionId = ((Number) execution.getVariable(VAR_QUESTION_ID)).longValue();
        String answer = ((String) execution.getVariable(VAR_QUESTION_ANSWER)).strip();
        OffsetDateTime now = time.now();
        if (!assignments.answerQuestion(assignment.id(), questionId, answer, currentUser.actor(), now)) {
            throw new ConflictException("Question " + questionId + " of assignment " + assignment.ref() + " does not await an answer");
        }
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "QUESTION_ANSWERED", "#" + questionId);
        execution.removeVariable(VAR_QUESTION_ANSWER);
    }

    void checkChoice(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldAssignment assignment = locked(execution);
        guard.choose(assignment, currentUser.id().orElse(null));
        Long chosen = chosenApplication(execution.getVariable(VAR_CHOSEN_APPLICATION_ID));
        boolean open = chosen != null && assignments.applications(assignment).stream()
                .anyMatch(a -> a.id() == chosen && "OPEN".equals(a.status()));
        if (!open) {
            throw InvalidInputException.of("Invalid choice", VAR_CHOSEN_APPLICATION_ID, "exists",
                    "must be the id of an open application of assignment " + assignment.ref());
        }
        dropOutsideInputs(execution, VAR_CHOSEN_APPLICATION_ID);
    }

    /** The client picked an application: its worker is assigned (a counteroffer's terms replace the budget and schedule). */
    void assignWorker(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.choose(assignment, currentUser.id().orElse(null));
        Long chosenId = chosenApplication(execution.getVariable(VAR_CHOSEN_APPLICATION_ID));
        FieldAssignmentRepository.Application chosen = assignments.applications(assignment).stream()
                .filter(a -> chosenId != null && a.id() == chosenId && "OPEN".equals(a.status())).findFirst()
                .orElseThrow(() -> InvalidInputException.of("Invalid choice", VAR_CHOSEN_APPLICATION_ID, "exists",
                        "must be the id of an open application of assignment " + assignment.ref()));
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
        execution.setVariable(VAR_STATUS, FieldStatus.ASSIGNED.name());
    }

    private FieldAssignment locked(DelegateExecution execution) {
        return assignments.lockFor(execution.getProcessBusinessKey(), execution.getProcessInstanceId());
    }

    static String requirementsText(List<String> deliverables, List<String> customFields) {
        return "Deliverables: " + (deliverables.isEmpty() ? "none" : String.join(", ", deliverables)) + "\nCustom fields: "
                + (customFields.isEmpty() ? "none" : String.join(", ", customFields));
    }
}
