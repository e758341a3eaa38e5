package io.gigflow.milestone;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The payments that approvals drafted, read together with their milestone. */
@Repository
class MilestonePaymentRepository {

    private static final String SELECT = """
            select p.id, p.milestone_id, m.ref, m.title, p.company_id, p.contractor_id, p.amount, p.currency, p.status,
                   p.refusal, p.created_at, p.paid_at, p.paid_by, m.process_instance_id
            from milestone_payment p join milestone m on m.id = p.milestone_id""";

    private final JdbcClient jdbc;

    MilestonePaymentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Drafts the milestone's payment unless it exists: an approval step that runs again drafts nothing new. */
    MilestonePayment draft(Milestone milestone, OffsetDateTime now) {
        Optional<MilestonePayment> existing = ofMilestone(milestone.id());
        if (existing.isPresent()) {
            return existing.get();
        }
        jdbc.sql("""
                insert into milestone_payment (milestone_id, company_id, contractor_id, amount, currency, status, created_at)
                values (:milestone, :company, :contractor, :amount, :currency, 'DRAFT', :now)""")
                .param("milestone", milestone.id()).param("company", milestone.companyId())
                .param("contractor", milestone.contractorId()).param("amount", milestone.amount().amount())
                .param("currency", milestone.amount().currencyCode()).param("now", now)
                .update();
        return ofMilestone(milestone.id()).orElseThrow();
    }

    Optional<MilestonePayment> ofMilestone(long milestoneId) {
        return jdbc.sql(SELECT + " where p.milestone_id = :milestone").param("milestone", milestoneId)
                .query(MilestonePaymentRepository::map).optional();
    }

    List<MilestonePayment> ofMilestones(Collection<Long> milestoneIds) {
        if (milestoneIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(SELECT + " where p.milestone_id in (:ids)").param("ids", milestoneIds)
                .query(MilestonePaymentRepository::map).list();
    }

    Optional<MilestonePayment> find(long id) {
        return jdbc.sql(SELECT + " where p.id = :id").param("id", id).query(MilestonePaymentRepository::map).optional();
    }

    /** Reads the payment and locks its row: two people paying it at once are served one after the other. */
    Optional<MilestonePayment> lock(long id) {
        jdbc.sql("select id from milestone_payment where id = :id for update").param("id", id).query(Long.class).optional();
        return find(id);
    }

    List<MilestonePayment> ofCompany(String companyId, PaymentStatus status, String contractorId, int offset, int limit) {
        return page("p.company_id", companyId, status, contractorId, offset, limit);
    }

    List<MilestonePayment> ofContractor(String contractorId, PaymentStatus status, int offset, int limit) {
        return page("p.contractor_id", contractorId, status, null, offset, limit);
    }

    private List<MilestonePayment> page(String ownerColumn, String owner, PaymentStatus status, String contractorId, int offset,
            int limit) {
        return jdbc.sql(SELECT + " where " + ownerColumn + " = :owner"
                        + (status == null ? "" : " and p.status = :status")
                        + (contractorId == null ? "" : " and p.contractor_id = :contractor")
                        + " order by p.id desc offset :offset rows fetch next :limit rows only")
                .param("owner", owner).param("status", status == null ? null : status.name()).param("contractor", contractorId)
                .param("offset", offset).param("limit", limit)
                .query(MilestonePaymentRepository::map).list();
    }

    void markPaid(long id, String paidBy, OffsetDateTime now) {
        jdbc.sql("update milestone_payment set status = 'PAID', refusal = null, paid_at = :now, paid_by = :by where id = :id")
                .param("now", now).param("by", paidBy).param("id", id).update();
    }

    void recordRefusal(long id, String refusal) {
        jdbc.sql("update milestone_payment set refusal = :refusal where id = :id").param("refusal", refusal).param("id", id).update();
    }

    private static MilestonePayment map(ResultSet rs, int row) throws SQLException {
        return new MilestonePayment(rs.getLong("id"), rs.getLong("milestone_id"), rs.getString("ref"), rs.getString("title"),
                rs.getString("company_id"), rs.getString("contractor_id"),
                MilestoneRepository.money(rs.getBigDecimal("amount"), rs.getString("currency")),
                PaymentStatus.valueOf(rs.getString("status")), rs.getString("refusal"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("paid_at", OffsetDateTime.class),
                rs.getString("paid_by"), rs.getString("process_instance_id"));
    }
}
