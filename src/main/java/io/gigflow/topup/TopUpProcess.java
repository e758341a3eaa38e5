package io.gigflow.topup;

import java.util.List;

/** The top-up process as code sees it: its key, element ids, message and variables. */
public final class TopUpProcess {

    public static final String KEY = "top-up";

    // the human step and the elements tests and operators look for
    public static final String TASK_CONFIRM_FUNDS = "Task_ConfirmFunds";
    public static final String TASK_CREDIT_FUNDS = "Task_CreditFunds";
    public static final String TASK_EXPIRE_TOP_UP = "Task_ExpireTopUp";
    public static final String TIMER_EXPIRY = "Timer_Expiry";
    public static final String BOUNDARY_PAYMENT_RECEIVED = "Boundary_PaymentReceived";
    public static final String END_CREDITED = "End_TopUpCredited";
    public static final String END_REJECTED = "End_TopUpRejected";
    public static final String END_EXPIRED = "End_TopUpExpired";

    /** The message the payment webhook correlates (as the platform): no party may send it. */
    public static final String MESSAGE_PAYMENT_RECEIVED = "PaymentReceived";

    // set by the process from the row for operators; nothing decides on it (the form reads the row: TopUpFormFacts)
    public static final String VAR_STATUS = "status";

    // the finance operator's answer (forms/confirm-top-up.form)
    public static final String VAR_DECISION = "decision";
    public static final String VAR_AMOUNT_RECEIVED = "amountReceived";
    /** Names the currency an amount received is refused for (the row's, never a variable). */
    public static final String VAR_CURRENCY = "currency";
    public static final String VAR_BANK_REFERENCE = "bankReference";
    public static final String VAR_REJECTION_REASON = "rejectionReason";

    static final List<String> STEP_INPUTS = List.of(VAR_DECISION, VAR_AMOUNT_RECEIVED, VAR_BANK_REFERENCE, VAR_REJECTION_REASON);

    public static final String CONFIRM = "CONFIRM";
    public static final String REJECT = "REJECT";

    private TopUpProcess() {
    }

    /** The ledger key of one top-up's credit: named after its row, so it moves money once. */
    static String creditKey(long topUpId) {
        return KEY + ":" + topUpId + ":credit";
    }
}
