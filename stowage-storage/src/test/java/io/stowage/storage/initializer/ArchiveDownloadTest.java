package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.files;
import static io.stowage.storage.initializer.InitializerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.testkit.HttpFileServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single fetched file that is an archive is unpacked into the destination, as KServe does. */
class ArchiveDownloadTest {
  @TempDir Path tmp;
  private HttpFileServer server;

  @BeforeEach
  void start() {
    server = HttpFileServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** A model directory packed with the system's tar. */
  private Path tarball(String name, String flag, String configContent) throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src-" + name));
    Files.writeString(src.resolve("config.json"), configContent);
    Files.createDirectories(src.resolve("tokenizer"));
    Files.writeString(src.resolve("tokenizer/vocab.txt"), "a b c");
    Path archive = tmp.resolve(name);
    Process p =
        new ProcessBuilder("tar", flag, archive.toString(), "-C", src.toString(), ".")
            .redirectErrorStream(true)
            .start();
    Assumptions.assumeTrue(p.waitFor() == 0, "tar " + flag + " unavailable");
    return archive;
  }

  @Test
  void anHttpsTarballIsUnpackedAndRemovedAndARestartDoesNothing() throws Exception {
    server.putFile("/models/model.tar.gz", tarball("model.tar.gz", "-czf", "{}"));
    Path dest = tmp.resolve("mnt/models");
    var r = run(Map.of(), server.url("/models/model.tar.gz").toString(), dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(files(dest)).containsExactly("config.json", "tokenizer/vocab.txt");
    assertThat(r.log()).contains("Extracted 2 files");
    int requests = server.requests().size();
    var again = run(Map.of(), server.url("/models/model.tar.gz").toString(), dest.toString());
    assertThat(again.log()).contains("was already extracted");
    assertThat(server.requests().size()).isEqualTo(requests + 1);
  }

  @Test
  void aNewArchiveVersionReplacesTheOldFiles() throws Exception {
    server.putFile("/m.tgz", tarball("v1.tgz", "-czf", "{\"v\":1}"));
    Path dest = tmp.resolve("d");
    assertThat(run(Map.of(), server.url("/m.tgz").toString(), dest.toString()).succeeded())
        .isTrue();
    Path src = Files.createDirectories(tmp.resolve("src-v2"));
    Files.writeString(src.resolve("config.json"), "{\"v\":2}");
    Path v2 = tmp.resolve("v2.tgz");
    assertThat(
            new ProcessBuilder("tar", "-czf", v2.toString(), "-C", src.toString(), ".")
                .start()
                .waitFor())
        .isZero();
    server.putFile("/m.tgz", v2);
    var r = run(Map.of(), server.url("/m.tgz").toString(), dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.readString(dest.resolve("config.json"))).isEqualTo("{\"v\":2}");
    assertThat(files(dest)).containsExactly("config.json");
  }

  @Test
  void theArchiveTypeMayComeFromTheQueryAsKserveAllows() throws Exception {
    Path zip = tmp.resolve("model.zip");
    Path src = Files.createDirectories(tmp.resolve("zsrc"));
    Files.writeString(src.resolve("model.onnx"), "onnx");
    Process p =
        new ProcessBuilder("zip", "-qr", zip.toString(), ".").directory(src.toFile()).start();
    Assumptions.assumeTrue(p.waitFor() == 0, "zip unavailable");
    server.putFile("/download", zip);
    Path dest = tmp.resolve("d");
    var r =
        run(Map.of(), server.url("/download").toString() + "?path=/x/model.zip", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(files(dest)).containsExactly("model.onnx");
  }

  @Test
  void aMaliciousArchiveFailsAndWritesNothingOutside() throws Exception {
    byte[] evil =
        MaliciousTar.withMember("../../escape.txt", "evil".getBytes(StandardCharsets.UTF_8));
    server.put("/evil.tar", evil);
    Path dest = tmp.resolve("deep/d");
    var r = run(Map.of(), server.url("/evil.tar").toString(), dest.toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.UNSAFE_SOURCE);
    assertThat(tmp.resolve("escape.txt")).doesNotExist();
    assertThat(tmp.resolve("deep/escape.txt")).doesNotExist();
  }

  @Test
  void aLocalArchiveIsUnpackedAndOnlyItsLinkRemoved() throws Exception {
    Path pvc = Files.createDirectories(tmp.resolve("pvc/models"));
    Path archive = Files.copy(tarball("x.tar", "-cf", "{}"), pvc.resolve("model.tar"));
    Path dest = tmp.resolve("mnt/models");
    var r =
        run(
            Map.of("STOWAGE_PVC_ROOT", tmp.resolve("pvc").toString()),
            "pvc://claim/models",
            dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(files(dest)).containsExactly("config.json", "tokenizer/vocab.txt");
    assertThat(dest.resolve("model.tar")).doesNotExist();
    assertThat(archive).exists();
  }

  /** Builds a tar with one member of any name, as a hostile publisher would. */
  static final class MaliciousTar {
    private MaliciousTar() {}

    static byte[] withMember(String name, byte[] content) throws IOException {
      var out = new java.io.ByteArrayOutputStream();
      try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out)) {
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
      return out.toByteArray();
    }
  }
}
