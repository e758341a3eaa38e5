package io.gigflow.milestone;

import java.time.OffsetDateTime;
import org.springframework.lang.Nullable;

/** A milestone's payment as the company and the contractor see it; {@code refusal} says why the last attempt to pay failed. */
public record PaymentView(long id, String milestoneRef, String title, String companyId, String contractorId, String amount,
        String currency, PaymentStatus status, @Nullable String refusal, OffsetDateTime createdAt,
        @Nullable OffsetDateTime paidAt, @Nullable String paidBy) {

    static PaymentView of(MilestonePayment p) {
        return p == null ? null : new PaymentView(p.id(), p.milestoneRef(), p.title(), p.companyId(), p.contractorId(),
                p.amount().toDecimalString(), p.amount().currencyCode(), p.status(),
                p.status() == PaymentStatus.PAID ? null : p.refusal(), MilestoneView.utc(p.createdAt()),
                MilestoneView.utc(p.paidAt()), p.paidBy());
    }
}
