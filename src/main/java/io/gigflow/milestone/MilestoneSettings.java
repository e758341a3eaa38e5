package io.gigflow.milestone;

import io.gigflow.shared.TimeSource;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.util.unit.DataSize;

/** A company's milestone settings (automatic approval) and the lifecycle's defaults. */
@Service
public class MilestoneSettings {

    /**
     * @param deadlineReminder     how long before the deadline the contractor is reminded (ISO-8601 duration)
     * @param autoApproveAfterDays days after which a submitted milestone is approved automatically, for
     *                             companies without a setting of their own; 0 = never
     * @param maxFileSize          the largest attachment or deliverable
     */
    @ConfigurationProperties("gigflow.contractor-milestone")
    record Defaults(String deadlineReminder, Integer autoApproveAfterDays, DataSize maxFileSize) {
        Defaults {
            deadlineReminder = deadlineReminder == null ? "P1D" : deadlineReminder;
            autoApproveAfterDays = autoApproveAfterDays == null ? 0 : autoApproveAfterDays;
            maxFileSize = maxFileSize == null ? DataSize.ofMegabytes(5) : maxFileSize;
        }
    }

    private final JdbcClient jdbc;
    private final TimeSource time;
    private final Defaults defaults;

    MilestoneSettings(JdbcClient jdbc, TimeSource time, Defaults defaults) {
        this.jdbc = jdbc;
        this.time = time;
        this.defaults = defaults;
    }

    /** The company's own setting; null when it has none (the default applies). */
    private Integer companyAutoApproveAfterDays(String companyId) {
        return jdbc.sql("select auto_approve_after_days from milestone_settings where company_id = :company")
                .param("company", companyId).query((rs, n) -> rs.getObject(1, Integer.class)).optional().orElse(null);
    }

    /** Days after which a submission of the company's milestones is approved automatically; 0 = never. */
    public int autoApproveAfterDays(String companyId) {
        Integer own = companyAutoApproveAfterDays(companyId);
        return own != null ? own : defaults.autoApproveAfterDays();
    }

    public void setAutoApproveAfterDays(String companyId, int days, String by) {
        int updated = jdbc.sql("update milestone_settings set auto_approve_after_days = :days, updated_at = :now, updated_by = :by where company_id = :company")
                .param("days", days).param("now", time.now()).param("by", by).param("company", companyId).update();
        if (updated == 0) {
            jdbc.sql("insert into milestone_settings (company_id, auto_approve_after_days, updated_at, updated_by) values (:company, :days, :now, :by)")
                    .param("days", days).param("now", time.now()).param("by", by).param("company", companyId).update();
        }
    }

    String defaultDeadlineReminder() {
        return defaults.deadlineReminder();
    }

    long maxFileBytes() {
        return defaults.maxFileSize().toBytes();
    }
}
