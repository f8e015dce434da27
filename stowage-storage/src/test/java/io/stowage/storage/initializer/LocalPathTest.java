package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pvc:// claims and local paths, as KServe's older initializer treated them. */
class LocalPathTest {
  @TempDir Path tmp;

  @Test
  void aPvcPathIsLinkedFromTheClaimMount() throws Exception {
    Path pvcRoot = Files.createDirectories(tmp.resolve("pvc"));
    Path model = Files.createDirectories(pvcRoot.resolve("models/Qwen"));
    Files.writeString(model.resolve("config.json"), "{}");
    Path dest = tmp.resolve("mnt/models");
    var r =
        run(
            Map.of("STOWAGE_PVC_ROOT", pvcRoot.toString()),
            "pvc://model-pvc/models/Qwen",
            dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.isSymbolicLink(dest.resolve("config.json"))).isTrue();
    assertThat(Files.readString(dest.resolve("config.json"))).isEqualTo("{}");
    assertThat(
            run(
                    Map.of("STOWAGE_PVC_ROOT", pvcRoot.toString()),
                    "pvc://model-pvc/models/Qwen",
                    dest.toString())
                .log())
        .contains("1 already present");
  }

  @Test
  void aMissingPvcPathHasKservesMessage() {
    var r =
        run(
            Map.of("STOWAGE_PVC_ROOT", tmp.toString()),
            "pvc://claim/missing",
            tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NOT_FOUND);
    assertThat(r.failed().getMessage())
        .isEqualTo("Cannot locate source uri pvc://claim/missing for PVC");
  }

  @Test
  void anExistingLocalPathIsLinkedAndAnUnknownOneIsNotAStorageType() throws Exception {
    Path file = Files.writeString(tmp.resolve("model.onnx"), "m");
    Path dest = tmp.resolve("d");
    assertThat(run(Map.of(), "file://" + file, dest.toString()).succeeded()).isTrue();
    assertThat(Files.readString(dest.resolve("model.onnx"))).isEqualTo("m");
    var unknown = run(Map.of(), tmp.resolve("nothing-here").toString(), dest.toString());
    assertThat(unknown.failed().failure()).isEqualTo(Failure.USAGE);
    assertThat(unknown.failed().getMessage()).startsWith("Cannot recognize storage type for ");
  }
}
