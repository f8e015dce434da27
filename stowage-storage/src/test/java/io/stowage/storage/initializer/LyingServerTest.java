package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.random;
import static io.stowage.storage.initializer.InitializerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.storage.initializer.VersionSwitchingServer.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web servers that ignore {@code If-Range} while the file changes: a file mixing two versions must
 * never be published. Every ranged answer is held to the validator and size the probe saw, and a
 * server without validators is read in one stream.
 */
class LyingServerTest {
  private static final int MIB = 1024 * 1024;

  @TempDir Path tmp;
  private final byte[] v1 = random(5 * MIB + 123, 1);
  private final byte[] v2 = random(5 * MIB + 123, 2);

  private static Map<String, String> env() {
    return Map.of("STOWAGE_PART_SIZE", "1Mi", "S3_READ_TIMEOUT", "5");
  }

  private InitializerHarness.Result download(VersionSwitchingServer server) {
    return run(env(), server.url("/m/model.bin").toString(), tmp.resolve("dest").toString());
  }

  @Test
  void aRangeOfAnotherEtagIsAnIntegrityFailure() throws Exception {
    try (var server = new VersionSwitchingServer(v1, v2, 2, Validators.ETAG)) {
      var r = download(server);
      assertThat(r.failed().failure()).isEqualTo(Failure.INTEGRITY);
      assertThat(r.failed().getMessage()).contains("changed during the download");
      assertThat(tmp.resolve("dest/model.bin")).doesNotExist();
    }
  }

  @Test
  void aRangeOfAnotherLastModifiedIsAnIntegrityFailure() throws Exception {
    try (var server = new VersionSwitchingServer(v1, v2, 2, Validators.LAST_MODIFIED)) {
      var r = download(server);
      assertThat(r.failed().failure()).isEqualTo(Failure.INTEGRITY);
      assertThat(tmp.resolve("dest/model.bin")).doesNotExist();
    }
  }

  @Test
  void aRangeOfAnotherTotalSizeIsAnIntegrityFailure() throws Exception {
    byte[] longer = random(6 * MIB, 3);
    try (var server = new VersionSwitchingServer(v1, longer, 2, Validators.SAME_ETAG)) {
      var r = download(server);
      assertThat(r.failed().failure()).isEqualTo(Failure.INTEGRITY);
      assertThat(r.failed().getMessage()).contains("changed during the download");
      assertThat(tmp.resolve("dest/model.bin")).doesNotExist();
    }
  }

  @Test
  void aServerWithoutValidatorsIsReadInOneStream() throws Exception {
    try (var server = new VersionSwitchingServer(v1, v2, 1, Validators.NONE)) {
      var r = download(server);
      assertThat(r.succeeded()).as(r.log()).isTrue();
      assertThat(Arrays.equals(Files.readAllBytes(tmp.resolve("dest/model.bin")), v1)).isTrue();
      assertThat(server.rangedRequests.get()).as("only the probe is ranged").isEqualTo(1);
      assertThat(server.wholeRequests.get()).isEqualTo(1);
    }
  }
}
