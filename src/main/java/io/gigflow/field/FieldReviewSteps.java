package io.gigflow.field;

import static io.gigflow.field.FieldAssignmentProcess.*;
import static io.gigflow.field.FieldInputs.dropOutsideInputs;
import static io.gigflow.field.FieldInputs.oneOf;
import static io.gigflow.field.FieldPublishingSteps.CUSTOM_FIELD;
import static io.gigflow.field.FieldPublishingSteps.DELIVERABLE;

import io.gigflow.document.DocumentRequest;
import io.gigflow.document.DocumentService;
import io.gigflow.identity.CurrentUser;
import io.gigflow.identity.Parties;
import io.gigflow.ledger.AccountRef;
import io.gigflow.ledger.InsufficientBalanceException;
import io.gigflow.ledger.Ledger;
import io.gigflow.notification.NotificationService;
import io.gigflow.shared.FaultInjector;
import io.gigflow.shared.FieldErrors;
import io.gigflow.shared.InvalidInputException;
import io.gigflow.shared.Money;
import io.gigflow.shared.TimeSource;
import io.gigflow.shared.UnprocessableException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.springframework.stereotype.Service;

/**
 * PENDING_APPROVAL to PAID: the client's review (with its escalation), the approval that moves
 * the invoice total into escrow, the invoice, and the payment on the payment date or at once for
 * the FastFunds fee. Every money step asks {@link FieldGuard} whether the row's state justifies it.
 */
@Service
class FieldReviewSteps {

    private final FieldAssignmentRepository assignments;
    private final FieldGuard guard;
    private final FieldSettings settings;
    private final Parties parties;
    private final Ledger ledger;
    private final NotificationService notifications;
    private final DocumentService documents;
    private final FaultInjector faults;
    private final CurrentUser currentUser;
    private final TimeSource time;

    FieldReviewSteps(FieldAssignmentRepository assignments, FieldGuard guard, FieldSettings settings, Parties parties, Ledger ledger,
            NotificationService notifications, DocumentService documents, FaultInjector faults, CurrentUser currentUser,
            TimeSource time) {
        this.assignments = assignments;
        this.guard = guard;
        this.settings = settings;
        this.parties = parties;
        this.ledger = ledger;
        this.notifications = notifications;
        this.documents = documents;
        this.faults = faults;
        this.currentUser = currentUser;
        this.time = time;
    }

    String submissionText(FieldAssignment assignment) {
        StringBuilder text = new StringBuilder();
        if (assignment.checkInRequired()) {
            text.append("Checked in: ").append(orNot(assignment.checkedInAt())).append('\n');
            text.append("Checked out: ").append(orNot(assignment.checkedOutAt())).append('\n');
        } else {
            text.append("Check-in not required (work began at the scheduled start)\n");
        }
        text.append("Submitted: ").append(orNot(assignment.submittedAt())).append('\n');
        Map<String, String> handedIn = new LinkedHashMap<>();
        assignments.items(assignment.id()).forEach(item -> handedIn.put(item.kind() + ":" + item.name(), item.value()));
        List<FieldAssignmentRepository.Requirement> required = assignments.requirements(assignment.id());
        for (String kind : List.of(DELIVERABLE, CUSTOM_FIELD)) {
            List<FieldAssignmentRepository.Requirement> ofKind = required.stream().filter(r -> r.kind().equals(kind)).toList();
            text.append(kind.equals(DELIVERABLE) ? "Deliverables:" : "Custom fields:").append(ofKind.isEmpty() ? " none required\n" : "\n");
            ofKind.forEach(r -> text.append("- ").append(r.name()).append(": ")
                    .append(handedIn.getOrDefault(r.kind() + ":" + r.name(), "(missing)")).append('\n'));
        }
        text.append("Price: ").append(assignment.price()).append('\n');
        List<FieldAssignmentRepository.Request> approved = assignments.requests(assignment).stream()
                .filter(r -> "APPROVED".equals(r.status())).toList();
        text.append("Approved requests:").append(approved.isEmpty() ? " none\n" : "\n");
        approved.forEach(r -> text.append("- #").append(r.id()).append(' ').append(r.kind())
                .append(r.amount() == null ? "" : " " + r.amount())
                .append(r.newStart() == null ? "" : " " + r.newStart() + " to " + r.newEnd())
                .append(r.reason() == null ? "" : " (" + r.reason() + ")").append('\n'));
        text.append("Invoice total if approved now: ").append(invoiceTotal(assignment));
        return text.toString();
    }

