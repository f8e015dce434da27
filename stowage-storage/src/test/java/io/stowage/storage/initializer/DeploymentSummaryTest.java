package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.random;
import static io.stowage.storage.initializer.InitializerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.HttpFileServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a successful run reports it deployed: the record the controller puts in the status. */
class DeploymentSummaryTest {
  @TempDir Path tmp;
  private HttpFileServer server;
  private final byte[] model = random(300_000, 7);

  @BeforeEach
  void start() {
    server = HttpFileServer.start();
    server.put("/models/model.onnx", model);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String url() {
    return server.url("/models/model.onnx") + "?sig=topsecret";
  }

  @Test
  void aFetchedSourceReportsItsFilesBytesAndManifestDigestWithTheUriRedacted() {
    var r = run(Map.of(), url(), tmp.resolve("a").toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(r.deployed()).hasSize(1);
    Deployed d = r.deployed().get(0);
    assertThat(d.source()).doesNotContain("topsecret").endsWith("/models/model.onnx?sig=***");
    assertThat(d.files()).isEqualTo(1);
    assertThat(d.bytes()).isEqualTo(model.length);
    assertThat(d.manifestDigest()).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void theSameFilesGiveTheSameDigestAndAChangedFileAnother() {
    var first = run(Map.of(), url(), tmp.resolve("a").toString());
    var replica = run(Map.of(), url(), tmp.resolve("b").toString());
    server.put("/models/model.onnx", random(300_000, 8));
    var changed = run(Map.of(), url(), tmp.resolve("c").toString());
    String digest = first.deployed().get(0).manifestDigest();
    assertThat(replica.deployed().get(0).manifestDigest()).isEqualTo(digest);
    assertThat(changed.deployed().get(0).manifestDigest()).isNotEqualTo(digest);
  }

  @Test
  void aLinkedLocalPathReportsOnlyItsSource() throws Exception {
    Path local = Files.createDirectories(tmp.resolve("local"));
    Files.writeString(local.resolve("f"), "x");
    var r = run(Map.of(), local.toString(), tmp.resolve("d").toString());
    assertThat(r.deployed()).containsExactly(new Deployed(local.toString(), null, null, null));
  }

  @Test
  void theSummaryIsOneLineOfJson() {
    String json =
        DeploymentSummary.json(
            List.of(new Deployed("s3://b/m", 3, 1234L, "sha256:ab"), Deployed.linked("pvc://c/m")));
    assertThat(json)
        .isEqualTo(
            "{\"deployed\":[{\"source\":\"s3://b/m\",\"files\":3,\"bytes\":1234,"
                + "\"manifestDigest\":\"sha256:ab\"},{\"source\":\"pvc://c/m\"}]}");
  }

  @Test
  void entriesBeyondKubernetesFourKibAreCountedNotCut() {
    List<Deployed> many = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(new Deployed("s3://bucket/model-" + i, 10, 1L << 40, "sha256:" + "a".repeat(64)));
    }
    String json = DeploymentSummary.json(many);
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(json).startsWith("{\"deployed\":[{\"source\":\"s3://bucket/model-0\"");
    assertThat(json).matches(".*\\}\\],\"more\":\\d+\\}$");
  }
}
