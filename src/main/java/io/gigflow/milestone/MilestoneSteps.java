package io.gigflow.milestone;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Grants;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.InsufficientBalanceException;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.Notice;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.HumanSteps;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.StepDisplay;
import io.gigflow.shared.TimeSource;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.camunda.bpm.engine.AuthorizationException;
import org.camunda.bpm.engine.delegate.BpmnError;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.DelegateTask;
import org.springframework.stereotype.Service;

/**
 * What each step of the contractor-milestone process does. Delegates and listeners call these;
 * every step reads the milestone from its row (not from variables a REST caller could have
 * changed), changes it, and mirrors the status into the process variable {@code status}.
 */
@Service
class MilestoneSteps {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'");

    private final MilestoneRepository milestones;
    private final MilestonePaymentRepository payments;
    private final MilestoneSettings settings;
    private final Parties parties;
    private final Grants grants;
    private final Ledger ledger;
    private final NotificationService notifications;
    private final CurrentUser currentUser;
    private final TimeSource time;
    private final MilestoneGuard guard;

    MilestoneSteps(MilestoneRepository milestones, MilestonePaymentRepository payments, MilestoneSettings settings,
            Parties parties, Grants grants, Ledger ledger, NotificationService notifications, CurrentUser currentUser,
            TimeSource time, MilestoneGuard guard) {
        this.guard = guard;
        this.milestones = milestones;
        this.payments = payments;
        this.settings = settings;
        this.parties = parties;
        this.grants = grants;
        this.ledger = ledger;
        this.notifications = notifications;
        this.currentUser = currentUser;
        this.time = time;
    }

    /** Validates the start, stores the milestone IN_PROGRESS and gives its parties access. */
    void register(DelegateExecution execution) {
        String businessKey = execution.getProcessBusinessKey();
        OffsetDateTime now = time.now();
        FieldErrors errors = new FieldErrors();
        MilestoneInput input = MilestoneInput.fromStartVariables(execution.getVariables(), businessKey, parties, now, errors);
        errors.throwIfAny("Invalid milestone");
        String starter = currentUser.id().orElse(null);
        if (starter != null && !parties.isCompanyMember(starter, input.companyId())) {
            throw new AuthorizationException(starter + " is not a member of company " + input.companyId()
                    + " and may not add its milestones");
        }
        String ref = businessKey;
        if (ref == null) {
            ref = milestones.nextRef();
            execution.setProcessBusinessKey(ref);
        } else if (milestones.refExists(ref)) {
            throw InvalidInputException.of("Invalid milestone", "businessKey", "unique", "a milestone " + ref + " exists already");
        }
        int autoDays = input.autoApproveAfterDays() != null ? input.autoApproveAfterDays()
                : settings.autoApproveAfterDays(input.companyId());
        String reminder = input.deadlineReminder() != null ? input.deadlineReminder() : settings.defaultDeadlineReminder();
        long id = milestones.insert(ref, input, autoDays, reminder, execution.getProcessInstanceId(), currentUser.actor(), now);
        milestones.addEvent(id, now, currentUser.actor(), "CREATED",
                input.amount() + " for " + input.contractorId() + ", due " + when(input.deadline()));
        grants.groupMayReadInstance(input.companyId(), execution.getProcessInstanceId());
        grants.userMayReadInstance(input.contractorId(), execution.getProcessInstanceId());
        // the row holds the terms now; the engine keeps no copy of them, whichever door started the milestone (the
        // domain API passes them as transient variables, a start through /engine-rest as stored ones)
        execution.removeVariables(ContractorMilestoneProcess.TERMS);
        execution.setVariable(ContractorMilestoneProcess.VAR_STATUS, MilestoneStatus.IN_PROGRESS.name());
    }