    private static String orNot(OffsetDateTime at) {
        return at == null ? "not yet" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    void escalateApproval(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        if (assignment.status() != FieldStatus.PENDING_APPROVAL) {
            return;
        }
        List<String> recipients = new ArrayList<>(parties.companyMembers(assignment.companyId()).stream().map(Parties.Person::id).toList());
        recipients.add(assignment.workerId());
        assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "APPROVAL_ESCALATED", "submitted " + assignment.submittedAt());
        notifications.notifyAll(recipients, "APPROVAL_OVERDUE", assignment.reference(), execution.getActivityInstanceId(),
                FieldNotices.notice(parties, assignment, "field/approval-overdue").with("submittedAt", assignment.submittedAt())
                        .taskOf(execution.getProcessInstanceId()));
    }

    /** The client's decision, by a member of the company, recorded in the row: the gateway after the step reads it there. */
    void checkReview(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldAssignment assignment = locked(execution);
        guard.review(assignment, by());
        FieldErrors errors = new FieldErrors();
        String decision = oneOf(errors, VAR_REVIEW_DECISION, execution.getVariable(VAR_REVIEW_DECISION), APPROVE, NOT_SATISFIED);
        String reason = errors.optionalText(VAR_NOT_SATISFIED_REASON, execution.getVariable(VAR_NOT_SATISFIED_REASON), 1000);
        if (NOT_SATISFIED.equals(decision) && reason == null && errors.isEmpty()) {
            errors.add(VAR_NOT_SATISFIED_REASON, "required", "is required when not satisfied");
        }
        errors.throwIfAny("Invalid review");
        assignments.update(assignment.id(), "review_decision = :decision, review_reason = :reason", time.now(), "decision", decision,
                "reason", NOT_SATISFIED.equals(decision) ? reason : null);
        dropOutsideInputs(execution);
    }

    /**
     * Approved: the invoice total (price plus approved budget increases, expenses and bonuses)
     * moves from the client's balance into escrow at once; when the balance is short the
     * approval is refused (422) and nothing changes.
     */
    void approveAssignment(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.approve(assignment, by());
        Money total = invoiceTotal(assignment);
        try {
            ledger.transfer(assignment.reference() + ":reserve", AccountRef.company(assignment.companyId()),
                    AccountRef.escrow(assignment.reference()), total, "Assignment " + assignment.ref() + " approved: " + assignment.title());
        } catch (InsufficientBalanceException e) {
            throw new UnprocessableException("Not approved: the company's balance holds " + e.available() + ", the invoice total is "
                    + total + "; short by " + total.minus(e.available()) + ". Top up and approve again.");
        }
        OffsetDateTime now = time.now();
        OffsetDateTime dueAt = now.plusDays(assignment.paymentTermsDays());
        assignments.update(assignment.id(), "status = 'APPROVED', approved_at = :at, invoice_total = :total, invoice_date = :date,"
                        + " payment_due_on = :due, payment_due_at = :dueAt", now, "at", now, "total", total.amount(),
                "date", now.toLocalDate(), "due", dueAt.toLocalDate(), "dueAt", dueAt);
        assignments.addEvent(assignment.id(), now, currentUser.actor(), "APPROVED", total + ", payment due " + dueAt.toLocalDate());
        execution.setVariable(VAR_STATUS, FieldStatus.APPROVED.name());
    }

    Money invoiceTotal(FieldAssignment assignment) {
        Money total = assignment.price();
        for (FieldAssignmentRepository.Request request : assignments.requests(assignment)) {
            if ("APPROVED".equals(request.status()) && request.amount() != null) {
                total = total.plus(request.amount());
            }
        }
        return total;
    }

