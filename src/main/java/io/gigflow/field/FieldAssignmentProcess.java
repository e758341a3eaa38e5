package io.gigflow.field;

import java.util.List;

/** The field-assignment process as code sees it: its key, element ids, messages and variables. */
public final class FieldAssignmentProcess {

    public static final String KEY = "field-assignment";

    // human steps
    public static final String TASK_APPLY = "Task_ApplyForAssignment";
    /**
     * The process of a published assignment's offer: the step Apply for assignment, which field workers
     * see and work by one grant on this definition; the assignment's call activity {@link #TASK_APPLY}
     * calls it for each application, with the assignment's reference as business key.
     */
    public static final String OFFER_KEY = "field-assignment-offer";
    public static final String TASK_CHOOSE_APPLICANT = "Task_ChooseApplicant";
    public static final String TASK_ANSWER_QUESTION = "Task_AnswerQuestion";
    public static final String TASK_CONFIRM_ASSIGNMENT = "Task_ConfirmAssignment";
    public static final String TASK_CHECK_IN = "Task_CheckIn";
    public static final String TASK_CHECK_OUT = "Task_CheckOut";
    public static final String TASK_SUBMIT_WORK = "Task_SubmitWork";
    public static final String TASK_REVIEW_REQUEST = "Task_ReviewRequest";
    public static final String TASK_REVIEW_SUBMISSION = "Task_ReviewSubmission";
    public static final String TASK_REMOVE_HOLD = "Task_RemoveHold";
    public static final String TASK_ANSWER_RESCHEDULE = "Task_AnswerReschedule";
    public static final String TASK_REQUEST_FAST_FUNDS = "Task_RequestFastFunds";

    // timers and other elements tests and operators look for
    public static final String TIMER_CONFIRMATION_REMINDER = "Timer_ConfirmationReminder";
    public static final String TIMER_LATE_CHECK_IN = "Timer_LateCheckIn";
    public static final String TIMER_SCHEDULED_START = "Timer_ScheduledStart";
    public static final String TIMER_SCHEDULED_END = "Timer_ScheduledEnd";
    public static final String TIMER_APPROVAL_ESCALATION = "Timer_ApprovalEscalation";
    public static final String TIMER_PAYMENT_DUE = "Timer_PaymentDue";
    public static final String TIMER_PAYMENT_DUE_WAIT = "Timer_PaymentDueWait";
    public static final String END_PAID = "End_AssignmentPaid";
    public static final String END_CANCELLED = "End_AssignmentCancelled";

    public static final String MESSAGE_CANCEL_REQUESTED = "AssignmentCancelRequested";
    public static final String MESSAGE_HOLD_REQUESTED = "AssignmentHoldRequested";
    public static final String MESSAGE_WORKER_REQUEST = "WorkerRequestSubmitted";

    // start variables
    public static final String VAR_COMPANY_ID = "companyId";
    public static final String VAR_TITLE = "title";
    public static final String VAR_DESCRIPTION = "description";
    public static final String VAR_LOCATION = "location";
    public static final String VAR_SCHEDULED_START = "scheduledStart";
    public static final String VAR_SCHEDULED_END = "scheduledEnd";
    public static final String VAR_BUDGET = "budget";
    public static final String VAR_CURRENCY = "currency";
    public static final String VAR_PAYMENT_TERMS_DAYS = "paymentTermsDays";
    public static final String VAR_CHECK_IN_REQUIRED = "checkInRequired";
    public static final String VAR_REQUIRED_DELIVERABLES = "requiredDeliverables";
    public static final String VAR_REQUIRED_CUSTOM_FIELDS = "requiredCustomFields";
    public static final String VAR_CONTACT_NAME = "contactName";
    public static final String VAR_CONTACT_PHONE = "contactPhone";
    public static final String VAR_CONTACT_EMAIL = "contactEmail";
    public static final String VAR_CONFIRM_BEFORE = "confirmBefore";
    /** Every variable a start may bring; the start stores them in the row and removes them from the instance. */
    public static final List<String> START_VARIABLES = List.of(VAR_COMPANY_ID, VAR_TITLE, VAR_DESCRIPTION, VAR_LOCATION,
            VAR_SCHEDULED_START, VAR_SCHEDULED_END, VAR_BUDGET, VAR_CURRENCY, VAR_PAYMENT_TERMS_DAYS, VAR_CHECK_IN_REQUIRED,
            VAR_REQUIRED_DELIVERABLES, VAR_REQUIRED_CUSTOM_FIELDS, VAR_CONTACT_NAME, VAR_CONTACT_PHONE, VAR_CONTACT_EMAIL,
            VAR_CONFIRM_BEFORE);

