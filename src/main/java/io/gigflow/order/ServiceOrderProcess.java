package io.gigflow.order;

import java.util.List;
import java.util.Map;

/** The service-order process as code sees it: its key, element ids, messages and variables. */
public final class ServiceOrderProcess {

    public static final String KEY = "service-order";

    // human steps
    public static final String TASK_START_WORK = "Task_StartWork";
    public static final String TASK_DELIVER_ORDER = "Task_DeliverOrder";
    public static final String TASK_REVIEW_EXTRA_REQUEST = "Task_ReviewExtraRequest";
    public static final String TASK_CONFIRM_DELIVERY = "Task_ConfirmDelivery";

    // other elements tests and operators look for
    public static final String TIMER_START_DEADLINE = "Timer_StartDeadline";
    public static final String TIMER_DUE_DATE = "Timer_DueDate";
    public static final String TIMER_REQUEST_ANSWER_DEADLINE = "Timer_RequestAnswerDeadline";
    public static final String TIMER_AUTO_COMPLETE = "Timer_AutoComplete";
    public static final String TASK_CANCEL_UNSTARTED_ORDER = "Task_CancelUnstartedOrder";
    public static final String TASK_RELEASE_ESCROW = "Task_ReleaseEscrow";
    public static final String END_ORDER_DONE = "End_OrderDone";
    public static final String END_ORDER_CANCELLED_NOT_STARTED = "End_OrderCancelledNotStarted";
    public static final String END_ORDER_CANCELLED_LATE = "End_OrderCancelledLate";

    public static final String MESSAGE_EXTRA_REQUESTED = "ExtraRequested";
    public static final String MESSAGE_LATE_CANCELLATION_REQUESTED = "LateCancellationRequested";
    public static final String ERROR_INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE";

    // start variables
    public static final String VAR_CUSTOMER_ID = "customerId";
    public static final String VAR_SERVICE_REF = "serviceRef";
    public static final String VAR_OPTION_IDS = "optionIds";
    public static final String VAR_START_DEADLINE = "startDeadline";
    /** Every variable a start may bring; the start stores them in the row and removes them from the instance. */
    static final List<String> START_VARIABLES = List.of(VAR_CUSTOMER_ID, VAR_SERVICE_REF, VAR_OPTION_IDS, VAR_START_DEADLINE);

    // set by the process for Cockpit and readers; nothing routes, times or assigns on them (the row does)
    public static final String VAR_STATUS = "status";
    public static final String VAR_DUE_DATE = "dueDate";

    // message ExtraRequested
    public static final String VAR_EXTRA_DESCRIPTION = "extraDescription";
    public static final String VAR_EXTRA_DAYS = "extraDays";
    public static final String VAR_EXTRA_PRICE = "extraPrice";

    // human steps' variables
    public static final String VAR_START_WORK = "startWork";
    public static final String VAR_REQUEST_DECISION = "requestDecision";
    public static final String VAR_REQUEST_DECLINE_REASON = "requestDeclineReason";
    public static final String VAR_DELIVERY_MESSAGE = "deliveryMessage";
    public static final String VAR_DELIVERY_FILE_ID = "deliveryFileId";
    public static final String VAR_DELIVERY_DECISION = "deliveryDecision";
    public static final String VAR_REVISION_REASON = "revisionReason";

    /** What each human step takes as its answer: cleared when the step is created, so only its own completion sets it. */
    static final Map<String, List<String>> STEP_INPUTS = Map.of(
            TASK_START_WORK, List.of(VAR_START_WORK),
            TASK_DELIVER_ORDER, List.of(VAR_DELIVERY_MESSAGE, VAR_DELIVERY_FILE_ID),
            TASK_REVIEW_EXTRA_REQUEST, List.of(VAR_REQUEST_DECISION, VAR_REQUEST_DECLINE_REASON),
            TASK_CONFIRM_DELIVERY, List.of(VAR_DELIVERY_DECISION, VAR_REVISION_REASON));

    public static final String ACCEPT = "ACCEPT";
    public static final String DECLINE = "DECLINE";
    public static final String CONFIRM = "CONFIRM";
    public static final String REVISION = "REVISION";

    private ServiceOrderProcess() {
    }

    /** The escrow account and idempotency keys of one order are named after it. */
    public static String reference(String ref) {
        return KEY + ":" + ref;
    }
}
