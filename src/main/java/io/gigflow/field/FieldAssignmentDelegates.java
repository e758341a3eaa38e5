package io.gigflow.field;

import io.gigflow.shared.ProcessInputs;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.delegate.TaskListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans that bpmn/field-assignment.bpmn (and the two action processes beside it) name in
 * their delegate expressions: thin doors into {@link FieldSteps} and {@link FieldActionSteps}.
 */
@Configuration
class FieldAssignmentDelegates {

    /** What a start, message and step of field-assignment may write; everything else is refused (400). */
    @Bean
    ProcessInputs fieldAssignmentInputs() {
        return ProcessInputs.of(FieldAssignmentProcess.KEY)
                .start(FieldAssignmentProcess.VAR_COMPANY_ID, FieldAssignmentProcess.VAR_TITLE, FieldAssignmentProcess.VAR_DESCRIPTION,
                        FieldAssignmentProcess.VAR_LOCATION, FieldAssignmentProcess.VAR_SCHEDULED_START,
                        FieldAssignmentProcess.VAR_SCHEDULED_END, FieldAssignmentProcess.VAR_BUDGET, FieldAssignmentProcess.VAR_CURRENCY,
                        FieldAssignmentProcess.VAR_PAYMENT_TERMS_DAYS, FieldAssignmentProcess.VAR_CHECK_IN_REQUIRED,
                        FieldAssignmentProcess.VAR_REQUIRED_DELIVERABLES, FieldAssignmentProcess.VAR_REQUIRED_CUSTOM_FIELDS,
                        FieldAssignmentProcess.VAR_CONTACT_NAME, FieldAssignmentProcess.VAR_CONTACT_PHONE,
                        FieldAssignmentProcess.VAR_CONTACT_EMAIL, FieldAssignmentProcess.VAR_CONFIRM_BEFORE)
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
    JavaDelegate publishAssignmentDelegate(FieldSteps steps) {
        return steps::publishAssignment;
    }

    @Bean
    JavaDelegate recordApplicationDelegate(FieldSteps steps) {
        return steps::recordApplication;
    }

    @Bean
    JavaDelegate recordAnswerDelegate(FieldSteps steps) {
        return steps::recordAnswer;
    }

    @Bean
    JavaDelegate assignWorkerDelegate(FieldSteps steps) {
        return steps::assignWorker;
    }

    @Bean
    JavaDelegate recordConfirmationDelegate(FieldSteps steps) {
        return steps::recordConfirmation;
    }

    /** Used twice: at check-in, or when the scheduled start passes; the input parameter trigger says which. */
    @Bean
    JavaDelegate beginFieldWorkDelegate(FieldSteps steps) {
        return execution -> steps.beginWork(execution, (String) execution.getVariableLocal("trigger"));
    }

    @Bean
    JavaDelegate markLateCheckInDelegate(FieldSteps steps) {
        return steps::markLate;
    }

    @Bean
    JavaDelegate recordCheckOutDelegate(FieldSteps steps) {
        return steps::recordCheckOut;
    }

    @Bean
    JavaDelegate markLateDeliverablesDelegate(FieldSteps steps) {
        return steps::markLateDeliverables;
    }

    @Bean
    JavaDelegate recordSubmissionDelegate(FieldSteps steps) {
        return steps::recordSubmission;
    }

    @Bean
    JavaDelegate escalateApprovalDelegate(FieldSteps steps) {
        return steps::escalateApproval;
    }

    @Bean
    JavaDelegate approveAssignmentDelegate(FieldSteps steps) {
        return steps::approveAssignment;
    }

    @Bean
    JavaDelegate sendBackDelegate(FieldSteps steps) {
        return steps::sendBack;
    }

    @Bean
    JavaDelegate issueInvoiceDelegate(FieldSteps steps) {
        return steps::issueInvoice;
    }

    /** Used twice: on the payment date, or at a FastFunds request; the input parameter fastFunds says which. */
    @Bean
    JavaDelegate payWorkerDelegate(FieldSteps steps) {
        return execution -> steps.payWorker(execution, "true".equals(String.valueOf(execution.getVariableLocal("fastFundsPayout"))));
    }

    @Bean
    JavaDelegate registerRequestDelegate(FieldSteps steps) {
        return steps::registerRequest;
    }

    @Bean
    JavaDelegate resolveRequestDelegate(FieldSteps steps) {
        return steps::resolveRequest;
    }

    @Bean
    JavaDelegate putOnHoldDelegate(FieldSteps steps) {
        return steps::putOnHold;
    }

    @Bean
    JavaDelegate requestRescheduleDelegate(FieldSteps steps) {
        return steps::requestReschedule;
    }

    @Bean
    JavaDelegate resumeAfterHoldDelegate(FieldSteps steps) {
        return steps::resumeAfterHold;
    }

    @Bean
    JavaDelegate removeWorkerDelegate(FieldSteps steps) {
        return steps::removeWorker;
    }

    @Bean
    JavaDelegate cancelAssignmentDelegate(FieldSteps steps) {
        return steps::cancelAssignment;
    }

    @Bean
    JavaDelegate refuseChangeDelegate(FieldSteps steps) {
        return steps::refuseChange;
    }

    /** Used by every notification step; the input parameter notice names the event. */
    @Bean
    JavaDelegate notifyFieldPartiesDelegate(FieldSteps steps) {
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

    @Bean
    TaskListener listApplicationsListener(FieldSteps steps) {
        return steps::listApplications;
    }

    /** On every human step of field-assignment: the task's name carries the assignment's reference and title. */
    @Bean
    TaskListener nameFieldTaskListener(FieldSteps steps) {
        return steps::nameTask;
    }

    @Bean
    TaskListener showSubmissionListener(FieldSteps steps) {
        return steps::showSubmission;
    }

    @Bean
    ExecutionListener checkAnswerListener(FieldSteps steps) {
        return steps::checkAnswer;
    }

    @Bean
    ExecutionListener checkChoiceListener(FieldSteps steps) {
        return steps::checkChoice;
    }

    @Bean
    ExecutionListener checkConfirmationListener(FieldSteps steps) {
        return steps::checkConfirmation;
    }

    @Bean
    ExecutionListener checkCheckInListener(FieldSteps steps) {
        return steps::checkCheckIn;
    }

    @Bean
    ExecutionListener checkCheckOutListener(FieldSteps steps) {
        return steps::checkCheckOut;
    }

    @Bean
    ExecutionListener checkSubmissionListener(FieldSteps steps) {
        return steps::checkSubmission;
    }

    @Bean
    ExecutionListener checkFieldRequestDecisionListener(FieldSteps steps) {
        return steps::checkRequestDecision;
    }

    @Bean
    ExecutionListener checkReviewListener(FieldSteps steps) {
        return steps::checkReview;
    }

    @Bean
    ExecutionListener checkHoldRemovalListener(FieldSteps steps) {
        return steps::checkHoldRemoval;
    }

    @Bean
    ExecutionListener checkRescheduleAnswerListener(FieldSteps steps) {
        return steps::checkRescheduleAnswer;
    }

    @Bean
    ExecutionListener checkFastFundsListener(FieldSteps steps) {
        return steps::checkFastFunds;
    }
}
