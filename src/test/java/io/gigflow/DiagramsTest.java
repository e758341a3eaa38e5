package io.gigflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.gigflow.support.DiagramRenderer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The README shows each lifecycle's diagram as docs/diagrams/{process key}.svg, drawn from
 * the model's own layout. This test fails when an image is out of step with its model; to
 * redraw them: {@code ./mvnw test -Dtest=DiagramsTest -Dgigflow.updateDiagrams=true}.
 */
class DiagramsTest {

    private static final Path MODELS = Path.of("bpmn");
    private static final Path IMAGES = Path.of("docs", "diagrams");

    @TestFactory
    Stream<DynamicTest> everyModelHasAnUpToDateImage() throws IOException {
        boolean update = Boolean.getBoolean("gigflow.updateDiagrams");
        try (Stream<Path> models = Files.list(MODELS)) {
            return models.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList().stream()
                    .map(model -> DynamicTest.dynamicTest(model + " is drawn in " + image(model), () -> {
                        String svg;
                        try (InputStream in = Files.newInputStream(model)) {
                            svg = DiagramRenderer.render(in);
                        }
                        if (update) {
                            Files.createDirectories(IMAGES);
                            Files.writeString(image(model), svg, StandardCharsets.UTF_8);
                        }
                        assertThat(image(model)).as("run ./mvnw test -Dtest=DiagramsTest -Dgigflow.updateDiagrams=true").exists();
                        assertThat(Files.readString(image(model), StandardCharsets.UTF_8))
                                .as(image(model) + " is out of step with " + model
                                        + "; run ./mvnw test -Dtest=DiagramsTest -Dgigflow.updateDiagrams=true")
                                .isEqualTo(svg);
                    }));
        }
    }

    private static Path image(Path model) {
        return IMAGES.resolve(model.getFileName().toString().replace(".bpmn", ".svg"));
    }
}
