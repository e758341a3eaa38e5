package io.gigflow.shared;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class StepDisplayTest {

    @Test
    void namesAStepAfterItsReferenceTitleAndParty() {
        assertThat(StepDisplay.name("Accept task", "T-1012", "Logo design", "Acme Ltd")).isEqualTo("Accept task T-1012 · Logo design (Acme Ltd)");
        assertThat(StepDisplay.name("Start work", "O-7", " Logo design ", null)).isEqualTo("Start work O-7 · Logo design");
        assertThat(StepDisplay.name("Start work", "O-7", "Logo design", " ")).isEqualTo("Start work O-7 · Logo design");
    }

    @Test
    void cutsALongTitleAndALongNameToOneLine() {
        String name = StepDisplay.name("Accept task", "T-1", "x".repeat(200), "y".repeat(200));
        assertThat(name).startsWith("Accept task T-1 · " + "x".repeat(47) + "… (").hasSize(StepDisplay.NAME_LIMIT).endsWith("…");
    }

    @Test
    void writesAnInstantAsUtcForTheBrowserToShowInItsZone() {
        assertThat(StepDisplay.instant(OffsetDateTime.of(2026, 12, 7, 11, 30, 15, 500, ZoneOffset.ofHours(1))))
                .isEqualTo("2026-12-07T10:30:15Z");
        assertThat(StepDisplay.instant((Instant) null)).isEmpty();
        assertThat(StepDisplay.instant((OffsetDateTime) null)).isEmpty();
    }

    @Test
    void formOptionsTakeOnlyStringAndNumberValues() {
        assertThat(new FormOptions(java.util.List.of(new FormOptions.Option("Jane Doe — 480.00 EUR", 12L))).options()).hasSize(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new FormOptions.Option("x", java.util.Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formOptionsReadNoOtherClassFromJson() throws Exception {
        FormOptions.Serializer serializer = new FormOptions.Serializer();
        byte[] json = serializer.serializeToByteArray(new FormOptions(java.util.List.of(new FormOptions.Option("Jane", 12))));
        assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("[{\"label\":\"Jane\",\"value\":12}]");
        assertThat(((FormOptions) serializer.deserializeFromByteArray(json, FormOptions.class.getName())).options())
                .containsExactly(new FormOptions.Option("Jane", 12));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> serializer.deserializeFromByteArray(json, "java.util.ArrayList"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
