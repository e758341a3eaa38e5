package io.gigflow.shared;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * Checks an amount and a currency as a person or a platform typed them, and says which
 * rule an input breaks. Used by every door (domain API and /engine-rest starts) alike.
 */
public final class MoneyInput {

    /** The largest amount one transfer may carry; far above any real task, far below overflow. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");

    private MoneyInput() {
    }

    /**
     * Parses a positive amount; records each broken rule in {@code errors} under the given
     * field names and returns null when anything is wrong.
     */
    public static Money positive(Object amount, Object currency, String amountField, String currencyField, FieldErrors errors) {
        Currency parsedCurrency = null;
        if (currency == null || (currency instanceof String s && s.isBlank())) {
            errors.add(currencyField, "required", "is required, an ISO 4217 code such as EUR");
        } else if (!(currency instanceof String code)) {
            errors.add(currencyField, "type", "must be a string such as \"EUR\", not " + typeName(currency));
        } else {
            try {
                parsedCurrency = Currencies.parse(code);
            } catch (IllegalArgumentException e) {
                errors.add(currencyField, "currency", e.getMessage());
            }
        }
        BigDecimal value = null;
        if (amount == null || (amount instanceof String s && s.isBlank())) {
            errors.add(amountField, "required", "is required, a decimal string such as \"120.50\"");
        } else if (!(amount instanceof String text)) {
            errors.add(amountField, "type", "must be a decimal string such as \"120.50\", not " + typeName(amount));
        } else if (!text.matches("-?[0-9]{1,15}(\\.[0-9]{1,10})?")) {
            errors.add(amountField, "format", "must be a decimal string such as \"120.50\" (digits, optional point), not \"" + abbreviate(text) + "\"");
        } else {
            value = new BigDecimal(text);
            if (value.signum() <= 0) {
                errors.add(amountField, "positive", "must be greater than zero");
                value = null;
            } else if (value.compareTo(MAX_AMOUNT) > 0) {
                errors.add(amountField, "max", "must not exceed " + MAX_AMOUNT.toPlainString());
                value = null;
            }
        }
        if (value == null || parsedCurrency == null) {
            return null;
        }
        int digits = parsedCurrency.getDefaultFractionDigits();
        if (value.stripTrailingZeros().scale() > digits) {
            errors.add(amountField, "scale", "has more decimals than " + parsedCurrency.getCurrencyCode() + " allows (" + digits + ")");
            return null;
        }
        return new Money(value, parsedCurrency);
    }

    static String typeName(Object value) {
        return value.getClass().getSimpleName();
    }

    static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
