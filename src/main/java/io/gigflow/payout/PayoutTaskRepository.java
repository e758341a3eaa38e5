package io.gigflow.payout;

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
import org.springframework.stereotype.Repository;

@Repository
class PayoutTaskRepository {

    record TaskEvent(OffsetDateTime at, String actor, String event, String detail) {
    }

    private static final String COLUMNS = """
            id, ref, company_id, contractor_id, title, description, amount, currency, status, process_instance_id,
            decision, decline_reason, send_refusal, created_at, created_by, updated_at, draft_decision, decided_by, cancelled_by,
            acceptance_reminder""";

    private final JdbcClient jdbc;
    private final Sequences sequences;

    PayoutTaskRepository(JdbcClient jdbc, Sequences sequences) {
        this.sequences = sequences;
        this.jdbc = jdbc;
    }

    String nextRef() {
        return "T-" + sequences.next("payout_task_ref_seq");
    }

    boolean refExists(String ref) {
        return jdbc.sql("select count(*) from payout_task where ref = :ref").param("ref", ref).query(Integer.class).single() > 0;
    }

    /** draftDecision: SEND when the company publishes automatically, otherwise null until a member reviews the draft. */
    long insert(String ref, TaskInput input, String draftDecision, String processInstanceId, String createdBy, OffsetDateTime now) {
        jdbc.sql("""
                insert into payout_task (ref, company_id, contractor_id, title, description, amount, currency, status,
                    process_instance_id, created_at, created_by, updated_at, draft_decision, acceptance_reminder)
                values (:ref, :company, :contractor, :title, :description, :amount, :currency, 'DRAFT',
                    :pi, :now, :by, :now, :draftDecision, :reminder)""")
                .param("ref", ref).param("company", input.companyId()).param("contractor", input.contractorId())
                .param("title", input.title()).param("description", input.description()).param("amount", input.amount().amount())
                .param("currency", input.amount().currencyCode()).param("pi", processInstanceId).param("now", now)
                .param("by", createdBy).param("draftDecision", draftDecision).param("reminder", input.acceptanceReminder())
                .update();
        return jdbc.sql("select id from payout_task where ref = :ref").param("ref", ref).query(Long.class).single();
    }

    Optional<PayoutTask> find(String ref) {
        return jdbc.sql("select " + COLUMNS + " from payout_task where ref = :ref").param("ref", ref)
                .query(PayoutTaskRepository::map).optional();
    }

    Optional<PayoutTask> findByProcessInstance(String processInstanceId) {
        return jdbc.sql("select " + COLUMNS + " from payout_task where process_instance_id = :pi").param("pi", processInstanceId)
                .query(PayoutTaskRepository::map).optional();
    }

    /** Reads the task and locks its row until the transaction ends: steps that change it serialise here. */
    Optional<PayoutTask> lock(String ref) {
        return jdbc.sql("select " + COLUMNS + " from payout_task where ref = :ref for update").param("ref", ref)
                .query(PayoutTaskRepository::map).optional();
    }

