package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoneyInputTest {

    private Money parse(Object amount, Object currency, FieldErrors errors) {
        return MoneyInput.positive(amount, currency, "amount", "currency", errors);
    }

    @Test
    void acceptsAnAmountAtTheCurrencysMinorUnits() {
        FieldErrors errors = new FieldErrors();
        assertThat(parse("120.5", "EUR", errors).toDecimalString()).isEqualTo("120.50");
        assertThat(parse("1000", "JPY", errors).toDecimalString()).isEqualTo("1000");
        assertThat(parse("0.125", "BHD", errors).toDecimalString()).isEqualTo("0.125");
        assertThat(errors.isEmpty()).isTrue();
    }

    @Test
    void namesEachBrokenRule() {
        assertThat(rules("12.345", "EUR")).containsExactly("amount:scale");
        assertThat(rules("1.5", "JPY")).containsExactly("amount:scale");
        assertThat(rules("0", "EUR")).containsExactly("amount:positive");
        assertThat(rules("-5", "EUR")).containsExactly("amount:positive");
        assertThat(rules("1e3", "EUR")).containsExactly("amount:format");
        assertThat(rules("1000000000.01", "EUR")).containsExactly("amount:max");
        assertThat(rules(12.5, "EUR")).containsExactly("amount:type");
        assertThat(rules("5", "EURO")).containsExactly("currency:currency");
        assertThat(rules("5", "XAU")).containsExactly("currency:currency");
        assertThat(rules("5", "QQQ")).containsExactly("currency:currency");
        assertThat(rules(null, null)).containsExactly("currency:required", "amount:required");
    }

    @Test
    void neverLetsMoneyBeCombinedAcrossCurrencies() {
        Money euros = Money.of("1.00", "EUR");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> euros.plus(Money.of("1.00", "USD")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static java.util.List<String> rules(Object amount, Object currency) {
        FieldErrors errors = new FieldErrors();
        MoneyInput.positive(amount, currency, "amount", "currency", errors);
        return errors.list().stream().map(e -> e.field() + ":" + e.rule()).toList();
    }
}
