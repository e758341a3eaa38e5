package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;
import static io.gigflow.field.FieldInputs.dropOutsideInputs;
import static io.gigflow.field.FieldInputs.lines;
import static io.gigflow.field.FieldPublishingSteps.DELIVERABLE;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.TimeSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Service;

/**
 * ASSIGNED and IN_PROGRESS: the worker confirms, checks in and out and submits; the timers mark
 * LATE and LATE_DELIVERABLES and begin the work at the scheduled start.
 */
@Service
class FieldWorkSteps {

    private final FieldAssignmentRepository assignments;
    private final FieldGuard guard;
    private final FieldSettings settings;
    private final CurrentUser currentUser;
    private final TimeSource time;

    FieldWorkSteps(FieldAssignmentRepository assignments, FieldGuard guard, FieldSettings settings, CurrentUser currentUser,
            TimeSource time) {
        this.assignments = assignments;
        this.guard = guard;
        this.settings = settings;
        this.currentUser = currentUser;
        this.time = time;
    }

    void checkConfirmation(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        guard.confirm(locked(execution), by());
        if (!Boolean.TRUE.equals(execution.getVariable(VAR_CONFIRM))) {
            throw InvalidInputException.of("Invalid confirmation", VAR_CONFIRM, "true", "must be true to confirm the assignment");
        }
        dropOutsideInputs(execution);
    }

    void recordConfirmation(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.confirm(assignment, by());
        if (assignment.confirmedAt() == null) {
            assignments.update(assignment.id(), "confirmed_at = :at", time.now(), "at", time.now());
            assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "CONFIRMED", null);
        }
        execution.removeVariable(VAR_CONFIRM);
    }

    void checkCheckIn(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        guard.checkIn(locked(execution), by());
        if (!Boolean.TRUE.equals(execution.getVariable(VAR_CHECK_IN))) {
            throw InvalidInputException.of("Invalid check-in", VAR_CHECK_IN, "true", "must be true to check in");
        }
        dropOutsideInputs(execution);
    }

    void checkCheckOut(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        guard.checkOut(locked(execution), by());
        if (!Boolean.TRUE.equals(execution.getVariable(VAR_CHECK_OUT))) {
            throw InvalidInputException.of("Invalid check-out", VAR_CHECK_OUT, "true", "must be true to check out");
        }
        dropOutsideInputs(execution);
    }

    /** Work begins: at check-in, or when the scheduled start passes and no check-in is required. */
    void beginWork(DelegateExecution execution, String trigger) {
        FieldAssignment assignment = locked(execution);
        guard.beginWork(assignment);
        OffsetDateTime now = time.now();
        if ("CHECK_IN".equals(trigger)) {
            guard.checkIn(assignment, by());
            // checking in confirms an assignment the worker had not confirmed yet
            assignments.update(assignment.id(), "status = 'IN_PROGRESS', checked_in_at = :at, confirmed_at = coalesce(confirmed_at, :at)",
                    now, "at", now);
            assignments.addEvent(assignment.id(), now, currentUser.actor(), "CHECKED_IN", assignment.late() ? "late" : null);
            execution.removeVariable(VAR_CHECK_IN);
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
        guard.checkOut(assignment, by());
        OffsetDateTime now = time.now();
        assignments.update(assignment.id(), "checked_out_at = :at", now, "at", now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "CHECKED_OUT", null);
        execution.removeVariable(VAR_CHECK_OUT);
    }

    /** The scheduled end passed without a submission: the LATE_DELIVERABLES label. */
    void markLateDeliverables(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        if (assignment.status() == FieldStatus.IN_PROGRESS && !assignment.lateDeliverables()) {
            assignments.update(assignment.id(), "late_deliverables = true", time.now());
            assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "LATE_DELIVERABLES", "due " + assignment.scheduledEnd());
        }
    }

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
        guard.submit(assignment, by());
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
        dropOutsideInputs(execution);
    }

    /** PENDING_APPROVAL; the approval is escalated first when the client takes longer than it usually does. */
    void recordSubmission(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.submit(assignment, by());
        OffsetDateTime now = time.now();
        Duration average = assignments.averageApprovalTime(assignment.companyId()).orElse(Duration.parse(settings.defaultApprovalTime()));
        assignments.update(assignment.id(), "status = 'PENDING_APPROVAL', submitted_at = :at, approval_expected_at = :expected,"
                + " review_decision = null, review_reason = null", now, "at", now, "expected", now.plus(average));
        assignments.withdrawPendingRequests(assignment.id(), "the work was submitted", now);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "SUBMITTED", "approval expected within " + average);
        execution.removeVariable(VAR_DELIVERABLES_TEXT);
        execution.removeVariable(VAR_CUSTOM_FIELDS_TEXT);
        execution.setVariable(VAR_STATUS, FieldStatus.PENDING_APPROVAL.name());
    }

    private String by() {
        return currentUser.id().orElse(null);
    }

    private FieldAssignment locked(DelegateExecution execution) {
        return assignments.lockFor(execution.getProcessBusinessKey(), execution.getProcessInstanceId());
    }
}
