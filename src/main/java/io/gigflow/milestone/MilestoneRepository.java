package io.gigflow.milestone;

import io.gigflow.shared.Sequences;
import io.gigflow.shared.Currencies;
import io.gigflow.shared.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;

/** Milestones, their files, submissions and history. */
@Repository
class MilestoneRepository {

    record MilestoneEvent(OffsetDateTime at, String actor, String event, String detail) {
    }

    private static final String COLUMNS = """
            id, ref, company_id, contractor_id, title, description, deadline, deadline_revision, amount, currency, status,
            auto_approve_after_days, attachment_file_id, rejection_reason, process_instance_id, created_at, created_by,
            updated_at, approved_at, deadline_reminder""";

    private static final String FILE_COLUMNS = "id, milestone_id, kind, file_name, content_type, size_bytes, sha256, uploaded_by, uploaded_at";

    private static final String SUBMISSION_COLUMNS = """
            id, milestone_id, number, note, deliverable_file_id, submitted_by, submitted_at, decision, reason, automatic,
            decided_by, decided_at""";

    private final JdbcClient jdbc;
    private final Sequences sequences;

    MilestoneRepository(JdbcClient jdbc, Sequences sequences) {
        this.sequences = sequences;
        this.jdbc = jdbc;
    }

    String nextRef() {
        return "M-" + sequences.next("milestone_ref_seq");
    }

    boolean refExists(String ref) {
        return jdbc.sql("select count(*) from milestone where ref = :ref").param("ref", ref).query(Integer.class).single() > 0;
    }

    long insert(String ref, MilestoneInput input, int autoApproveAfterDays, String deadlineReminder, String processInstanceId,
            String createdBy, OffsetDateTime now) {
        jdbc.sql("""
                insert into milestone (ref, company_id, contractor_id, title, description, deadline, deadline_revision, amount,
                    currency, status, auto_approve_after_days, deadline_reminder, process_instance_id, created_at, created_by,
                    updated_at)
                values (:ref, :company, :contractor, :title, :description, :deadline, 1, :amount, :currency, 'IN_PROGRESS',
                    :autoDays, :reminder, :pi, :now, :by, :now)""")
                .param("ref", ref).param("company", input.companyId()).param("contractor", input.contractorId())
                .param("title", input.title()).param("description", input.description()).param("deadline", input.deadline())
                .param("amount", input.amount().amount()).param("currency", input.amount().currencyCode())
                .param("autoDays", autoApproveAfterDays).param("reminder", deadlineReminder).param("pi", processInstanceId)
                .param("now", now)
                .param("by", createdBy)
                .update();
        return jdbc.sql("select id from milestone where ref = :ref").param("ref", ref).query(Long.class).single();
    }

    Optional<Milestone> find(String ref) {
        return jdbc.sql("select " + COLUMNS + " from milestone where ref = :ref").param("ref", ref)
                .query(MilestoneRepository::map).optional();
    }

    Optional<Milestone> findByProcessInstance(String processInstanceId) {
        return jdbc.sql("select " + COLUMNS + " from milestone where process_instance_id = :pi").param("pi", processInstanceId)
                .query(MilestoneRepository::map).optional();
    }

    /** Reads the milestone and locks its row until the transaction ends: whatever changes it serialises here. */
    Optional<Milestone> lock(String ref) {
        return jdbc.sql("select " + COLUMNS + " from milestone where ref = :ref for update").param("ref", ref)
                .query(MilestoneRepository::map).optional();
    }

    /** Milestones of a company and/or a contractor (null: any) in the given statuses, newest first. */
    List<Milestone> list(String companyId, String contractorId, Collection<MilestoneStatus> statuses, int offset, int limit) {
        StringBuilder where = new StringBuilder("status in (:statuses)");
        if (companyId != null) {
            where.append(" and company_id = :company");
        }
        if (contractorId != null) {
            where.append(" and contractor_id = :contractor");
        }
        return jdbc.sql("select " + COLUMNS + " from milestone where " + where
                        + " order by id desc offset :offset rows fetch next :limit rows only")
                .param("statuses", statuses.stream().map(Enum::name).toList())
                .param("company", companyId).param("contractor", contractorId)
                .param("offset", offset).param("limit", limit)
                .query(MilestoneRepository::map).list();
    }

