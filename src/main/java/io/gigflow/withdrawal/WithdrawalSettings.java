package io.gigflow.withdrawal;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The limits of withdrawals, per currency in the currency's units, with a {@code default} for
 * currencies not named: the smallest amount one withdrawal may take ({@code minimum}), and the
 * most one person may ask for in one currency in one UTC day ({@code daily-maximum}; rejected
 * and cancelled withdrawals do not count).
 */
@ConfigurationProperties("gigflow.withdrawal")
record WithdrawalSettings(Map<String, BigDecimal> minimum, Map<String, BigDecimal> dailyMaximum) {

    static final String DEFAULT = "default";

    WithdrawalSettings {
        minimum = minimum == null || minimum.isEmpty() ? Map.of(DEFAULT, new BigDecimal("10")) : Map.copyOf(minimum);
        dailyMaximum = dailyMaximum == null || dailyMaximum.isEmpty() ? Map.of(DEFAULT, new BigDecimal("5000"))
                : Map.copyOf(dailyMaximum);
    }

    BigDecimal minimumOf(Currency currency) {
        return of(minimum, currency);
    }

    BigDecimal dailyMaximumOf(Currency currency) {
        return of(dailyMaximum, currency);
    }

    private static BigDecimal of(Map<String, BigDecimal> limits, Currency currency) {
        for (Map.Entry<String, BigDecimal> limit : limits.entrySet()) {
            if (limit.getKey().equalsIgnoreCase(currency.getCurrencyCode())) {
                return limit.getValue();
            }
        }
        BigDecimal fallback = limits.entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).equals(DEFAULT))
                .map(Map.Entry::getValue).findFirst().orElse(null);
        if (fallback == null) {
            throw new IllegalStateException("gigflow.withdrawal limits name no " + currency.getCurrencyCode() + " and no default");
        }
        return fallback;
    }
}