    /**
     * Offers a human step to the party the row names, never to one a variable names: the
     * contractor completes, the company's group reviews. The task is named after the milestone and
     * the other party; what its form shows is read from the rows when it is opened
     * ({@link MilestoneFormFacts}).
     */
    void assignStep(DelegateTask step) {
        Milestone milestone = milestone(step.getExecution());
        switch (step.getTaskDefinitionKey()) {
            case ContractorMilestoneProcess.TASK_COMPLETE_MILESTONE -> {
                HumanSteps.assignAndOffer(step, milestone.contractorId());
                StepDisplay.name(step, "Complete milestone", milestone.ref(), milestone.title(),
                        parties.companyName(milestone.companyId()));
            }
            case ContractorMilestoneProcess.TASK_REVIEW_MILESTONE -> {
                step.addCandidateGroup(milestone.companyId());
                StepDisplay.name(step, "Review milestone", milestone.ref(), milestone.title(),
                        parties.personName(milestone.contractorId()));
            }
            default -> throw new IllegalStateException("contractor-milestone has no human step " + step.getTaskDefinitionKey());
        }
    }

    /**
     * The deadline watch of instances started on an earlier version of the model calls this when it
     * starts; it wrote the deadline for the forms, which now read it from the row. Nothing to do.
     */
    void armDeadlineWatch(DelegateExecution execution) {
        // the timers and the forms read the row's deadline themselves
    }

    /** MilestoneDeleted: only a member of the row's company deletes, and only a pending milestone. */
    void checkDeletion(DelegateExecution execution) {
        guard.change(lockedMilestone(execution), currentUser.id().orElse(null), "deleted");
    }

    /** MilestoneDeadlineChanged: only a member of the row's company restarts the deadline watch. */
    void checkDeadlineChange(DelegateExecution execution) {
        guard.change(lockedMilestone(execution), currentUser.id().orElse(null), "edited");
    }

    /** MilestonePaymentRequested: only a member of the row's company pays, and only a drafted payment. */
    void checkPaymentRequest(DelegateExecution execution) {
        Milestone milestone = lockedMilestone(execution);
        guard.requestPayment(milestone, payments.ofMilestone(milestone.id()).orElse(null), currentUser.id().orElse(null));
    }

