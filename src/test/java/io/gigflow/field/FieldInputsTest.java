package io.gigflow.field;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.shared.FieldErrors;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A date-and-time field of a Camunda Form: what its step takes, and what it refuses naming the field. */
class FieldInputsTest {

    @Test
    void takesWhatTheFormsDateAndTimeFieldSends() {
        // utc_offset: the local time picked in Asia/Kolkata with its offset
        assertThat(read("2026-12-09T15:45+05:30").toInstant()).isEqualTo(Instant.parse("2026-12-09T10:15:00Z"));
        assertThat(read("2026-12-09T04:30-03:30").toInstant()).isEqualTo(Instant.parse("2026-12-09T08:00:00Z"));
        assertThat(read("2026-12-09T10:15+00:00").toInstant()).isEqualTo(Instant.parse("2026-12-09T10:15:00Z"));
        // utc_normalized: the same instant in UTC
        assertThat(read("2026-12-09T10:15Z").toInstant()).isEqualTo(Instant.parse("2026-12-09T10:15:00Z"));
        // seconds and their fraction, as the domain API passes its own date-times on
        assertThat(read("2026-12-09T10:15:30.123456Z").toInstant()).isEqualTo(Instant.parse("2026-12-09T10:15:30.123456Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-09T15:45", "2026-12-09", "15:45+05:30", "2026-12-09 15:45+05:30", "2026-12-09T15:45+05:30[Asia/Kolkata]",
            "2026-12-09T15:45+0530", "09/12/2026 15:45", "2026-12-09T25:45Z", "2026-02-30T10:00Z", "tomorrow"})
    void refusesAnyOtherTextNamingTheField(String sent) {
        FieldErrors errors = new FieldErrors();
        assertThat(FieldInputs.formDateTime(errors, "newStart", sent)).isNull();
        assertThat(errors.list()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("newStart");
            assertThat(error.rule()).isEqualTo("format");
            assertThat(error.message()).contains("2026-12-09T15:45+05:30");
        });
    }

    @Test
    void refusesAMissingValueOrOneThatIsNoText() {
        for (Object sent : new Object[] {null, "", "  ", new Date(), 1_765_000_000_000L, OffsetDateTime.now()}) {
            FieldErrors errors = new FieldErrors();
            assertThat(FieldInputs.formDateTime(errors, "newEnd", sent)).as(String.valueOf(sent)).isNull();
            assertThat(errors.list()).as(String.valueOf(sent)).singleElement()
                    .satisfies(error -> assertThat(error.field()).isEqualTo("newEnd"));
        }
    }

    private static OffsetDateTime read(String sent) {
        FieldErrors errors = new FieldErrors();
        OffsetDateTime read = FieldInputs.formDateTime(errors, "newStart", sent);
        assertThat(errors.list()).as(sent).isEmpty();
        return read;
    }
}