    void updateStatus(long id, MilestoneStatus status, OffsetDateTime now) {
        jdbc.sql("update milestone set status = :status, updated_at = :now where id = :id")
                .param("status", status.name()).param("now", now).param("id", id).update();
    }

    void markApproved(long id, OffsetDateTime now) {
        jdbc.sql("update milestone set status = 'APPROVED', approved_at = :now, updated_at = :now where id = :id")
                .param("now", now).param("id", id).update();
    }

    void recordRejection(long id, String reason, OffsetDateTime now) {
        jdbc.sql("update milestone set status = 'IN_PROGRESS', rejection_reason = :reason, updated_at = :now where id = :id")
                .param("reason", reason).param("now", now).param("id", id).update();
    }

    /** Changes the terms of a pending milestone; false when it is no longer pending (checked in the same statement). */
    boolean updateTerms(long id, String title, String description, OffsetDateTime deadline, int deadlineRevision, Money amount,
            OffsetDateTime now) {
        return jdbc.sql("""
                update milestone set title = :title, description = :description, deadline = :deadline,
                    deadline_revision = :revision, amount = :amount, currency = :currency, updated_at = :now
                where id = :id and status in ('IN_PROGRESS', 'SUBMITTED')""")
                .param("title", title).param("description", description).param("deadline", deadline)
                .param("revision", deadlineRevision).param("amount", amount.amount()).param("currency", amount.currencyCode())
                .param("now", now).param("id", id).update() == 1;
    }

    void setAttachment(long id, Long fileId, OffsetDateTime now) {
        jdbc.sql("update milestone set attachment_file_id = :file, updated_at = :now where id = :id")
                .param("file", fileId).param("now", now).param("id", id).update();
    }

    // ---- files

