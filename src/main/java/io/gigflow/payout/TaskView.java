package io.gigflow.payout;

import java.time.OffsetDateTime;
import org.springframework.lang.Nullable;

/** A task as its parties see it through the API; amounts as decimal strings. */
public record TaskView(String ref, String companyId, String contractorId, String title, @Nullable String description,
        String amount, String currency, TaskStatus status, @Nullable String decision, @Nullable String declineReason,
        @Nullable String sendRefusal, OffsetDateTime createdAt, String createdBy, OffsetDateTime updatedAt) {

    static TaskView of(PayoutTask t) {
        return new TaskView(t.ref(), t.companyId(), t.contractorId(), t.title(), t.description(), t.amount().toDecimalString(),
                t.amount().currencyCode(), t.status(), t.decision(), t.declineReason(), t.sendRefusal(), t.createdAt(),
                t.createdBy(), t.updatedAt());
    }
}