    /**
     * Checks the contractor's completion whichever door it came through (Tasklist, /engine-rest,
     * /api) and records it as a new submission, in the transaction of the completion.
     */
    void recordSubmission(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return; // the step was interrupted (deleted, or the milestone was approved): nobody completed anything
        }
        FieldErrors errors = new FieldErrors();
        String note = MilestoneInput.note(errors, ContractorMilestoneProcess.VAR_COMPLETION_NOTE,
                execution.getVariable(ContractorMilestoneProcess.VAR_COMPLETION_NOTE));
        Milestone milestone = lockedMilestone(execution);
        guard.complete(milestone, currentUser.id().orElse(null));
        MilestoneFile deliverable = deliverable(errors, milestone, execution.getVariable(ContractorMilestoneProcess.VAR_DELIVERABLE_FILE_ID));
        errors.throwIfAny("Invalid completion");
        OffsetDateTime now = time.now();
        int number = milestones.insertSubmission(milestone.id(), note, deliverable == null ? null : deliverable.id(),
                currentUser.actor(), now);
        milestones.updateStatus(milestone.id(), MilestoneStatus.SUBMITTED, now);
        milestones.addEvent(milestone.id(), now, currentUser.actor(), "SUBMITTED", "Submission " + number
                + (deliverable == null ? "" : " with " + deliverable.fileName()) + ": " + note);
        execution.setVariable(ContractorMilestoneProcess.VAR_STATUS, MilestoneStatus.SUBMITTED.name());
        // the submission's row holds the note and the deliverable, and the review form shows them from there; the
        // contractor's next completion starts from a blank note, the review form from a blank decision
        execution.removeVariable(ContractorMilestoneProcess.VAR_COMPLETION_NOTE);
        execution.removeVariable(ContractorMilestoneProcess.VAR_DELIVERABLE_FILE_ID);
        execution.removeVariable(ContractorMilestoneProcess.VAR_REVIEW_DECISION);
        execution.removeVariable(ContractorMilestoneProcess.VAR_REJECTION_REASON);
    }

    /**
     * Checks the company's decision whichever door it came through: APPROVE, or REJECT with a
     * reason. A rejection sends the milestone back IN_PROGRESS with the reason for the contractor.
     */
    void recordReview(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return; // approved automatically or deleted meanwhile
        }
        FieldErrors errors = new FieldErrors();
        Object decision = execution.getVariable(ContractorMilestoneProcess.VAR_REVIEW_DECISION);
        boolean approve = ContractorMilestoneProcess.DECISION_APPROVE.equals(decision);
        boolean reject = ContractorMilestoneProcess.DECISION_REJECT.equals(decision);
        if (!approve && !reject) {
            errors.add(ContractorMilestoneProcess.VAR_REVIEW_DECISION, "oneOf",
                    "must be \"APPROVE\" or \"REJECT\", not " + (decision == null ? "missing" : "\"" + decision + "\""));
        }
        Object rawReason = execution.getVariable(ContractorMilestoneProcess.VAR_REJECTION_REASON);
        String reason = reject
                ? errors.requiredText(ContractorMilestoneProcess.VAR_REJECTION_REASON, rawReason, MilestoneInput.REASON_MAX)
                : errors.optionalText(ContractorMilestoneProcess.VAR_REJECTION_REASON, rawReason, MilestoneInput.REASON_MAX);
        errors.throwIfAny("Invalid review");
        Milestone milestone = lockedMilestone(execution);
        guard.review(milestone, currentUser.id().orElse(null));
        Submission submission = openSubmission(milestone);
        OffsetDateTime now = time.now();
        if (approve) {
            milestones.decide(submission.id(), Submission.APPROVED, null, false, currentUser.actor(), now);
            milestones.addEvent(milestone.id(), now, currentUser.actor(), "APPROVED", "Submission " + submission.number());
            return;
        }
        milestones.decide(submission.id(), Submission.REJECTED, reason, false, currentUser.actor(), now);
        milestones.recordRejection(milestone.id(), reason, now);
        milestones.addEvent(milestone.id(), now, currentUser.actor(), "REJECTED", "Submission " + submission.number() + ": " + reason);
        execution.setVariable(ContractorMilestoneProcess.VAR_STATUS, MilestoneStatus.IN_PROGRESS.name());
    }

    /** Nobody reviewed the submission in time: it is approved on the company's behalf. */
    void approveAutomatically(DelegateExecution execution) {
        Milestone milestone = lockedMilestone(execution);
        Submission submission = openSubmission(milestone);
        OffsetDateTime now = time.now();
        guard.approveAutomatically(milestone, submission, now);
        milestones.decide(submission.id(), Submission.APPROVED, null, true, currentUser.actor(), now);
        milestones.addEvent(milestone.id(), now, currentUser.actor(), "AUTO_APPROVED", "Submission " + submission.number()
                + " approved automatically after " + milestone.autoApproveAfterDays() + " days without review");
    }

    /** The milestone is APPROVED and its payment drafted; the terms are final from here on. */
    void approve(DelegateExecution execution) {
        Milestone milestone = lockedMilestone(execution);
        OffsetDateTime now = time.now();
        guard.approve(milestone, milestones.lastSubmission(milestone.id()).orElse(null));
        if (milestone.status() != MilestoneStatus.APPROVED) {
            milestones.markApproved(milestone.id(), now);
        }
        MilestonePayment payment = payments.draft(milestone, now);
        milestones.addEvent(milestone.id(), now, currentUser.actor(), "PAYMENT_DRAFTED", payment.amount() + " to " + milestone.contractorId());
        execution.setVariable(ContractorMilestoneProcess.VAR_STATUS, MilestoneStatus.APPROVED.name());
        execution.setVariable(ContractorMilestoneProcess.VAR_PAYMENT_STATUS, payment.status().name());
    }

    /** Runs in the transaction of the delete message, so that the history names who deleted it. */
    void delete(DelegateExecution execution) {
        Milestone milestone = lockedMilestone(execution);
        if (!milestone.status().isPending()) {
            throw new IllegalStateException("milestone " + milestone.ref() + " is " + milestone.status() + ", not pending");
        }
        OffsetDateTime now = time.now();
        milestones.updateStatus(milestone.id(), MilestoneStatus.DELETED, now);
        milestones.addEvent(milestone.id(), now, currentUser.actor(), "DELETED", null);
        execution.setVariable(ContractorMilestoneProcess.VAR_STATUS, MilestoneStatus.DELETED.name());
    }

    /**
     * Moves the drafted payment from the company's balance to the contractor's. Without enough
     * balance nothing moves: a BPMN error takes the process back to waiting for the payment.
     */
    void pay(DelegateExecution execution) {
        Milestone milestone = lockedMilestone(execution);
        MilestonePayment payment = payments.lock(payments.ofMilestone(milestone.id()).orElseThrow().id()).orElseThrow();
        guard.pay(milestone, payment);
        if (payment.status() == PaymentStatus.PAID) {
            return;
        }
        OffsetDateTime now = time.now();
        try {
            ledger.transfer(milestone.reference() + ":payment", AccountRef.company(milestone.companyId()),
                    AccountRef.user(milestone.contractorId()), payment.amount(),
                    "Milestone " + milestone.ref() + " paid: " + milestone.title());
        } catch (InsufficientBalanceException e) {
            String refusal = "Insufficient balance: the company holds " + e.available() + ", the payment needs " + e.required();
            payments.recordRefusal(payment.id(), refusal);
            milestones.addEvent(milestone.id(), now, currentUser.actor(), "PAYMENT_REFUSED", refusal);
            throw new BpmnError(ContractorMilestoneProcess.ERROR_INSUFFICIENT_BALANCE, refusal);
        }
        payments.markPaid(payment.id(), currentUser.actor(), now);
        milestones.addEvent(milestone.id(), now, currentUser.actor(), "PAID", payment.amount() + " paid to " + milestone.contractorId());
        execution.setVariable(ContractorMilestoneProcess.VAR_PAYMENT_STATUS, PaymentStatus.PAID.name());
        execution.removeVariable(ContractorMilestoneProcess.VAR_PAYMENT_REFUSAL);
    }

    /**
     * Tells the parties about one event. A retried step finds what it already sent: events that
     * can happen more than once (a submission, a rejection, a deadline) carry their number in
     * the reference, and each step sends every one of them that is still due.
     */
    void notifyParties(DelegateExecution execution, String notice) {
        Milestone m = milestone(execution);
        switch (notice) {
            case "MILESTONE_ADDED" -> notifications.notify(m.contractorId(), notice, m.reference(), notice(m, "milestone/added"));
            case "MILESTONE_SUBMITTED" -> {
                for (Submission s : milestones.submissions(m.id())) {
                    notifications.notifyAll(companyMembers(m), notice, submissionReference(m, s),
                            notice(m, "milestone/submitted").with("number", s.number()).with("note", s.note()));
                }
            }
            case "MILESTONE_REJECTED" -> {
                for (Submission s : milestones.submissions(m.id())) {
                    if (Submission.REJECTED.equals(s.decision())) {
                        notifications.notify(m.contractorId(), notice, submissionReference(m, s),
                                notice(m, "milestone/rejected").with("number", s.number()).with("reason", s.reason()));
                    }
                }
            }
            case "MILESTONE_APPROVED" -> {
                notifications.notify(m.contractorId(), notice, m.reference(), notice(m, "milestone/approved"));
                if (approvedAutomatically(m)) {
                    notifications.notifyAll(companyMembers(m), "MILESTONE_AUTO_APPROVED", m.reference(), notice(m, "milestone/auto-approved")
                            .with("reviewPeriod", m.autoApproveAfterDays() == null ? null : Duration.ofDays(m.autoApproveAfterDays())));
                }
            }
            case "DEADLINE_REMINDER" -> notifications.notify(m.contractorId(), notice, deadlineReference(m),
                    notice(m, "milestone/deadline-reminder").taskOf(execution.getProcessInstanceId()));
            case "DEADLINE_PASSED" -> {
                boolean submitted = m.status() == MilestoneStatus.SUBMITTED;
                notifications.notify(m.contractorId(), notice, deadlineReference(m),
                        notice(m, "milestone/deadline-passed").with("submitted", submitted));
                notifications.notifyAll(companyMembers(m), notice, deadlineReference(m),
                        notice(m, "milestone/deadline-passed-company").with("submitted", submitted));
            }
            case "MILESTONE_DELETED" -> notifications.notify(m.contractorId(), notice, m.reference(), notice(m, "milestone/deleted"));
            case "MILESTONE_PAID" -> notifications.notify(m.contractorId(), notice, m.reference(), notice(m, "milestone/paid"));
            default -> throw new IllegalArgumentException("unknown notice " + notice);
        }
    }

    /** A notice about the milestone, every value from its row: the parties by their names, the deadline in the recipient's zone. */
    private Notice notice(Milestone m, String name) {
        return Notice.of(name).with("title", m.title()).with("ref", m.ref()).with("amount", m.amount()).with("deadline", m.deadline())
                .with("company", parties.companyName(m.companyId()))
                .with("contractor", parties.personName(m.contractorId()))
                .link("/api/milestones/" + m.ref());
    }

    private boolean approvedAutomatically(Milestone m) {
        List<Submission> submissions = milestones.submissions(m.id());
        return !submissions.isEmpty() && submissions.get(submissions.size() - 1).automatic();
    }

    private static String submissionReference(Milestone m, Submission s) {
        return m.reference() + ":submission-" + s.number();
    }

    private static String deadlineReference(Milestone m) {
        return m.reference() + ":deadline-" + m.deadlineRevision();
    }

    /** A deliverable the domain API stored for this completion: a file of this milestone, not used before. */
    private MilestoneFile deliverable(FieldErrors errors, Milestone milestone, Object raw) {
        if (raw == null) {
            return null;
        }
        String field = ContractorMilestoneProcess.VAR_DELIVERABLE_FILE_ID;
        Long id = raw instanceof Number n ? Long.valueOf(n.longValue())
                : raw instanceof String s && s.matches("[0-9]{1,18}") ? Long.valueOf(s) : null;
        Optional<MilestoneFile> file = Optional.ofNullable(id).flatMap(milestones::file)
                .filter(f -> f.milestoneId() == milestone.id() && f.kind() == MilestoneFile.Kind.DELIVERABLE)
                .filter(f -> f.uploadedBy().equals(milestone.contractorId()))
                .filter(f -> !milestones.fileInSubmission(f.id()));
        if (file.isEmpty()) {
            errors.add(field, "exists", "must name a deliverable uploaded for this completion");
            return null;
        }
        return file.get();
    }

    private Submission openSubmission(Milestone milestone) {
        return milestones.openSubmission(milestone.id())
                .orElseThrow(() -> new IllegalStateException("milestone " + milestone.ref() + " has no submission in review"));
    }

    private List<String> companyMembers(Milestone m) {
        return parties.companyMembers(m.companyId()).stream().map(Parties.Person::id).toList();
    }

    private Milestone milestone(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        return milestones.find(ref).orElseThrow(() -> new IllegalStateException("no milestone " + ref));
    }

    private Milestone lockedMilestone(DelegateExecution execution) {
        String ref = execution.getProcessBusinessKey();
        // a row belongs to the one instance that registered it: an instance started elsewhere
        // under the same business key must never act on it
        return milestones.lock(ref).filter(row -> execution.getProcessInstanceId().equals(row.processInstanceId()))
                .orElseThrow(() -> new IllegalStateException("no milestone " + ref + " of process instance " + execution.getProcessInstanceId()));
    }

    static String when(OffsetDateTime instant) {
        return WHEN.format(instant.withOffsetSameInstant(ZoneOffset.UTC));
    }
}