    long insertFile(long milestoneId, MilestoneFile.Kind kind, FileInput.Upload upload, String uploadedBy, OffsetDateTime now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into milestone_file (milestone_id, kind, file_name, content_type, size_bytes, sha256, content,
                    uploaded_by, uploaded_at)
                values (:milestone, :kind, :name, :type, :size, :sha, :content, :by, :now)""")
                .param("milestone", milestoneId).param("kind", kind.name()).param("name", upload.fileName())
                .param("type", upload.contentType()).param("size", upload.content().length).param("sha", upload.sha256())
                .param("content", upload.content()).param("by", uploadedBy).param("now", now)
                .update(keys, "id");
        return keys.getKeyAs(Number.class).longValue();
    }

    Optional<MilestoneFile> file(long fileId) {
        return jdbc.sql("select " + FILE_COLUMNS + " from milestone_file where id = :id").param("id", fileId)
                .query(MilestoneRepository::mapFile).optional();
    }

    List<MilestoneFile> files(Collection<Long> fileIds) {
        if (fileIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + FILE_COLUMNS + " from milestone_file where id in (:ids)").param("ids", fileIds)
                .query(MilestoneRepository::mapFile).list();
    }

    List<MilestoneFile> files(long milestoneId) {
        return jdbc.sql("select " + FILE_COLUMNS + " from milestone_file where milestone_id = :milestone order by id")
                .param("milestone", milestoneId).query(MilestoneRepository::mapFile).list();
    }

    byte[] fileContent(long fileId) {
        return jdbc.sql("select content from milestone_file where id = :id").param("id", fileId)
                .query((rs, n) -> rs.getBytes(1)).single();
    }

    boolean fileInSubmission(long fileId) {
        return jdbc.sql("select count(*) from milestone_submission where deliverable_file_id = :file").param("file", fileId)
                .query(Integer.class).single() > 0;
    }

    // ---- submissions

    int insertSubmission(long milestoneId, String note, Long deliverableFileId, String submittedBy, OffsetDateTime now) {
        int number = jdbc.sql("select coalesce(max(number), 0) + 1 from milestone_submission where milestone_id = :milestone")
                .param("milestone", milestoneId).query(Integer.class).single();
        jdbc.sql("""
                insert into milestone_submission (milestone_id, number, note, deliverable_file_id, submitted_by, submitted_at)
                values (:milestone, :number, :note, :file, :by, :now)""")
                .param("milestone", milestoneId).param("number", number).param("note", note).param("file", deliverableFileId)
                .param("by", submittedBy).param("now", now).update();
        return number;
    }

    List<Submission> submissions(long milestoneId) {
        return jdbc.sql("select " + SUBMISSION_COLUMNS + " from milestone_submission where milestone_id = :milestone order by number")
                .param("milestone", milestoneId).query(MilestoneRepository::mapSubmission).list();
    }

    /** The submission in review (not decided yet), if any. */
    Optional<Submission> openSubmission(long milestoneId) {
        return jdbc.sql("select " + SUBMISSION_COLUMNS + " from milestone_submission where milestone_id = :milestone"
                        + " and decision is null order by number desc fetch first 1 rows only")
                .param("milestone", milestoneId).query(MilestoneRepository::mapSubmission).optional();
    }

    /** The newest submission, decided or not. */
    Optional<Submission> lastSubmission(long milestoneId) {
        return jdbc.sql("select " + SUBMISSION_COLUMNS + " from milestone_submission where milestone_id = :milestone"
                        + " order by number desc fetch first 1 rows only")
                .param("milestone", milestoneId).query(MilestoneRepository::mapSubmission).optional();
    }

    void decide(long submissionId, String decision, String reason, boolean automatic, String decidedBy, OffsetDateTime now) {
        jdbc.sql("""
                update milestone_submission set decision = :decision, reason = :reason, automatic = :automatic,
                    decided_by = :by, decided_at = :now where id = :id""")
                .param("decision", decision).param("reason", reason).param("automatic", automatic).param("by", decidedBy)
                .param("now", now).param("id", submissionId).update();
    }

    // ---- history

    void addEvent(long milestoneId, OffsetDateTime at, String actor, String event, String detail) {
        jdbc.sql("insert into milestone_event (milestone_id, at, actor, event, detail) values (:milestone, :at, :actor, :event, :detail)")
                .param("milestone", milestoneId).param("at", at).param("actor", actor).param("event", event)
                .param("detail", detail == null || detail.length() <= 1000 ? detail : detail.substring(0, 1000))
                .update();
    }

    List<MilestoneEvent> events(long milestoneId) {
        return jdbc.sql("select at, actor, event, detail from milestone_event where milestone_id = :milestone order by id")
                .param("milestone", milestoneId)
                .query((rs, n) -> new MilestoneEvent(rs.getObject("at", OffsetDateTime.class), rs.getString("actor"),
                        rs.getString("event"), rs.getString("detail")))
                .list();
    }

    static Money money(BigDecimal stored, String currencyCode) {
        Currency currency = Currencies.parse(currencyCode.strip());
        return new Money(stored.setScale(currency.getDefaultFractionDigits(), RoundingMode.UNNECESSARY), currency);
    }

    private static Milestone map(ResultSet rs, int row) throws SQLException {
        return new Milestone(rs.getLong("id"), rs.getString("ref"), rs.getString("company_id"), rs.getString("contractor_id"),
                rs.getString("title"), rs.getString("description"), rs.getObject("deadline", OffsetDateTime.class),
                rs.getInt("deadline_revision"), money(rs.getBigDecimal("amount"), rs.getString("currency")),
                MilestoneStatus.valueOf(rs.getString("status")), rs.getObject("auto_approve_after_days", Integer.class),
                rs.getObject("attachment_file_id", Long.class), rs.getString("rejection_reason"),
                rs.getString("process_instance_id"), rs.getObject("created_at", OffsetDateTime.class), rs.getString("created_by"),
                rs.getObject("updated_at", OffsetDateTime.class), rs.getObject("approved_at", OffsetDateTime.class),
                rs.getString("deadline_reminder"));
    }

    private static MilestoneFile mapFile(ResultSet rs, int row) throws SQLException {
        return new MilestoneFile(rs.getLong("id"), rs.getLong("milestone_id"), MilestoneFile.Kind.valueOf(rs.getString("kind")),
                rs.getString("file_name"), rs.getString("content_type"), rs.getInt("size_bytes"), rs.getString("sha256").strip(),
                rs.getString("uploaded_by"), rs.getObject("uploaded_at", OffsetDateTime.class));
    }

    private static Submission mapSubmission(ResultSet rs, int row) throws SQLException {
        return new Submission(rs.getLong("id"), rs.getLong("milestone_id"), rs.getInt("number"), rs.getString("note"),
                rs.getObject("deliverable_file_id", Long.class), rs.getString("submitted_by"),
                rs.getObject("submitted_at", OffsetDateTime.class), rs.getString("decision"), rs.getString("reason"),
                rs.getBoolean("automatic"), rs.getString("decided_by"), rs.getObject("decided_at", OffsetDateTime.class));
    }
}
