package io.stowage.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.serving.manifest.Renderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference document's examples render to {@code examples/rendered/<kind>.yaml}, byte for byte.
 * After a deliberate change, regenerate with {@code -Dstowage.updateGolden=true} and review the
 * diff.
 */
class ExamplesGoldenTest {
  @ParameterizedTest
  @MethodSource("io.stowage.serving.Examples#kinds")
  void exampleRendersToItsGoldenFile(String kind) throws Exception {
    Renderer.Outcome outcome = Renderer.render(Examples.read(Examples.inputs(kind)));

    assertThat(outcome.errors()).isEmpty();
    Path golden = Examples.dir().resolve("rendered/" + kind + ".yaml");
    if (Boolean.getBoolean("stowage.updateGolden")) {
      Files.writeString(golden, outcome.yaml(), StandardCharsets.UTF_8);
    }
    assertThat(outcome.yaml()).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
