package io.gigflow.milestone;

import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.shared.FieldErrors;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.MismatchingMessageCorrelationException;
import org.camunda.bpm.engine.OptimisticLockingException;
import org.camunda.bpm.engine.RuntimeService;
import org.springframework.stereotype.Service;
import io.gigflow.shared.Transactions;

/**
 * "Pay Contractor": a company's drafted milestone payments and paying them. Each payment is paid
 * in its own transaction through its process (message MilestonePaymentRequested), so one
 * payment the balance does not cover refuses only itself, and moves nothing. A payment that
 * collides with a background step of its milestone (the approval notice) is tried again.
 */
@Service
public class MilestonePaymentService {

    /** The most payments one request may pay. */
    public static final int MAX_PAYMENTS = 500;

    public record PayResult(int paid, int refused, List<PayOutcome> results) {
    }

    private final MilestonePaymentRepository payments;
    private final Parties parties;
    private final CurrentUser currentUser;
    private final RuntimeService runtimeService;
    private final Transactions transactions;

    MilestonePaymentService(MilestonePaymentRepository payments, Parties parties, CurrentUser currentUser,
            RuntimeService runtimeService, Transactions transactions) {
        this.payments = payments;
        this.parties = parties;
        this.currentUser = currentUser;
        this.runtimeService = runtimeService;
        this.transactions = transactions;
    }

    public List<PaymentView> companyPayments(String companyId, PaymentStatus status, String contractorId, int offset, int limit) {
        parties.requireMembership(currentUser.require(), companyId);
        return payments.ofCompany(companyId, status, contractorId, offset, limit).stream().map(PaymentView::of).toList();
    }

    /** The signed-in contractor's payments, drafted and paid. */
    public List<PaymentView> myPayments(PaymentStatus status, int offset, int limit) {
        return payments.ofContractor(currentUser.require(), status, offset, limit).stream().map(PaymentView::of).toList();
    }

    /** Pays the selected payments of the company, each in its own transaction; the outcome of each says how it went. */
    public PayResult pay(String companyId, List<Long> paymentIds) {
        parties.requireMembership(currentUser.require(), companyId);
        FieldErrors errors = new FieldErrors();
        if (paymentIds == null || paymentIds.isEmpty()) {
            errors.add("paymentIds", "required", "must name at least one payment");
        } else if (paymentIds.size() > MAX_PAYMENTS) {
            errors.add("paymentIds", "size", "must name at most " + MAX_PAYMENTS + " payments, not " + paymentIds.size());
        } else {
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < paymentIds.size(); i++) {
                Long id = paymentIds.get(i);
                if (id == null) {
                    errors.add("paymentIds[" + i + "]", "required", "must be a payment id");
                } else if (!seen.add(id)) {
                    errors.add("paymentIds[" + i + "]", "unique", id + " is listed twice");
                }
            }
        }
        errors.throwIfAny("Invalid payment request");
        List<PayOutcome> results = new ArrayList<>();
        for (long id : paymentIds) {
            PayOutcome outcome;
            try {
                outcome = transactions.retryingOnConcurrentChange(() -> payOne(companyId, id));
            } catch (OptimisticLockingException e) {
                outcome = new PayOutcome(id, null, PayOutcome.Result.CONFLICT,
                        "Changed by somebody else at the same moment; try again", null);
            }
            results.add(outcome);
        }
        int paid = (int) results.stream().filter(r -> r.result() == PayOutcome.Result.PAID).count();
        return new PayResult(paid, results.size() - paid, results);
    }

    private PayOutcome payOne(String companyId, long id) {
        MilestonePayment payment = payments.lock(id).filter(p -> p.companyId().equals(companyId)).orElse(null);
        if (payment == null) {
            return new PayOutcome(id, null, PayOutcome.Result.NOT_FOUND, "No payment " + id + " of company " + companyId, null);
        }
        if (payment.status() == PaymentStatus.PAID) {
            return new PayOutcome(id, payment.milestoneRef(), PayOutcome.Result.ALREADY_PAID,
                    "Paid already on " + MilestoneSteps.when(payment.paidAt()), payment.status());
        }
        try {
            runtimeService.createMessageCorrelation(ContractorMilestoneProcess.MESSAGE_PAYMENT_REQUESTED)
                    .processInstanceId(payment.processInstanceId()).correlateWithResult();
        } catch (MismatchingMessageCorrelationException e) {
            return new PayOutcome(id, payment.milestoneRef(), PayOutcome.Result.CONFLICT,
                    "Milestone " + payment.milestoneRef() + " is not awaiting payment now; try again", payment.status());
        }
        MilestonePayment after = payments.find(id).orElseThrow();
        if (after.status() == PaymentStatus.PAID) {
            return new PayOutcome(id, after.milestoneRef(), PayOutcome.Result.PAID,
                    "Paid " + after.amount() + " to " + after.contractorId(), after.status());
        }
        return new PayOutcome(id, after.milestoneRef(), PayOutcome.Result.INSUFFICIENT_BALANCE, after.refusal(), after.status());
    }
}
