package io.gigflow.field;

import io.gigflow.shared.ProcessInputs;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that bpmn/field-assignment.bpmn (and the two action processes beside it) name in
 * their delegate expressions: thin doors into the steps of each stage ({@link FieldPublishingSteps},
 * {@link FieldWorkSteps}, {@link FieldReviewSteps}, {@link FieldChangeSteps}, {@link FieldNotices},
 * {@link FieldTasks}) and {@link FieldActionSteps}; each asks {@link FieldGuard} who may do what.
 * The timers and conditions read {@link FieldTimers} and {@link FieldRoutes} (the row).
 */
@Configuration
class FieldAssignmentDelegates {

    /** What a start, message and step of field-assignment may write; everything else is refused (400). */
    @Bean
    ProcessInputs fieldAssignmentInputs() {
        return ProcessInputs.of(FieldAssignmentProcess.KEY)
                .startReadOnce(FieldAssignmentProcess.START_VARIABLES.toArray(String[]::new))
                .message(FieldAssignmentProcess.MESSAGE_CANCEL_REQUESTED, FieldAssignmentProcess.VAR_CANCEL_PAYMENT,
                        FieldAssignmentProcess.VAR_CANCEL_REASON)
                .message(FieldAssignmentProcess.MESSAGE_HOLD_REQUESTED, FieldAssignmentProcess.VAR_HOLD_REASON,
                        FieldAssignmentProcess.VAR_HOLD_NOTE)
                .message(FieldAssignmentProcess.MESSAGE_WORKER_REQUEST, FieldAssignmentProcess.VAR_REQUEST_KIND,
                        FieldAssignmentProcess.VAR_REQUEST_AMOUNT, FieldAssignmentProcess.VAR_REQUEST_NEW_START,
                        FieldAssignmentProcess.VAR_REQUEST_NEW_END, FieldAssignmentProcess.VAR_REQUEST_REASON)
                .build();
    }

    /** The client's actions: the start form's fields. */
    @Bean
    ProcessInputs fieldClientActionInputs() {
        return ProcessInputs.of(FieldActionProcess.CLIENT_KEY)
                .start(FieldActionProcess.VAR_ASSIGNMENT_REF, FieldActionProcess.VAR_ACTION, FieldAssignmentProcess.VAR_HOLD_REASON,
                        FieldAssignmentProcess.VAR_HOLD_NOTE, FieldAssignmentProcess.VAR_CANCEL_PAYMENT,
                        FieldAssignmentProcess.VAR_CANCEL_REASON, FieldActionProcess.VAR_MESSAGE_BODY)
                .build();
    }

    /** The worker's actions: the start form's fields. */
    @Bean
    ProcessInputs fieldWorkerActionInputs() {
        return ProcessInputs.of(FieldActionProcess.WORKER_KEY)
                .start(FieldActionProcess.VAR_ASSIGNMENT_REF, FieldActionProcess.VAR_ACTION, FieldAssignmentProcess.VAR_REQUEST_AMOUNT,
                        FieldAssignmentProcess.VAR_REQUEST_NEW_START, FieldAssignmentProcess.VAR_REQUEST_NEW_END,
                        FieldAssignmentProcess.VAR_REQUEST_REASON, FieldActionProcess.VAR_MESSAGE_BODY)
                .build();
    }


    @Bean
    JavaDelegate publishAssignmentDelegate(FieldPublishingSteps steps) {
        return steps::publishAssignment;
    }

    @Bean
    JavaDelegate recordApplicationDelegate(FieldPublishingSteps steps) {
        return steps::recordApplication;
    }

    @Bean
    JavaDelegate recordAnswerDelegate(FieldPublishingSteps steps) {
        return steps::recordAnswer;
    }

    @Bean
    JavaDelegate assignWorkerDelegate(FieldPublishingSteps steps) {
        return steps::assignWorker;
    }

    @Bean
    JavaDelegate recordConfirmationDelegate(FieldWorkSteps steps) {
        return steps::recordConfirmation;
    }

    /** Used twice: at check-in, or when the scheduled start passes; the input parameter trigger says which. */
    @Bean
    JavaDelegate beginFieldWorkDelegate(FieldWorkSteps steps) {
        return execution -> steps.beginWork(execution, (String) execution.getVariableLocal("trigger"));
    }

    @Bean
    JavaDelegate markLateCheckInDelegate(FieldWorkSteps steps) {
        return steps::markLate;
    }

    @Bean
    JavaDelegate recordCheckOutDelegate(FieldWorkSteps steps) {
        return steps::recordCheckOut;
    }

    @Bean
    JavaDelegate markLateDeliverablesDelegate(FieldWorkSteps steps) {
        return steps::markLateDeliverables;
    }

    @Bean
    JavaDelegate recordSubmissionDelegate(FieldWorkSteps steps) {
        return steps::recordSubmission;
    }

    @Bean
    JavaDelegate escalateApprovalDelegate(FieldReviewSteps steps) {
        return steps::escalateApproval;
    }

    @Bean
    JavaDelegate approveAssignmentDelegate(FieldReviewSteps steps) {
        return steps::approveAssignment;
    }

    @Bean
    JavaDelegate sendBackDelegate(FieldReviewSteps steps) {
        return steps::sendBack;
    }

    @Bean
    JavaDelegate issueInvoiceDelegate(FieldReviewSteps steps) {
        return steps::issueInvoice;
    }