    List<PayoutTask> findAll(Collection<String> refs) {
        if (refs.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from payout_task where ref in (:refs)").param("refs", refs)
                .query(PayoutTaskRepository::map).list();
    }

    List<PayoutTask> ofCompany(String companyId, TaskStatus status, int offset, int limit) {
        return page("company_id = :owner", companyId, status, offset, limit);
    }

    /** A contractor's tasks, without drafts and deleted ones (the company's alone). */
    List<PayoutTask> ofContractor(String contractorId, TaskStatus status, int offset, int limit) {
        return page("contractor_id = :owner and status not in ('DRAFT', 'DELETED')", contractorId, status, offset, limit);
    }

    private List<PayoutTask> page(String ownerCondition, String owner, TaskStatus status, int offset, int limit) {
        return jdbc.sql("select " + COLUMNS + " from payout_task where " + ownerCondition
                        + (status == null ? "" : " and status = :status")
                        + " order by id desc offset :offset rows fetch next :limit rows only")
                .param("owner", owner).param("status", status == null ? null : status.name())
                .param("offset", offset).param("limit", limit)
                .query(PayoutTaskRepository::map).list();
    }

    void updateStatus(String ref, TaskStatus status, OffsetDateTime now) {
        jdbc.sql("update payout_task set status = :status, updated_at = :now where ref = :ref")
                .param("status", status.name()).param("now", now).param("ref", ref).update();
    }

    void recordSendRefusal(String ref, String refusal, OffsetDateTime now) {
        jdbc.sql("update payout_task set send_refusal = :refusal, updated_at = :now where ref = :ref")
                .param("refusal", refusal).param("now", now).param("ref", ref).update();
    }

    void recordDecision(String ref, String decision, String declineReason, String decidedBy, OffsetDateTime now) {
        jdbc.sql("""
                update payout_task set decision = :decision, decline_reason = :reason, decided_by = :by, updated_at = :now
                where ref = :ref""")
                .param("decision", decision).param("reason", declineReason).param("by", decidedBy).param("now", now)
                .param("ref", ref).update();
    }

    /** SEND or DELETE for a draft under review; null when the draft waits for a review again. */
    void recordDraftDecision(String ref, String draftDecision, OffsetDateTime now) {
        jdbc.sql("update payout_task set draft_decision = :decision, updated_at = :now where ref = :ref")
                .param("decision", draftDecision).param("now", now).param("ref", ref).update();
    }

    void recordCancellation(String ref, String cancelledBy, OffsetDateTime now) {
        jdbc.sql("update payout_task set cancelled_by = :by, updated_at = :now where ref = :ref")
                .param("by", cancelledBy).param("now", now).param("ref", ref).update();
    }

    /** Changes a draft; false when the task is no longer a draft (checked in the same statement). */
    boolean updateDraft(String ref, String title, String description, Money amount, OffsetDateTime now) {
        return jdbc.sql("""
                update payout_task set title = :title, description = :description, amount = :amount, currency = :currency,
                    updated_at = :now where ref = :ref and status = 'DRAFT'""")
                .param("title", title).param("description", description).param("amount", amount.amount())
                .param("currency", amount.currencyCode()).param("now", now).param("ref", ref).update() == 1;
    }

    void addEvent(long taskId, OffsetDateTime at, String actor, String event, String detail) {
        jdbc.sql("insert into payout_task_event (task_id, at, actor, event, detail) values (:task, :at, :actor, :event, :detail)")
                .param("task", taskId).param("at", at).param("actor", actor).param("event", event).param("detail", detail)
                .update();
    }

    List<TaskEvent> events(long taskId) {
        return jdbc.sql("select at, actor, event, detail from payout_task_event where task_id = :task order by id")
                .param("task", taskId)
                .query((rs, n) -> new TaskEvent(rs.getObject("at", OffsetDateTime.class), rs.getString("actor"),
                        rs.getString("event"), rs.getString("detail")))
                .list();
    }

    static Money money(BigDecimal stored, String currencyCode) {
        Currency currency = Currencies.parse(currencyCode);
        return new Money(stored.setScale(currency.getDefaultFractionDigits(), RoundingMode.UNNECESSARY), currency);
    }

    private static PayoutTask map(ResultSet rs, int row) throws SQLException {
        return new PayoutTask(rs.getLong("id"), rs.getString("ref"), rs.getString("company_id"), rs.getString("contractor_id"),
                rs.getString("title"), rs.getString("description"), money(rs.getBigDecimal("amount"), rs.getString("currency")),
                TaskStatus.valueOf(rs.getString("status")), rs.getString("process_instance_id"), rs.getString("decision"),
                rs.getString("decline_reason"), rs.getString("send_refusal"), rs.getObject("created_at", OffsetDateTime.class),
                rs.getString("created_by"), rs.getObject("updated_at", OffsetDateTime.class), rs.getString("draft_decision"),
                rs.getString("decided_by"), rs.getString("cancelled_by"), rs.getString("acceptance_reminder"));
    }
}
