package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ReadableTest {

    @Test
    void amountsCarryTheirCurrencyInOneString() {
        assertThat(Readable.money(Money.of("1250", "EUR"))).isEqualTo("1,250.00 EUR");
        assertThat(Readable.money(new BigDecimal("1234567.5"), "USD")).isEqualTo("1,234,567.50 USD");
        assertThat(Readable.money(new BigDecimal("1500"), "JPY")).isEqualTo("1,500 JPY");
        assertThat(Readable.money(new BigDecimal("-3.1"), "EUR")).isEqualTo("-3.10 EUR");
    }

    @Test
    void timesAreShownInTheNamedZone() {
        Instant instant = Instant.parse("2026-12-11T05:31:01.327Z");
        assertThat(Readable.dateTime(instant, ZoneId.of("Europe/Berlin"))).isEqualTo("Fri 11 Dec 2026, 06:31 CET");
        assertThat(Readable.dateTime(instant, ZoneId.of("UTC"))).isEqualTo("Fri 11 Dec 2026, 05:31 UTC");
        assertThat(Readable.date(LocalDate.of(2026, 12, 6))).isEqualTo("Sun 6 Dec 2026");
        assertThat(Readable.date(instant, ZoneId.of("Pacific/Kiritimati"))).isEqualTo("Fri 11 Dec 2026");
    }

    @Test
    void durationsAreWords() {
        assertThat(Readable.duration(Duration.parse("PT24H"))).isEqualTo("24 hours");
        assertThat(Readable.duration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Readable.duration(Duration.ofHours(30))).isEqualTo("1 day 6 hours");
        assertThat(Readable.duration(Duration.ofMinutes(90))).isEqualTo("1 hour 30 minutes");
        assertThat(Readable.duration(Duration.ofHours(1))).isEqualTo("1 hour");
        assertThat(Readable.duration(Duration.ofSeconds(5))).isEqualTo("5 seconds");
    }

    @Test
    void codesBecomePhrases() {
        assertThat(Readable.code("SITE_NOT_READY")).isEqualTo("site not ready");
    }
}
