package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.random;
import static io.stowage.storage.initializer.InitializerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.testkit.Fault;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.HttpFileServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected faults, one kind per test, each with its expected outcome: survived (the file arrives
 * byte-identical), or a clean failure of the right class (exit code) on one line with nothing
 * half-visible under DEST. Offsets and sizes come from fixed seeds, so a failure reproduces. The
 * table in docs/reliability.md lists these and the kinds covered elsewhere.
 */
class FaultInjectionTest {
  private static final int MIB = 1024 * 1024;
  private static final long SEED = 19;

  @TempDir Path tmp;
  private HttpFileServer server;
  private final byte[] model = random(5 * MIB + 321, SEED);

  private String testName = "";

  @BeforeEach
  void start(org.junit.jupiter.api.TestInfo info) {
    testName = info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("");
    server = HttpFileServer.start();
    server.put("/m/model.bin", model);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("STOWAGE_PART_SIZE", "1Mi");
    env.put("S3_READ_TIMEOUT", "2");
    return env;
  }

  private Path dest(String name) {
    return tmp.resolve(name).resolve("mnt/models");
  }

  private void survived(InitializerHarness.Result r, Path dest) throws IOException {
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.readAllBytes(dest.resolve("model.bin"))).isEqualTo(model);
    record("survived");
  }

  /** A clean failure: its class, one line, and no file under its final name. */
  private void failedCleanly(InitializerHarness.Result r, Failure expected, Path dest)
      throws IOException {
    StorageException e = r.failed();
    assertThat(e.failure()).as(r.log()).isEqualTo(expected);
    assertThat(e.getMessage()).doesNotContain("\n");
    assertThat(dest.resolve("model.bin")).doesNotExist();
    record("exit " + e.failure().exitCode() + ": " + e.getMessage());
  }

  /**
   * Appends the outcome to target/reliability/faults.tsv, the figures docs/reliability.md quotes.
   */
  private void record(String outcome) throws IOException {
    Path figures = Path.of("target", "reliability", "faults.tsv");
    Files.createDirectories(figures.getParent());
    Files.writeString(
        figures,
        testName + "\t" + outcome + "\n",
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
  }

  private FaultProxy proxy() {
    return FaultProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
  }

  @Test
  void connectionResetsAtSeededRandomOffsetsAreSurvived() throws Exception {
    SplittableRandom offsets = new SplittableRandom(SEED);
    try (FaultProxy proxy = proxy()) {
      for (int i = 0; i < 4; i++) {
        // Within a part (1 MiB), since the fault counts the bytes of each connection.
        long offset = offsets.nextLong(1, MIB);
        proxy.setFault(new Fault.DropAfter(offset, 2));
        Path dest = dest("reset-" + i);
        survived(run(env(), proxy.endpoint() + "/m/model.bin", dest.toString()), dest);
      }
      assertThat(proxy.faultsInjected()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void aBodyShorterThanItsContentLengthIsResumed() throws Exception {
    try (LyingHttpServer lying = new LyingHttpServer(model, "\"v1\"")) {
      lying.lie(LyingHttpServer.Lie.LYING_CONTENT_LENGTH, 2, 3);
      Path dest = dest("lying-length");
      survived(run(env(), lying.url("model.bin"), dest.toString()), dest);
    }
  }

  @Test
  void aTruncatedAnswerWithAConsistentContentLengthIsCompletedByTheNextRange() throws Exception {
    try (LyingHttpServer lying = new LyingHttpServer(model, "\"v1\"")) {
      lying.lie(LyingHttpServer.Lie.SHORT_BUT_CONSISTENT, 2, 1);
      Path dest = dest("short");
      survived(run(env(), lying.url("model.bin"), dest.toString()), dest);
    }
  }

  @Test
  void aStallMidBodyIsAbortedAndResumed() throws Exception {
    try (FaultProxy proxy = proxy()) {
      proxy.setFault(new Fault.StallAfter(300_000, 1));
      Path dest = dest("stall");
      var r = run(env(), proxy.endpoint() + "/m/model.bin", dest.toString());
      survived(r, dest);
      assertThat(r.log()).contains("no data from");
    }
  }

  @Test
  void aSlowTrickleIsSurvived() throws Exception {
    try (FaultProxy proxy = proxy()) {
      proxy.setFault(new Fault.Throttle(4L * MIB));
      Path dest = dest("trickle");
      survived(run(env(), proxy.endpoint() + "/m/model.bin", dest.toString()), dest);
    }
  }

  @Test
  void slowDownWithRetryAfterIsWaitedOutAndRetried() throws Exception {
    server.failNext("/m/model.bin", 2, 503, Map.of("Retry-After", "1"));
    Path dest = dest("503");
    survived(run(env(), server.url("/m/model.bin").toString(), dest.toString()), dest);
  }

  @Test
  void serverErrorsWithoutRetryAfterAreRetried() throws Exception {
    server.failNext("/m/model.bin", 2, 500);
    Path dest = dest("500");
    survived(run(env(), server.url("/m/model.bin").toString(), dest.toString()), dest);
  }

  @Test
  void aWholeObjectWhereARangeWasAskedIsSurvived() throws Exception {
    try (LyingHttpServer lying = new LyingHttpServer(model, "\"v1\"")) {
      lying.lie(LyingHttpServer.Lie.FULL_FOR_RANGE, 2, Integer.MAX_VALUE);
      Path dest = dest("200-for-206");
      survived(run(env(), lying.url("model.bin"), dest.toString()), dest);
    }
  }

  @Test
  void anObjectReplacedMidDownloadIsAnIntegrityFailure() throws IOException {
    server.setRequestHook(
        q -> {
          if (q.range() != null && !q.range().startsWith("bytes=0-")) {
            server.put("/m/model.bin", random(model.length, SEED + 1));
          }
        });
    Path dest = dest("replaced");
    var r = run(env(), server.url("/m/model.bin").toString(), dest.toString());
    failedCleanly(r, Failure.INTEGRITY, dest);
  }

  @Test
  void aDiskFillingUpAtSeededRandomOffsetsIsADiskFailure() throws Exception {
    SplittableRandom sizes = new SplittableRandom(SEED);
    for (int i = 0; i < 3; i++) {
      Path mnt = Files.createDirectories(tmp.resolve("full-" + i));
      mountTmpfs(mnt, "size=8m");
      try {
        // The free-space check passes; then another writer fills the disk mid-download.
        long filler = sizes.nextLong(4L * MIB, 8L * MIB);
        AtomicBoolean filled = new AtomicBoolean();
        server.setRequestHook(
            q -> {
              if (q.range() != null
                  && !q.range().startsWith("bytes=0-")
                  && !filled.getAndSet(true)) {
                fill(mnt.resolve("filler"), filler);
              }
            });
        Path dest = mnt.resolve("models");
        var r = run(env(), server.url("/m/model.bin").toString(), dest.toString());
        failedCleanly(r, Failure.DISK, dest);
      } finally {
        umount(mnt);
      }
    }
  }

  @Test
  void aReadOnlyDestinationIsADiskFailure() throws Exception {
    Path mnt = Files.createDirectories(tmp.resolve("ro"));
    mountTmpfs(mnt, "ro,size=1m");
    try {
      Path dest = mnt.resolve("models");
      var r = run(env(), server.url("/m/model.bin").toString(), dest.toString());
      failedCleanly(r, Failure.DISK, dest);
    } finally {
      umount(mnt);
    }
  }

  @Test
  void aDestinationDeletedMidRunIsADiskFailure() throws IOException {
    Path dest = dest("deleted");
    AtomicBoolean deleted = new AtomicBoolean();
    server.setRequestHook(
        q -> {
          if (q.range() != null && !q.range().startsWith("bytes=0-") && !deleted.getAndSet(true)) {
            deleteTree(dest);
          }
        });
    var r = run(env(), server.url("/m/model.bin").toString(), dest.toString());
    failedCleanly(r, Failure.DISK, dest);
  }

  private static void fill(Path file, long bytes) {
    byte[] block = new byte[64 * 1024];
    try (var out = Files.newOutputStream(file)) {
      for (long n = 0; n < bytes; n += block.length) {
        out.write(block);
      }
    } catch (IOException e) {
      // The disk is full: what the filler is for.
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // Files come and go while the initializer runs; what is left is its to report.
    }
  }

  private static void mountTmpfs(Path dir, String options) throws Exception {
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
            .redirectErrorStream(true)
            .start();
    Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs");
  }

  private static void umount(Path dir) throws Exception {
    new ProcessBuilder(List.of("umount", dir.toString())).start().waitFor();
  }
}
