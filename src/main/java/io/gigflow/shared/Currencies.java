package io.gigflow.shared;

import java.util.Currency;

/** ISO 4217 codes that can carry money (those with minor units; not XAU, XXX and the like). */
public final class Currencies {

    private Currencies() {
    }

    public static Currency parse(String code) {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("must be an ISO 4217 code of three upper-case letters, such as EUR");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(code + " is not an ISO 4217 currency");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException(code + " is not a currency that money can be paid in");
        }
        return currency;
    }
}
