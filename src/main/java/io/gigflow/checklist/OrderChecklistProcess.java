package io.gigflow.checklist;

/** The order-checklist process as code sees it: its key, element ids, messages and variables. */
public final class OrderChecklistProcess {

    public static final String KEY = "order-checklist";

    // human steps: one for one-off orders, one (with the billing-cycle timer) for recurring orders
    public static final String TASK_DO_CHECKLIST_TASK = "Task_DoChecklistTask";
    public static final String TASK_DO_RECURRING_CHECKLIST_TASK = "Task_DoRecurringChecklistTask";

    // other elements tests and operators look for
    public static final String TASK_ACTIVATE_NEXT_ITEM = "Task_ActivateNextItem";
    public static final String TASK_NOTIFY_CLIENT_TASK = "Task_NotifyClientTask";
    public static final String TASK_START_NEW_CYCLE = "Task_StartNewCycle";
    public static final String TIMER_BILLING_CYCLE = "Timer_BillingCycle";
    public static final String TIMER_NEXT_CYCLE = "Timer_NextCycle";
    public static final String END_ORDER_COMPLETED = "End_OrderCompleted";
    public static final String END_ORDER_CANCELLED = "End_OrderCancelled";

    public static final String MESSAGE_CHECKLIST_CHANGED = "ChecklistChanged";
    public static final String MESSAGE_CHECKLIST_CANCELLED = "ChecklistCancelled";

    // start variables
    public static final String VAR_SERVICE_REF = "serviceRef";
    public static final String VAR_CLIENT_ID = "clientId";
    public static final String VAR_COLLABORATORS = "collaborators";
    public static final String VAR_BILLING_CYCLE = "billingCycle";
    public static final String VAR_TITLE = "title";
    /** Every variable a start may bring; the start stores them in the row and removes them from the instance. */
    static final java.util.List<String> START_VARIABLES = java.util.List.of(VAR_SERVICE_REF, VAR_CLIENT_ID, VAR_COLLABORATORS,
            VAR_BILLING_CYCLE, VAR_TITLE);

    // set by the process
    public static final String VAR_AGENCY_ID = "agencyId";
    public static final String VAR_STATUS = "status";
    public static final String VAR_RECURRING = "recurring";
    public static final String VAR_NEXT_CYCLE_AT = "nextCycleAt";
    public static final String VAR_ITEM_LEFT = "itemLeft";
    public static final String VAR_CLIENT_TASK = "clientTask";

    // the human step's variable
    public static final String VAR_ITEM_DONE = "itemDone";

    private OrderChecklistProcess() {
    }

    /** Notifications about one order are referenced by it. */
    public static String reference(String ref) {
        return KEY + ":" + ref;
    }
}
