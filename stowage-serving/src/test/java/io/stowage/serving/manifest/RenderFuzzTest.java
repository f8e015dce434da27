package io.stowage.serving.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * InferenceService YAML to a plan, the path {@code stowage render} and the controller's planner
 * take: any text is read and planned, or refused as a validation failure (a ManifestException, or
 * the render outcome's errors, one line each); never another exception. Corpus in {@code
 * RenderFuzzTestInputs} (the examples' InferenceServices, runtimes and Secrets).
 */
class RenderFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void anyYamlIsPlannedOrRefused(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Manifests manifests;
    try {
      manifests = new ManifestReader("default").read("fuzz.yaml", text);
    } catch (ManifestException e) {
      assertThat(e.getMessage()).doesNotContain("\n");
      return;
    }
    Renderer.Outcome outcome = Renderer.render(manifests);
    assertThat(outcome.errors()).allSatisfy(e -> assertThat(e).doesNotContain("\n"));
    assertThat(outcome.ok() || outcome.yaml().isEmpty()).isTrue();
  }
}