    /** Used twice: on the payment date, or at a FastFunds request; the input parameter fastFundsPayout says which. */
    @Bean
    JavaDelegate payWorkerDelegate(FieldReviewSteps steps) {
        return execution -> steps.payWorker(execution, "true".equals(String.valueOf(execution.getVariableLocal("fastFundsPayout"))));
    }

    @Bean
    JavaDelegate registerRequestDelegate(FieldChangeSteps steps) {
        return steps::registerRequest;
    }

    @Bean
    JavaDelegate resolveRequestDelegate(FieldChangeSteps steps) {
        return steps::resolveRequest;
    }

    @Bean
    JavaDelegate putOnHoldDelegate(FieldChangeSteps steps) {
        return steps::putOnHold;
    }

    @Bean
    JavaDelegate requestRescheduleDelegate(FieldChangeSteps steps) {
        return steps::requestReschedule;
    }

    @Bean
    JavaDelegate resumeAfterHoldDelegate(FieldChangeSteps steps) {
        return steps::resumeAfterHold;
    }

    @Bean
    JavaDelegate removeWorkerDelegate(FieldChangeSteps steps) {
        return steps::removeWorker;
    }

    @Bean
    JavaDelegate cancelAssignmentDelegate(FieldChangeSteps steps) {
        return steps::cancelAssignment;
    }

    @Bean
    JavaDelegate refuseChangeDelegate(FieldChangeSteps steps) {
        return steps::refuseChange;
    }

    /** Used by every notification step; the input parameter notice names the event. */
    @Bean
    JavaDelegate notifyFieldPartiesDelegate(FieldNotices steps) {
        return execution -> steps.notifyParties(execution, (String) execution.getVariableLocal("notice"));
    }

    /** The step of the process field-assignment-client-action (its start form is the client's action). */
    @Bean
    JavaDelegate performClientActionDelegate(FieldActionSteps steps) {
        return steps::performClientAction;
    }

    /** The step of the process field-assignment-worker-action (its start form is the worker's action). */
    @Bean
    JavaDelegate performWorkerActionDelegate(FieldActionSteps steps) {
        return steps::performWorkerAction;
    }

    /** On every human step but "Apply": offered to the party the assignment's row names. */
    @Bean
    TaskListener assignFieldTaskListener(FieldTasks steps) {
        return steps::assignTask;
    }

    /** On every human step of field-assignment: the task's name carries the assignment's reference and title. */
    @Bean
    TaskListener nameFieldTaskListener(FieldTasks steps) {
        return steps::nameTask;
    }

    /**
     * Instances started on an earlier version of the model call these when a step opens: they wrote what the
     * form shows into the task, which the forms now read from the rows when opened ({@link FieldFormFacts}).
     */
    @Bean
    TaskListener listApplicationsListener() {
        return task -> {
        };
    }

    @Bean
    TaskListener showSubmissionListener() {
        return task -> {
        };
    }

    @Bean
    TaskListener showHoldListener() {
        return task -> {
        };
    }

    @Bean
    TaskListener showProposalListener() {
        return task -> {
        };
    }

    @Bean
    ExecutionListener checkAnswerListener(FieldPublishingSteps steps) {
        return steps::checkAnswer;
    }

    @Bean
    ExecutionListener checkChoiceListener(FieldPublishingSteps steps) {
        return steps::checkChoice;
    }

    @Bean
    ExecutionListener checkConfirmationListener(FieldWorkSteps steps) {
        return steps::checkConfirmation;
    }

    @Bean
    ExecutionListener checkCheckInListener(FieldWorkSteps steps) {
        return steps::checkCheckIn;
    }

    @Bean
    ExecutionListener checkCheckOutListener(FieldWorkSteps steps) {
        return steps::checkCheckOut;
    }

    @Bean
    ExecutionListener checkSubmissionListener(FieldWorkSteps steps) {
        return steps::checkSubmission;
    }

    @Bean
    ExecutionListener checkFieldRequestDecisionListener(FieldChangeSteps steps) {
        return steps::checkRequestDecision;
    }

    @Bean
    ExecutionListener checkReviewListener(FieldReviewSteps steps) {
        return steps::checkReview;
    }

    @Bean
    ExecutionListener checkHoldRemovalListener(FieldChangeSteps steps) {
        return steps::checkHoldRemoval;
    }

    @Bean
    ExecutionListener checkRescheduleAnswerListener(FieldChangeSteps steps) {
        return steps::checkRescheduleAnswer;
    }

    @Bean
    ExecutionListener checkFastFundsListener(FieldReviewSteps steps) {
        return steps::checkFastFunds;
    }

    /** On the message start of "Worker request": the sender must be the assigned worker. */
    @Bean
    ExecutionListener acceptWorkerRequestListener(FieldChangeSteps steps) {
        return steps::acceptWorkerRequest;
    }

    /** On the hold message: the sender must be a member of the company. */
    @Bean
    ExecutionListener acceptHoldListener(FieldChangeSteps steps) {
        return steps::acceptHold;
    }

    /** On the cancel message: the sender must be a member of the company. */
    @Bean
    ExecutionListener acceptCancelListener(FieldChangeSteps steps) {
        return steps::acceptCancel;
    }

    /** On the hold and cancel messages the status refuses: 403 for anybody but the company, 409 for the company. */
    @Bean
    ExecutionListener checkClientMessageListener(FieldChangeSteps steps) {
        return steps::checkClientMessage;
    }
}
