package io.stowage.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code stowage render} in-process: output, messages and exit codes. */
class RenderCommandTest {
  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Path examples() {
    Path module = Path.of("").toAbsolutePath();
    return java.util.Objects.requireNonNull(module.getParent()).resolve("examples");
  }

  static Run render(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    CommandLine cli = new CommandLine(new RenderCommand(o, e));
    cli.setErr(
        new java.io.PrintWriter(new java.io.OutputStreamWriter(e, StandardCharsets.UTF_8), true));
    int exit = cli.execute(args);
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void rendersTheS3ExampleAsItsGoldenFile() throws Exception {
    Path ex = examples();
    Run run = render("-f", ex.resolve("runtimes").toString(), "-f", ex.resolve("s3").toString());
    assertThat(run.err()).isEmpty();
    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo(Files.readString(ex.resolve("rendered/s3.yaml")));
  }

  @Test
  void everyProblemIsOneLineAndTheExitCodeIsUsage() throws Exception {
    Path isvc = tmp.resolve("isvc.yaml");
    Files.writeString(
        isvc,
        Files.readString(examples().resolve("pvc/inferenceservice.yaml"))
            .replace("name: pvc-demo-1", "name: Pvc.Demo")
            .replace("pvc://model-pvc", "pvc://"));
    Run run = render("-f", isvc.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .hasSize(3)
        .allMatch(l -> l.startsWith("InferenceService demo-space/Pvc.Demo: "))
        .anyMatch(l -> l.contains("metadata.name: the InferenceService \"Pvc.Demo\" is invalid"))
        .anyMatch(l -> l.contains("spec.predictor.model.storageUri: \"pvc://\" names no"))
        .anyMatch(l -> l.contains("No ServingRuntimes or ClusterServingRuntimes with the name"));
  }

  @Test
  void aMissingFileIsAUsageError() {
    Run run = render("-f", tmp.resolve("nope.yaml").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("nope.yaml: no such file or directory");
  }

  @Test
  void invalidYamlNamesFileAndDocument() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, "kind: [unclosed\n");
    Run run = render("-f", bad.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith(bad + ": document 1: not valid YAML");
  }

  @Test
  void otherKindsAreSkippedWithAWarningAndObjectsGetTheDefaultNamespace() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Files.copy(
        examples().resolve("runtimes/aml-vllm-0.11.2-cpu.yaml"), dir.resolve("a-runtime.yaml"));
    Files.writeString(
        dir.resolve("b-isvc.yaml"),
        Files.readString(examples().resolve("oci/inferenceservice.yaml"))
                .replace("  namespace: demo-space\n", "")
            + "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
    Run run = render("-f", dir.toString(), "-n", "team-a");
    assertThat(run.exit()).isZero();
    assertThat(run.err()).startsWith("warning: skipped ").contains("(Namespace x)");
    assertThat(run.out()).contains("namespace: team-a").doesNotContain("demo-space");
  }
}
