package io.gigflow.field;

import java.time.OffsetDateTime;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The timers of bpmn/field-assignment.bpmn ({@code ${fieldTimers.scheduledStart(execution)}}): each
 * date comes from the assignment's row (the schedule, the confirmation period fixed at
 * publication, the submission's expected approval, the payment date), the escalation interval
 * from the operator's settings; never from a process variable a party could write.
 */
@Component("fieldTimers")
public class FieldTimers {

    private final FieldAssignmentRepository assignments;
    private final FieldSettings settings;

    FieldTimers(FieldAssignmentRepository assignments, FieldSettings settings) {
        this.assignments = assignments;
        this.settings = settings;
    }

    public Date confirmDueAt(DelegateExecution execution) {
        return date(row(execution).confirmDueAt());
    }

    public Date scheduledStart(DelegateExecution execution) {
        return date(row(execution).scheduledStart());
    }

    public Date scheduledEnd(DelegateExecution execution) {
        return date(row(execution).scheduledEnd());
    }

    /** First when the client takes longer than it usually does, then every escalation interval until it decides. */
    public String escalationCycle(DelegateExecution execution) {
        FieldAssignment assignment = row(execution);
        OffsetDateTime first = assignment.approvalExpectedAt();
        if (first == null) {
            throw new IllegalStateException("assignment " + assignment.ref() + " awaits no approval");
        }
        return "R1000/" + first.toInstant() + "/" + settings.escalationInterval();
    }

    public Date paymentDueAt(DelegateExecution execution) {
        FieldAssignment assignment = row(execution);
        if (assignment.paymentDueAt() == null) {
            throw new IllegalStateException("assignment " + assignment.ref() + " has no payment date");
        }
        return date(assignment.paymentDueAt());
    }

    private FieldAssignment row(DelegateExecution execution) {
        return assignments.find(execution.getProcessBusinessKey())
                .filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no assignment " + execution.getProcessBusinessKey()
                        + " of process instance " + execution.getProcessInstanceId()));
    }

    private static Date date(OffsetDateTime at) {
        return Date.from(at.toInstant());
    }
}
