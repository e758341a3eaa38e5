package io.gigflow.field;

import static io.gigflow.field.FieldActionProcess.*;
import static io.gigflow.field.FieldAssignmentProcess.VAR_CANCEL_PAYMENT;
import static io.gigflow.field.FieldAssignmentProcess.VAR_CANCEL_REASON;
import static io.gigflow.field.FieldAssignmentProcess.VAR_HOLD_NOTE;
import static io.gigflow.field.FieldAssignmentProcess.VAR_HOLD_REASON;
import static io.gigflow.field.FieldAssignmentProcess.VAR_REQUEST_AMOUNT;
import static io.gigflow.field.FieldAssignmentProcess.VAR_REQUEST_NEW_END;
import static io.gigflow.field.FieldAssignmentProcess.VAR_REQUEST_NEW_START;
import static io.gigflow.field.FieldAssignmentProcess.VAR_REQUEST_REASON;

import io.gigflow.identity.CurrentUser;
import io.gigflow.shared.FieldErrors;
import java.util.List;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The one step of each action process: checks the start form's variables (400 naming the field),
 * then does exactly what the domain API does, through the same {@link FieldAssignmentService}
 * method, as the person who started the action. Whatever the service refuses (404 for an
 * assignment the person may not see, 403, 409 for the wrong state, 422 for a short balance)
 * is thrown straight out of the start, so the start rolls back and no action instance is left.
 *
 * <p>The action's variables (the reference, the text) stay on the action instance, which only
 * operators read (nobody else is granted anything on it); the assignment instance gets only
 * what the domain API would give it.
 */
@Component
class FieldActionSteps {

    private final FieldAssignmentService service;
    private final CurrentUser currentUser;
    private final FieldGuard guard;

    FieldActionSteps(FieldAssignmentService service, CurrentUser currentUser, FieldGuard guard) {
        this.service = service;
        this.currentUser = currentUser;
        this.guard = guard;
    }

    void performClientAction(DelegateExecution execution) {
        guard.mayActAsClient(caller());
        FieldErrors errors = new FieldErrors();
        String ref = errors.requiredText(VAR_ASSIGNMENT_REF, execution.getVariable(VAR_ASSIGNMENT_REF), 64);
        String action = action(errors, execution, CLIENT_ACTIONS);
        String holdReason = null;
        String holdNote = null;
        String payment = null;
        String cancelReason = null;
        String body = null;
        if (HOLD.equals(action)) {
            holdReason = errors.requiredText(VAR_HOLD_REASON, execution.getVariable(VAR_HOLD_REASON), 100);
            holdNote = errors.optionalText(VAR_HOLD_NOTE, execution.getVariable(VAR_HOLD_NOTE), 1000);
        } else if (CANCEL.equals(action)) {
            payment = errors.optionalText(VAR_CANCEL_PAYMENT, execution.getVariable(VAR_CANCEL_PAYMENT), 100);
            cancelReason = errors.optionalText(VAR_CANCEL_REASON, execution.getVariable(VAR_CANCEL_REASON), 1000);
        } else if (MESSAGE.equals(action)) {
            body = errors.requiredText(VAR_MESSAGE_BODY, execution.getVariable(VAR_MESSAGE_BODY), 5000);
        }
        errors.throwIfAny("Invalid client action");
        FieldAssignmentView after = switch (action) {
            case HOLD -> service.hold(ref, holdReason, holdNote);
            case CANCEL -> service.cancel(ref, payment, cancelReason);
            default -> service.postMessage(ref, body);
        };
        execution.setVariable(VAR_ASSIGNMENT_STATUS, after.status().name());
    }

    void performWorkerAction(DelegateExecution execution) {
        guard.mayActAsWorker(caller());
        FieldErrors errors = new FieldErrors();
        String ref = errors.requiredText(VAR_ASSIGNMENT_REF, execution.getVariable(VAR_ASSIGNMENT_REF), 64);
        String action = action(errors, execution, WORKER_ACTIONS);
        String body = null;
        String amount = null;
        String newStart = null;
        String newEnd = null;
        String reason = null;
        if (MESSAGE.equals(action)) {
            body = errors.requiredText(VAR_MESSAGE_BODY, execution.getVariable(VAR_MESSAGE_BODY), 5000);
        } else if (action != null) {
            // the lifecycle's request step checks the rest (amount for money, both dates for a reschedule)
            amount = errors.optionalText(VAR_REQUEST_AMOUNT, execution.getVariable(VAR_REQUEST_AMOUNT), 100);
            newStart = errors.optionalText(VAR_REQUEST_NEW_START, execution.getVariable(VAR_REQUEST_NEW_START), 100);
            newEnd = errors.optionalText(VAR_REQUEST_NEW_END, execution.getVariable(VAR_REQUEST_NEW_END), 100);
            reason = errors.optionalText(VAR_REQUEST_REASON, execution.getVariable(VAR_REQUEST_REASON), 1000);
        }
        errors.throwIfAny("Invalid worker action");
        FieldAssignmentView after = MESSAGE.equals(action) ? service.postMessage(ref, body)
                : service.request(ref, new FieldAssignmentService.WorkerRequest(action, amount, newStart, newEnd, reason));
        execution.setVariable(VAR_ASSIGNMENT_STATUS, after.status().name());
    }

    /** Somebody signed in (Tasklist, /engine-rest, or a test's setAuthentication); nobody is a refusal, not a system action. */
    private String caller() {
        return currentUser.id().orElseThrow(() -> new AuthorizationException("Field-assignment actions are started by a signed-in person"));
    }

    private static String action(FieldErrors errors, DelegateExecution execution, List<String> allowed) {
        String action = errors.requiredText(VAR_ACTION, execution.getVariable(VAR_ACTION), 50);
        if (action != null && !allowed.contains(action)) {
            errors.add(VAR_ACTION, "oneOf", "must be one of " + String.join(", ", allowed));
            return null;
        }
        return action;
    }
}
