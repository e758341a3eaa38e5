package io.gigflow.payout;

/** The task-payout process as code sees it: its key, element ids, messages and variables. */
public final class TaskPayoutProcess {

    public static final String KEY = "task-payout";

    // human steps
    public static final String TASK_REVIEW_DRAFT = "Task_ReviewDraft";
    public static final String TASK_ACCEPT_TASK = "Task_AcceptTask";

    // service steps and events
    public static final String TASK_REGISTER_TASK = "Task_RegisterTask";
    public static final String TASK_RESERVE_FUNDS = "Task_ReserveFunds";
    public static final String TASK_PAY_CONTRACTOR = "Task_PayContractor";
    public static final String TASK_ISSUE_CLOSING_DOCUMENTS = "Task_IssueClosingDocuments";
    public static final String TASK_NOTIFY_TASK_RECEIVED = "Task_NotifyTaskReceived";
    public static final String TASK_NOTIFY_TASK_ACCEPTED = "Task_NotifyTaskAccepted";
    public static final String TASK_NOTIFY_TASK_DECLINED = "Task_NotifyTaskDeclined";
    public static final String TASK_NOTIFY_TASK_CANCELLED = "Task_NotifyTaskCancelled";
    public static final String TASK_REFUND_DECLINED_TASK = "Task_RefundDeclinedTask";
    public static final String TASK_REFUND_CANCELLED_TASK = "Task_RefundCancelledTask";
    public static final String TASK_REMIND_CONTRACTOR = "Task_RemindContractor";
    public static final String TIMER_ACCEPTANCE_REMINDER = "Timer_AcceptanceReminder";
    public static final String END_TASK_PAID = "End_TaskPaid";
    public static final String END_TASK_DECLINED = "End_TaskDeclined";
    public static final String END_TASK_CANCELLED_BY_COMPANY = "End_TaskCancelledByCompany";
    public static final String END_TASK_DELETED = "End_TaskDeleted";

    public static final String MESSAGE_TASK_CANCELLED_BY_COMPANY = "TaskCancelledByCompany";
    public static final String ERROR_INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE";

    // start variables
    public static final String VAR_COMPANY_ID = "companyId";
    public static final String VAR_CONTRACTOR_ID = "contractorId";
    public static final String VAR_TITLE = "title";
    public static final String VAR_DESCRIPTION = "description";
    public static final String VAR_AMOUNT = "amount";
    public static final String VAR_CURRENCY = "currency";
    public static final String VAR_ACCEPTANCE_REMINDER = "acceptanceReminder";

    // set by the process and its human steps
    /** The start's terms: read once by the register step into the row, never kept as variables. */
    static final java.util.List<String> TERMS = java.util.List.of(VAR_COMPANY_ID, VAR_CONTRACTOR_ID, VAR_TITLE, VAR_DESCRIPTION,
            VAR_AMOUNT, VAR_CURRENCY, VAR_ACCEPTANCE_REMINDER);
    public static final String VAR_STATUS = "status";
    /** The description as plain text, for the contractor's form. */
    public static final String VAR_DESCRIPTION_TEXT = "descriptionText";
    public static final String VAR_DRAFT_DECISION = "draftDecision";
    public static final String VAR_DECISION = "decision";
    public static final String VAR_DECLINE_REASON = "declineReason";
    public static final String VAR_SEND_REFUSAL = "sendRefusal";

    public static final String DRAFT_SEND = "SEND";
    public static final String DRAFT_DELETE = "DELETE";
    public static final String DECISION_ACCEPT = "ACCEPT";
    public static final String DECISION_DECLINE = "DECLINE";

    private TaskPayoutProcess() {
    }

    /** The escrow account and idempotency keys of one task are named after it. */
    public static String reference(String ref) {
        return KEY + ":" + ref;
    }
}
