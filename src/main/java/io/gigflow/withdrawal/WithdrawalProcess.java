package io.gigflow.withdrawal;

import java.util.List;

/** The withdrawal process as code sees it: its key, element ids, messages and variables. */
public final class WithdrawalProcess {

    public static final String KEY = "withdrawal";

    // human step
    public static final String TASK_PAY_OUT_WITHDRAWAL = "Task_PayOutWithdrawal";

    // other elements tests and operators look for
    public static final String TASK_REGISTER_WITHDRAWAL = "Task_RegisterWithdrawal";
    public static final String TASK_PAY_OUT = "Task_PayOut";
    public static final String TASK_RETURN_REJECTED = "Task_ReturnRejected";
    public static final String TASK_RETURN_CANCELLED = "Task_ReturnCancelled";
    public static final String TASK_NOTIFY_PAID_OUT = "Task_NotifyPaidOut";
    public static final String MESSAGE_CANCELLED_RECEIVED = "Message_WithdrawalCancelledReceived";
    public static final String END_PAID_OUT = "End_WithdrawalPaidOut";
    public static final String END_REJECTED = "End_WithdrawalRejected";
    public static final String END_CANCELLED = "End_WithdrawalCancelled";

    /** The requester cancels while the withdrawal waits (BPMN message Message_WithdrawalCancelled). */
    public static final String MESSAGE_WITHDRAWAL_CANCELLED = "WithdrawalCancelled";

    // what finance's form shows, read from the row when it is opened (WithdrawalFormFacts): no variable of the engine
    public static final String VAR_REQUESTER_ID = "requesterId";
    public static final String VAR_REQUESTER_NAME = "requesterName";
    public static final String VAR_DESTINATION = "destination";
    /** Names no variable: a completion that plants one is refused. */
    public static final String VAR_AMOUNT = "amount";

    // set by the process from the row for operators; nothing routes or moves money on it (the row does)
    public static final String VAR_STATUS = "status";

    // the finance step's form fields
    public static final String VAR_PAYOUT_DECISION = "payoutDecision";
    public static final String VAR_BANK_REFERENCE = "bankReference";
    public static final String VAR_REJECTION_REASON = "rejectionReason";

    /** What the finance step takes as its answer: cleared when the step is created. */
    static final List<String> STEP_INPUTS = List.of(VAR_PAYOUT_DECISION, VAR_BANK_REFERENCE, VAR_REJECTION_REASON);

    public static final String PAID = "PAID";
    public static final String REJECTED = "REJECTED";
    /** The decision the requester's cancellation records. */
    public static final String CANCELLED = "CANCELLED";

    private WithdrawalProcess() {
    }

    /** The hold account and idempotency keys of one withdrawal are named after it: withdrawal:&lt;ref&gt;. */
    public static String reference(String ref) {
        return KEY + ":" + ref;
    }
}
