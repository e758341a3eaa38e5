package io.gigflow.field;

import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The field-assignment lifecycle's settings: how long before the start the worker must confirm,
 * the approval time assumed for a company without history, how often an overdue approval is
 * escalated again (ISO-8601 durations), and the FastFunds fee in percent.
 */
@ConfigurationProperties("gigflow.field-assignment")
record FieldSettings(String confirmBefore, String defaultApprovalTime, String escalationInterval, BigDecimal fastFundsFeePercent) {

    FieldSettings {
        confirmBefore = confirmBefore == null ? "PT24H" : confirmBefore;
        defaultApprovalTime = defaultApprovalTime == null ? "P2D" : defaultApprovalTime;
        escalationInterval = escalationInterval == null ? "PT48H" : escalationInterval;
        fastFundsFeePercent = fastFundsFeePercent == null ? new BigDecimal("2.5") : fastFundsFeePercent;
    }
}
