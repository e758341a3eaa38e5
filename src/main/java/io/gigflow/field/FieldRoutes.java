package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The conditions of bpmn/field-assignment.bpmn ({@code ${fieldRoutes.checkInRequired(execution)}}):
 * each reads the assignment's row, where the step that decided wrote it, never a process variable
 * that a party's completion or message could have written.
 */
@Component("fieldRoutes")
public class FieldRoutes {

    private final FieldAssignmentRepository assignments;

    FieldRoutes(FieldAssignmentRepository assignments) {
        this.assignments = assignments;
    }

    /** Work starts from ASSIGNED (not yet begun) or goes straight on IN_PROGRESS (after a hold or "not satisfied"). */
    public boolean assigned(DelegateExecution execution) {
        return row(execution).status() == FieldStatus.ASSIGNED;
    }

    public boolean confirmed(DelegateExecution execution) {
        return row(execution).confirmedAt() != null;
    }

    public boolean checkInRequired(DelegateExecution execution) {
        return row(execution).checkInRequired();
    }

    public boolean checkOutPending(DelegateExecution execution) {
        return row(execution).checkOutPending();
    }

    public boolean rescheduleAccepted(DelegateExecution execution) {
        return ACCEPT.equals(row(execution).rescheduleAnswer());
    }

    public boolean rescheduleDeclined(DelegateExecution execution) {
        return DECLINE.equals(row(execution).rescheduleAnswer());
    }

    public boolean approved(DelegateExecution execution) {
        return APPROVE.equals(row(execution).reviewDecision());
    }

    public boolean notSatisfied(DelegateExecution execution) {
        return NOT_SATISFIED.equals(row(execution).reviewDecision());
    }

    /** FastFunds is offered to a worker with at least one earlier paid assignment. */
    public boolean fastFundsEligible(DelegateExecution execution) {
        FieldAssignment assignment = row(execution);
        return assignment.workerId() != null && assignments.paidAssignmentsOf(assignment.workerId()) > 0;
    }

    /**
     * The application just recorded was a question: the recording step wrote its id into
     * {@code lastQuestionId}, a variable only the process writes (no form, start or message declares
     * it), and the question must be an open one of this assignment.
     */
    public boolean questionAsked(DelegateExecution execution) {
        Object id = execution.getVariable(VAR_LAST_QUESTION_ID);
        FieldAssignment assignment = row(execution);
        return id instanceof Number number && assignments.questions(assignment.id()).stream()
                .anyMatch(q -> q.id() == number.longValue() && q.answer() == null);
    }

    private FieldAssignment row(DelegateExecution execution) {
        return assignments.find(execution.getProcessBusinessKey())
                .filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no assignment " + execution.getProcessBusinessKey()
                        + " of process instance " + execution.getProcessInstanceId()));
    }
}
