package io.gigflow.milestone;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.lang.Nullable;

/**
 * A milestone as its parties see it through the API; amounts as decimal strings, times in UTC.
 * {@code submissions} only in the answer for one milestone, not in lists.
 */
public record MilestoneView(String ref, String companyId, String contractorId, String title, @Nullable String description,
        OffsetDateTime deadline, boolean overdue, String amount, String currency, MilestoneStatus status,
        int autoApproveAfterDays, @Nullable FileView attachment, @Nullable String rejectionReason,
        @Nullable List<SubmissionView> submissions, @Nullable PaymentView payment, OffsetDateTime createdAt, String createdBy,
        OffsetDateTime updatedAt, @Nullable OffsetDateTime approvedAt) {

    /** A stored file: download it from {@code href}. */
    public record FileView(long id, String kind, String fileName, String contentType, int sizeBytes, String sha256,
            String uploadedBy, OffsetDateTime uploadedAt, String href) {

        static FileView of(String ref, MilestoneFile f) {
            return f == null ? null : new FileView(f.id(), f.kind().name(), f.fileName(), f.contentType(), f.sizeBytes(),
                    f.sha256(), f.uploadedBy(), utc(f.uploadedAt()), "/api/milestones/" + ref + "/files/" + f.id());
        }
    }

    /** One time the contractor marked the milestone completed, and the decision on it. */
    public record SubmissionView(int number, String note, @Nullable FileView deliverable, String submittedBy,
            OffsetDateTime submittedAt, @Nullable String decision, @Nullable String reason, boolean automatic,
            @Nullable String decidedBy, @Nullable OffsetDateTime decidedAt) {
    }

    /** Pending (IN_PROGRESS and SUBMITTED) and approved milestones, newest first, as list views show them. */
    public record Grouped(List<MilestoneView> pending, List<MilestoneView> approved) {
    }

    static MilestoneView of(Milestone m, MilestoneFile attachment, List<SubmissionView> submissions, PaymentView payment,
            OffsetDateTime now) {
        return new MilestoneView(m.ref(), m.companyId(), m.contractorId(), m.title(), m.description(), utc(m.deadline()),
                m.status().isPending() && now.isAfter(m.deadline()), m.amount().toDecimalString(), m.amount().currencyCode(),
                m.status(), m.autoApproveAfterDays() == null ? 0 : m.autoApproveAfterDays(), FileView.of(m.ref(), attachment),
                m.rejectionReason(), submissions, payment, utc(m.createdAt()), m.createdBy(), utc(m.updatedAt()),
                utc(m.approvedAt()));
    }

    static OffsetDateTime utc(OffsetDateTime time) {
        return time == null ? null : time.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
