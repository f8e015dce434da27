package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferEngineTest {
  private static final long MIB = 1024 * 1024;

  @TempDir Path dest;

  private final MemorySource source = new MemorySource();
  private final List<String> retries = new ArrayList<>();

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt();
    }
    return b;
  }

  private static TransferSettings settings(int attempts) {
    return new TransferSettings(
        4,
        MIB,
        2,
        64 * 1024,
        new RetryPolicy(attempts, Duration.ofMillis(1), Duration.ofMillis(5)),
        Optional.empty(),
        true);
  }

  private TransferSummary run(TransferSettings s) {
    return new TransferEngine(s)
        .run(
            source,
            source.list(),
            dest,
            new TransferListener() {
              @Override
              public void retrying(RelativePath path, int attempt, String reason) {
                synchronized (retries) {
                  retries.add(path + ": " + reason);
                }
              }
            },
            new TransferProgress());
  }

  private void assertTreeMatchesSource() throws Exception {
    for (var e : source.files.entrySet()) {
      assertThat(Files.readAllBytes(dest.resolve(e.getKey())))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
    try (Stream<Path> s = Files.walk(dest)) {
      List<String> names =
          s.filter(Files::isRegularFile).map(p -> dest.relativize(p).toString()).sorted().toList();
      List<String> expected = new ArrayList<>(source.files.keySet());
      expected.add(".stowage-manifest.jsonl");
      assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void fetchesFilesOfEverySizeIntoTheirPlaces() throws Exception {
    source.put("config.json", "{}".getBytes(StandardCharsets.UTF_8));
    source.put("empty.txt", new byte[0]);
    source.put("sub/dir/w.bin", random((int) (5 * MIB + 123), 1));
    source.put("exact.bin", random((int) MIB, 2));
    TransferSummary s = run(settings(3));
    assertTreeMatchesSource();
    assertThat(s.fetchedBytes()).isEqualTo(2 + 5 * MIB + 123 + MIB);
    assertThat(s.retries()).isZero();
  }

  @Test
  void resumesCutConnectionsFromTheLastByteReceived() throws Exception {
    source.put("w.bin", random((int) (4 * MIB), 3));
    source.cut = n -> n <= 6;
    source.cutAfter = 300_000;
    TransferSummary s = run(settings(3));
    assertTreeMatchesSource();
    assertThat(s.retries()).isGreaterThanOrEqualTo(4);
    // A cut request is resumed from where it stopped, so nothing is fetched twice.
    assertThat(source.servedBytes.get()).isEqualTo(4 * MIB);
  }

  @Test
  void givesUpAfterTheConfiguredAttemptsWithoutProgress() {
    source.put("w.bin", random(1000, 4));
    source.refuse = n -> true;
    assertThatThrownBy(() -> run(settings(3)))
        .isInstanceOf(StorageException.class)
        .satisfies(e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.NETWORK));
    assertThat(source.requests.get()).isEqualTo(3);
    assertThat(dest.resolve("w.bin")).doesNotExist();
  }

  @Test
  void permanentFailuresAreNotRetried() {
    source.put("w.bin", random(1000, 5));
    source.deny = n -> true;
    assertThatThrownBy(() -> run(settings(5)))
        .satisfies(e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.AUTH));
    assertThat(source.requests.get()).isEqualTo(1);
  }

  @Test
  void corruptedBytesFailTheMd5CheckAndNothingIsPublished() throws Exception {
    source.put("w.bin", random((int) (3 * MIB), 6));
    source.corruptAt = 2 * MIB + 17;
    assertThatThrownBy(() -> run(settings(3)))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("Integrity check failed for w.bin")
        .satisfies(e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.INTEGRITY));
    assertThat(dest.resolve("w.bin")).doesNotExist();
    try (Stream<Path> s = Files.list(dest)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    }
  }

  @Test
  void aKilledRunResumesWithoutRefetchingCompletedParts() throws Exception {
    source.put("a.bin", random((int) (6 * MIB), 7));
    source.put("b.bin", random((int) (3 * MIB), 8));
    source.dieAfterRequests = 5;
    assertThatThrownBy(() -> run(settings(3))).isInstanceOf(StorageException.class);
    long firstRun = source.servedBytes.get();
    assertThat(firstRun).isGreaterThan(0);

    source.dieAfterRequests = Integer.MAX_VALUE;
    source.servedBytes.set(0);
    TransferSummary s = run(settings(3));
    assertTreeMatchesSource();
    assertThat(s.plan().resumedBytes() + s.plan().upToDateBytes()).isGreaterThan(0);
    assertThat(source.servedBytes.get()).isLessThan(9 * MIB);
  }

  @Test
  void aCompleteDestinationIsRecognisedWithoutFetching() throws Exception {
    source.put("a.bin", random((int) (2 * MIB), 9));
    source.put("b.json", "{}".getBytes(StandardCharsets.UTF_8));
    run(settings(3));
    int requests = source.requests.get();
    TransferSummary again = run(settings(3));
    assertThat(source.requests.get()).isEqualTo(requests);
    assertThat(again.plan().upToDate()).isEqualTo(2);
    assertThat(again.fetchedBytes()).isZero();
  }

  @Test
  void aFileChangedOnDiskOrAtTheSourceIsFetchedAgain() throws Exception {
    source.put("a.bin", random((int) MIB, 10));
    source.put("b.bin", random((int) MIB, 11));
    run(settings(3));
    Files.write(dest.resolve("a.bin"), random((int) MIB, 12));
    Files.setLastModifiedTime(
        dest.resolve("a.bin"), java.nio.file.attribute.FileTime.fromMillis(1));
    source.put("b.bin", random((int) MIB, 13));
    TransferSummary s = run(settings(3));
    assertThat(s.plan().upToDate()).isZero();
    assertTreeMatchesSource();
  }

  @Test
  void filesTheSourceNoLongerHasAreRemoved() throws Exception {
    source.put("keep.bin", random(100, 14));
    source.put("old.bin", random(100, 15));
    run(settings(3));
    source.files.remove("old.bin");
    run(settings(3));
    assertThat(dest.resolve("old.bin")).doesNotExist();
    assertTreeMatchesSource();
  }

  @Test
  void strayStagingFilesFromAnotherRunAreRemoved() throws Exception {
    Files.writeString(dest.resolve(".stowage-0123456789abcdef0123.partial"), "junk");
    source.put("a.bin", random(100, 16));
    run(settings(3));
    assertTreeMatchesSource();
  }

  @Test
  void refusesToWriteThroughASymbolicLinkInTheDestination() throws Exception {
    Path outside = Files.createTempDirectory("outside");
    Files.createSymbolicLink(dest.resolve("sub"), outside);
    source.put("sub/evil.bin", random(10, 17));
    assertThatThrownBy(() -> run(settings(3)))
        .satisfies(
            e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.UNSAFE_SOURCE))
        .hasMessageContaining("symbolic link");
    try (Stream<Path> s = Files.list(outside)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void aPathTooLongUnderTheDestinationIsRefusedBeforeAnythingIsFetched() throws Exception {
    int root = dest.toRealPath().toString().getBytes(StandardCharsets.UTF_8).length;
    // Every name fits and so does the path, but not once it is under the destination.
    String deep = ("d".repeat(200) + "/").repeat((4095 - root) / 201) + "f".repeat(100);
    source.put("small.bin", random(10, 30));
    source.put(deep, random(10, 31));
    assertThatThrownBy(() -> run(settings(3)))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE))
        .hasMessageContaining("4095")
        .hasMessageContaining("mem://test");
    assertThat(source.requests.get()).isZero();
    try (Stream<Path> s = Files.list(dest)) {
      assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("d".repeat(200));
    }
  }

  @Test
  void aPathWhoseStagingNameWouldBeTooLongIsRefusedBeforeAnythingIsFetched() throws Exception {
    int root = dest.toRealPath().toString().getBytes(StandardCharsets.UTF_8).length;
    // The file's own path is 4095 bytes with a one-byte name; its staging name is 37 bytes.
    int parent = 4095 - root - 1 - 2;
    StringBuilder dirs = new StringBuilder();
    while (parent - dirs.length() > 201) {
      dirs.append("d".repeat(200)).append('/');
    }
    dirs.append("e".repeat(parent - dirs.length()));
    String path = dirs + "/f";
    assertThat(dest.toRealPath().resolve(path).toString().getBytes(StandardCharsets.UTF_8))
        .hasSize(4095);
    source.put(path, random(10, 32));
    assertThatThrownBy(() -> run(settings(3)))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE))
        .hasMessageContaining("staging");
    assertThat(source.requests.get()).isZero();
  }

  @Test
  void sizeOnlyFilesAreVerifiedBySize() throws Exception {
    source.claimMd5 = false;
    source.put("a.bin", random((int) (2 * MIB), 18));
    run(settings(3));
    assertTreeMatchesSource();
  }

  @Test
  void aDeadlineStopsTheTransferWithANetworkFailure() {
    source.put("a.bin", random((int) (2 * MIB), 19));
    source.refuse = n -> true;
    TransferSettings s =
        new TransferSettings(
            2,
            MIB,
            2,
            65536,
            new RetryPolicy(1000, Duration.ofMillis(50), Duration.ofMillis(50)),
            Optional.of(Duration.ofMillis(300)),
            false);
    assertThatThrownBy(() -> run(s)).hasMessageContaining("deadline");
  }

  @Test
  void withoutRangesAFailedStreamStartsOverAndEveryFailureCounts() throws Exception {
    source.seekable = false;
    source.put("w.bin", random((int) (3 * MIB), 20));
    source.cut = n -> n <= 2;
    source.cutAfter = 500_000;
    TransferSummary s = run(settings(3));
    assertTreeMatchesSource();
    assertThat(s.retries()).isEqualTo(2);
    assertThat(source.servedBytes.get()).isEqualTo(3 * MIB + 2 * 500_000);

    source.cut = n -> true;
    source.put("w.bin", random((int) (3 * MIB), 21));
    assertThatThrownBy(() -> run(settings(3)))
        .satisfies(e -> assertThat(((StorageException) e).failure()).isEqualTo(Failure.NETWORK));
  }

  @Test
  void aFileOfUnknownSizeIsReadToTheEndOfTheStream() throws Exception {
    source.seekable = false;
    source.announceSize = false;
    source.put("stream.bin", random((int) (2 * MIB + 7), 22));
    source.put("empty.bin", new byte[0]);
    TransferSummary s = run(settings(3));
    assertTreeMatchesSource();
    assertThat(s.fetchedBytes()).isEqualTo(2 * MIB + 7);
  }
}
