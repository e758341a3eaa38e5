package io.gigflow.milestone;

import java.util.List;

/** The contractor-milestone process as code sees it: its key, element ids, messages and variables. */
public final class ContractorMilestoneProcess {

    public static final String KEY = "contractor-milestone";

    // human steps
    public static final String TASK_COMPLETE_MILESTONE = "Task_CompleteMilestone";
    public static final String TASK_REVIEW_MILESTONE = "Task_ReviewMilestone";

    // service steps, scopes and events
    public static final String TASK_REGISTER_MILESTONE = "Task_RegisterMilestone";
    public static final String SUB_PROCESS_PENDING = "SubProcess_MilestonePending";
    public static final String SUB_PROCESS_REVIEW = "SubProcess_Review";
    public static final String SUB_PROCESS_DEADLINE_WATCH = "SubProcess_DeadlineWatch";
    public static final String TASK_APPROVE_AUTOMATICALLY = "Task_ApproveAutomatically";
    public static final String TASK_APPROVE_MILESTONE = "Task_ApproveMilestone";
    public static final String TASK_DELETE_MILESTONE = "Task_DeleteMilestone";
    public static final String TASK_PAY_CONTRACTOR = "Task_PayContractor";
    public static final String TASK_NOTIFY_MILESTONE_ADDED = "Task_NotifyMilestoneAdded";
    public static final String TASK_NOTIFY_SUBMITTED = "Task_NotifySubmitted";
    public static final String TASK_NOTIFY_REJECTED = "Task_NotifyRejected";
    public static final String TASK_NOTIFY_APPROVED = "Task_NotifyApproved";
    public static final String TASK_NOTIFY_PAID = "Task_NotifyPaid";
    public static final String TASK_NOTIFY_DELETED = "Task_NotifyDeleted";
    public static final String TASK_REMIND_CONTRACTOR = "Task_RemindContractor";
    public static final String TASK_NOTIFY_DEADLINE_PASSED = "Task_NotifyDeadlinePassed";
    public static final String TIMER_DEADLINE_REMINDER = "Timer_DeadlineReminder";
    public static final String TIMER_DEADLINE_PASSED = "Timer_DeadlinePassed";
    public static final String TIMER_AUTO_APPROVAL = "Timer_AutoApproval";
    public static final String EVENT_PAYMENT_REQUESTED = "Event_PaymentRequested";
    public static final String EVENT_DEADLINE_CHANGED_AFTER_DEADLINE = "Event_DeadlineChangedAfterDeadline";
    public static final String END_MILESTONE_PAID = "End_MilestonePaid";
    public static final String END_MILESTONE_DELETED = "End_MilestoneDeleted";

    public static final String MESSAGE_MILESTONE_DELETED = "MilestoneDeleted";
    public static final String MESSAGE_DEADLINE_CHANGED = "MilestoneDeadlineChanged";
    public static final String MESSAGE_PAYMENT_REQUESTED = "MilestonePaymentRequested";
    public static final String ERROR_INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE";

    // start variables
    public static final String VAR_COMPANY_ID = "companyId";
    public static final String VAR_CONTRACTOR_ID = "contractorId";
    public static final String VAR_TITLE = "title";
    public static final String VAR_DESCRIPTION = "description";
    public static final String VAR_DEADLINE = "deadline";
    public static final String VAR_AMOUNT = "amount";
    public static final String VAR_CURRENCY = "currency";
    public static final String VAR_AUTO_APPROVE_AFTER_DAYS = "autoApproveAfterDays";
    public static final String VAR_DEADLINE_REMINDER = "deadlineReminder";

    /** The terms a start passes in; the register step stores them in the row and removes them from the instance. */
    static final List<String> TERMS = List.of(VAR_COMPANY_ID, VAR_CONTRACTOR_ID, VAR_TITLE, VAR_DESCRIPTION, VAR_DEADLINE, VAR_AMOUNT,
            VAR_CURRENCY, VAR_AUTO_APPROVE_AFTER_DAYS, VAR_DEADLINE_REMINDER);

    // set by the process and its human steps
    public static final String VAR_STATUS = "status";
    public static final String VAR_PAYMENT_STATUS = "paymentStatus";
    /** The description as plain text, for the forms. */
    public static final String VAR_DESCRIPTION_TEXT = "descriptionText";
    public static final String VAR_ATTACHMENT_NAME = "attachmentName";
    public static final String VAR_COMPLETION_NOTE = "completionNote";
    /** Set by the domain API only: the deliverable it stored for this completion. */
    public static final String VAR_DELIVERABLE_FILE_ID = "deliverableFileId";
    public static final String VAR_DELIVERABLE_NAME = "deliverableName";
    public static final String VAR_REVIEW_DECISION = "reviewDecision";
    public static final String VAR_REJECTION_REASON = "rejectionReason";
    /** The reason of the last rejection, shown to the contractor while reworking. */
    public static final String VAR_LAST_REJECTION_REASON = "lastRejectionReason";
    public static final String VAR_PAYMENT_REFUSAL = "paymentRefusal";

    public static final String DECISION_APPROVE = "APPROVE";
    public static final String DECISION_REJECT = "REJECT";

    private ContractorMilestoneProcess() {
    }

    /** Idempotency keys and notification references of one milestone are named after it. */
    public static String reference(String ref) {
        return KEY + ":" + ref;
    }
}