    // what the forms show, read from the rows when a form is opened ({@link FieldFormFacts}): no variable of the engine
    /** The reference (the business key), on every step's form. */
    public static final String VAR_REF = "ref";
    public static final String VAR_DESCRIPTION_TEXT = "descriptionText";
    public static final String VAR_REQUIREMENTS_TEXT = "requirementsText";
    public static final String VAR_APPLICATIONS_TEXT = "applicationsText";
    /** The open applications as the choices of Choose applicant's select ({@link io.gigflow.shared.FormOptions}). */
    public static final String VAR_APPLICANT_OPTIONS = "applicantOptions";
    /** What the worker handed in, on the "Review submission" form. */
    public static final String VAR_SUBMISSION_TEXT = "submissionText";
    public static final String VAR_REQUEST_TEXT = "requestText";

    // set by the process
    public static final String VAR_STATUS = "status";
    /** Names no variable the process sets any longer (earlier versions showed them): a planted one is refused or ignored. */
    public static final String VAR_WORKER_ID = "workerId";
    public static final String VAR_FAST_FUNDS_ELIGIBLE = "fastFundsEligible";
    public static final String VAR_QUESTION_ID = "questionId";
    public static final String VAR_QUESTION_TEXT = "questionText";
    public static final String VAR_LAST_QUESTION_ID = "lastQuestionId";
    public static final String VAR_REQUEST_ID = "requestId";

    // human steps' and messages' variables
    public static final String VAR_HOLD_REASON = "holdReason";
    public static final String VAR_HOLD_NOTE = "holdNote";
    public static final String VAR_APPLICATION_KIND = "applicationKind";
    public static final String VAR_APPLICATION_MESSAGE = "applicationMessage";
    public static final String VAR_PROPOSED_PRICE = "proposedPrice";
    public static final String VAR_PROPOSED_START = "proposedStart";
    public static final String VAR_PROPOSED_END = "proposedEnd";
    public static final String VAR_CHOSEN_APPLICATION_ID = "chosenApplicationId";
    public static final String VAR_QUESTION_ANSWER = "questionAnswer";
    public static final String VAR_CONFIRM = "confirmAssignment";
    public static final String VAR_CHECK_IN = "checkIn";
    public static final String VAR_CHECK_OUT = "checkOut";
    public static final String VAR_DELIVERABLES_TEXT = "deliverablesText";
    public static final String VAR_CUSTOM_FIELDS_TEXT = "customFieldsText";
    public static final String VAR_REQUEST_KIND = "requestKind";
    public static final String VAR_REQUEST_AMOUNT = "requestAmount";
    public static final String VAR_REQUEST_NEW_START = "requestNewStart";
    public static final String VAR_REQUEST_NEW_END = "requestNewEnd";
    public static final String VAR_REQUEST_REASON = "requestReason";
    public static final String VAR_REQUEST_DECISION = "requestDecision";
    public static final String VAR_REQUEST_ANSWER_REASON = "requestAnswerReason";
    public static final String VAR_REVIEW_DECISION = "reviewDecision";
    public static final String VAR_NOT_SATISFIED_REASON = "notSatisfiedReason";
    public static final String VAR_NEW_START = "newStart";
    public static final String VAR_NEW_END = "newEnd";
    public static final String VAR_RESCHEDULE_ANSWER = "rescheduleAnswer";
    public static final String VAR_FAST_FUNDS = "fastFunds";
    public static final String VAR_CANCEL_PAYMENT = "cancelPayment";
    public static final String VAR_CANCEL_REASON = "cancelReason";

    public static final String APPLY = "APPLY";
    public static final String COUNTEROFFER = "COUNTEROFFER";
    public static final String QUESTION = "QUESTION";
    public static final String APPROVE = "APPROVE";
    public static final String DECLINE = "DECLINE";
    public static final String NOT_SATISFIED = "NOT_SATISFIED";
    public static final String ACCEPT = "ACCEPT";

    private FieldAssignmentProcess() {
    }

    /** The escrow account and idempotency keys of one assignment are named after it. */
    public static String reference(String ref) {
        return KEY + ":" + ref;
    }
}
