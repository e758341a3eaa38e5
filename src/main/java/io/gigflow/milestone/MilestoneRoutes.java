package io.gigflow.milestone;

import io.gigflow.shared.TimeSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Date;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Component;

/**
 * The gateway conditions and timers of bpmn/contractor-milestone.bpmn
 * ({@code ${milestoneRoutes.approved(execution)}}, ...). They read the milestone's rows, which
 * only the checked listeners and steps write: a variable that a party planted with a completion
 * or a start steers and times nothing. Public because the engine's expression language calls
 * public methods only.
 */
@Component("milestoneRoutes")
public class MilestoneRoutes {

    private final MilestoneRepository milestones;
    private final MilestoneSettings settings;
    private final TimeSource time;

    MilestoneRoutes(MilestoneRepository milestones, MilestoneSettings settings, TimeSource time) {
        this.milestones = milestones;
        this.settings = settings;
        this.time = time;
    }

    /** The newest submission was approved (by a member, or automatically). */
    public boolean approved(DelegateExecution execution) {
        return lastDecision(execution, Submission.APPROVED);
    }

    public boolean rejected(DelegateExecution execution) {
        return lastDecision(execution, Submission.REJECTED);
    }

    /** The company set automatic approval for this milestone (fixed at its start). */
    public boolean autoApprovalOn(DelegateExecution execution) {
        Integer days = milestone(execution).autoApproveAfterDays();
        return days != null && days > 0;
    }

    public String autoApprovalAfter(DelegateExecution execution) {
        return "P" + milestone(execution).autoApproveAfterDays() + "D";
    }

    public Date deadline(DelegateExecution execution) {
        return Date.from(milestone(execution).deadline().toInstant());
    }

    public Date deadlineReminderAt(DelegateExecution execution) {
        return Date.from(reminderAt(milestone(execution)).toInstant());
    }

    /** A reminder that would fall into the past is not sent. */
    public boolean deadlineReminderAhead(DelegateExecution execution) {
        return reminderAt(milestone(execution)).isAfter(time.now());
    }

    public boolean stillInProgress(DelegateExecution execution) {
        return milestone(execution).status() == MilestoneStatus.IN_PROGRESS;
    }

    OffsetDateTime reminderAt(Milestone m) {
        String lead = m.deadlineReminder() != null ? m.deadlineReminder() : settings.defaultDeadlineReminder();
        return m.deadline().minus(Duration.parse(lead));
    }

    private boolean lastDecision(DelegateExecution execution, String decision) {
        Milestone m = milestone(execution);
        return milestones.lastSubmission(m.id()).map(s -> decision.equals(s.decision())).orElse(false);
    }

    private Milestone milestone(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        return milestones.find(ref).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no milestone " + ref + " of process instance " + execution.getProcessInstanceId()));
    }
}
