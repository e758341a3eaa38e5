package io.gigflow.payout;

import io.gigflow.shared.TimeSource;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** A company's task-payout settings ("Automatically publish tasks for execution") and the lifecycle's defaults. */
@Service
public class PayoutSettings {

    @ConfigurationProperties("gigflow.task-payout")
    record Defaults(String acceptanceReminder, Duration bulkSendWait, Duration bulkSendSweep) {
        Defaults {
            acceptanceReminder = acceptanceReminder == null ? "P3D" : acceptanceReminder;
            bulkSendWait = bulkSendWait == null ? Duration.ofSeconds(5) : bulkSendWait;
            bulkSendSweep = bulkSendSweep == null ? Duration.ofMinutes(1) : bulkSendSweep;
        }
    }

    private final JdbcClient jdbc;
    private final TimeSource time;
    private final Defaults defaults;

    PayoutSettings(JdbcClient jdbc, TimeSource time, Defaults defaults) {
        this.jdbc = jdbc;
        this.time = time;
        this.defaults = defaults;
    }

    public boolean autoPublish(String companyId) {
        return jdbc.sql("select auto_publish from company_settings where company_id = :company").param("company", companyId)
                .query(Boolean.class).optional().orElse(false);
    }

    public void setAutoPublish(String companyId, boolean autoPublish, String by) {
        int updated = jdbc.sql("update company_settings set auto_publish = :auto, updated_at = :now, updated_by = :by where company_id = :company")
                .param("auto", autoPublish).param("now", time.now()).param("by", by).param("company", companyId).update();
        if (updated == 0) {
            jdbc.sql("insert into company_settings (company_id, auto_publish, updated_at, updated_by) values (:company, :auto, :now, :by)")
                    .param("auto", autoPublish).param("now", time.now()).param("by", by).param("company", companyId).update();
        }
    }

    String defaultAcceptanceReminder() {
        return defaults.acceptanceReminder();
    }

    Duration bulkSendWait() {
        return defaults.bulkSendWait();
    }

    Duration bulkSendSweep() {
        return defaults.bulkSendSweep();
    }
}