    /** "Not satisfied": the work goes back to IN_PROGRESS with the client's reason. */
    void sendBack(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        guard.sendBack(assignment, by());
        assignments.update(assignment.id(), "status = 'IN_PROGRESS'", time.now());
        assignments.addEvent(assignment.id(), time.now(), currentUser.actor(), "NOT_SATISFIED", assignment.reviewReason());
        execution.setVariable(VAR_STATUS, FieldStatus.IN_PROGRESS.name());
    }

    void issueInvoice(DelegateExecution execution) {
        FieldAssignment assignment = locked(execution);
        String companyName = parties.companyName(assignment.companyId());
        String workerName = parties.personName(assignment.workerId());
        documents.issue(new DocumentRequest("INVOICE", assignment.reference(), "Invoice",
                assignment.companyId(), companyName, assignment.workerId(), workerName, assignment.title(), assignment.invoiceTotal(),
                assignment.invoiceDate(), List.of("Issued on behalf of " + workerName + " to " + companyName + ".",
                        "Payment terms: " + assignment.paymentTermsDays() + " days; payment date " + assignment.paymentDueOn() + ".",
                        "Reference " + assignment.reference())));
    }

    /** The worker asks to be paid now: only the assigned, eligible worker of an APPROVED assignment; the row records it. */
    void checkFastFunds(DelegateExecution execution) {
        if (execution.isCanceled()) {
            return;
        }
        FieldAssignment assignment = locked(execution);
        guard.fastFunds(assignment, by());
        if (!Boolean.TRUE.equals(execution.getVariable(VAR_FAST_FUNDS))) {
            throw InvalidInputException.of("Invalid request", VAR_FAST_FUNDS, "true", "must be true to be paid at once");
        }
        assignments.update(assignment.id(), "fast_funds_requested_at = :at", time.now(), "at", time.now());
        dropOutsideInputs(execution);
    }

    /** The escrow goes to the worker: on the payment date, or at once for the FastFunds fee. */
    void payWorker(DelegateExecution execution, boolean fastFunds) {
        FieldAssignment assignment = locked(execution);
        guard.payOut(assignment, fastFunds, time.now());
        faults.check(FaultInjector.LEDGER_TRANSFER);
        Money total = assignment.invoiceTotal();
        Money fee = fastFunds ? fastFundsFee(total) : Money.zero(total.currency());
        if (fee.isPositive()) {
            ledger.transfer(assignment.reference() + ":fast-funds-fee", AccountRef.escrow(assignment.reference()), AccountRef.platform(),
                    fee, "FastFunds fee for assignment " + assignment.ref());
        }
        ledger.transfer(assignment.reference() + ":payout", AccountRef.escrow(assignment.reference()), AccountRef.user(assignment.workerId()),
                total.minus(fee), "Assignment " + assignment.ref() + " paid" + (fastFunds ? " (FastFunds)" : "") + ": " + assignment.title());
        if (assignment.status() != FieldStatus.PAID) {
            OffsetDateTime now = time.now();
            assignments.update(assignment.id(), "status = 'PAID', paid_at = :at, fast_funds_fee = :fee", now, "at", now,
                    "fee", fastFunds ? fee.amount() : null);
            assignments.addEvent(assignment.id(), now, currentUser.actor(), "PAID", total.minus(fee) + " to " + assignment.workerId()
                    + (fastFunds ? " (FastFunds, fee " + fee + ")" : ""));
        }
        execution.setVariable(VAR_STATUS, FieldStatus.PAID.name());
    }

    Money fastFundsFee(Money total) {
        BigDecimal fee = total.amount().multiply(settings.fastFundsFeePercent()).divide(BigDecimal.valueOf(100),
                total.currency().getDefaultFractionDigits(), RoundingMode.HALF_UP);
        return new Money(fee, total.currency());
    }

    private String by() {
        return currentUser.id().orElse(null);
    }

    private FieldAssignment locked(DelegateExecution execution) {
        return assignments.lockFor(execution.getProcessBusinessKey(), execution.getProcessInstanceId());
    }
}
