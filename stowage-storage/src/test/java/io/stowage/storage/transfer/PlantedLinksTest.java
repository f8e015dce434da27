package io.stowage.storage.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever holds one of Stowage's own names in the destination (staging files, the manifest, its
 * compaction) is removed as a name and never written through: a link planted there must not lead a
 * download out of the destination, and the download still succeeds.
 */
class PlantedLinksTest {
  private static final long MIB = 1024 * 1024;
  private static final String PRECIOUS = "someone else's file\n";

  @TempDir Path dest;
  @TempDir Path outside;

  private final MemorySource source = new MemorySource();

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private void run() {
    TransferSettings s =
        new TransferSettings(
            2,
            MIB,
            2,
            64 * 1024,
            new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(5)),
            Optional.empty(),
            true);
    new TransferEngine(s)
        .run(source, source.list(), dest, TransferListener.NONE, new TransferProgress());
  }

  private Path victim() throws Exception {
    Path v = outside.resolve("victim.txt");
    Files.writeString(v, PRECIOUS);
    return v;
  }

  private void assertOutsideUntouched(Path victim) throws Exception {
    assertThat(Files.readString(victim)).isEqualTo(PRECIOUS);
    try (Stream<Path> s = Files.list(outside)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("victim.txt");
    }
  }

  private void assertPublished(String name, byte[] content) throws Exception {
    Path p = dest.resolve(name);
    assertThat(Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).as(name + " is a file").isTrue();
    assertThat(Files.readAllBytes(p)).isEqualTo(content);
  }

  private Path stagingName(String path) {
    return Destination.open(dest).staging(new RelativePath(path));
  }

  @Test
  void aLinkAtAStagingNameIsReplacedNotWrittenThrough() throws Exception {
    Path victim = victim();
    byte[] content = random((int) (2 * MIB + 5), 1);
    source.put("sub/model.bin", content);
    Files.createDirectories(dest.resolve("sub"));
    Files.createSymbolicLink(stagingName("sub/model.bin"), victim);

    run();

    assertOutsideUntouched(victim);
    assertPublished("sub/model.bin", content);
  }

  @Test
  void aDanglingLinkAtAStagingNameCreatesNothingOutside() throws Exception {
    Path victim = victim();
    byte[] content = random(1000, 2);
    source.put("model.bin", content);
    Files.createSymbolicLink(stagingName("model.bin"), outside.resolve("created-by-stowage"));

    run();

    assertOutsideUntouched(victim);
    assertPublished("model.bin", content);
  }

  @Test
  void aLinkAtAStrayStagingNameIsRemovedWithoutFollowingIt() throws Exception {
    Path victim = victim();
    source.put("model.bin", random(100, 3));
    Path stray = dest.resolve(".stowage-0123456789abcdef0123.partial");
    Files.createSymbolicLink(stray, victim);

    run();

    assertOutsideUntouched(victim);
    assertThat(Files.exists(stray, LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aLinkAtTheManifestIsReplacedAndTheJournalStaysInside() throws Exception {
    Path victim = victim();
    byte[] content = random(1000, 4);
    source.put("model.bin", content);
    Path manifest = dest.resolve(Manifest.FILE_NAME);
    Files.createSymbolicLink(manifest, victim);

    run();

    assertOutsideUntouched(victim);
    assertPublished("model.bin", content);
    assertThat(Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)).isTrue();
    assertThat(Files.readString(manifest, StandardCharsets.UTF_8)).contains("\"type\":\"file\"");
  }

  @Test
  void aLinkAtTheManifestsCompactionNameIsNotWrittenThrough() throws Exception {
    Path victim = victim();
    source.put("model.bin", random(1000, 5));
    // Planted while the run is going: after the manifest opened, before it compacts.
    source.onFirstRequest =
        () -> {
          try {
            Files.createSymbolicLink(dest.resolve(Manifest.TEMP_NAME), victim);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };

    run();

    assertOutsideUntouched(victim);
    assertThat(Files.exists(dest.resolve(Manifest.TEMP_NAME), LinkOption.NOFOLLOW_LINKS)).isFalse();
  }

  @Test
  void aLinkAtTheManifestIsNotReadEither() throws Exception {
    // A manifest outside claiming the file is in place must not be trusted: it is not ours.
    byte[] content = random(1000, 6);
    source.put("model.bin", content);
    run();
    Path elsewhere = outside.resolve("manifest.jsonl");
    Files.move(dest.resolve(Manifest.FILE_NAME), elsewhere);
    Files.createSymbolicLink(dest.resolve(Manifest.FILE_NAME), elsewhere);
    int before = source.requests.get();

    run();

    assertThat(source.requests.get()).isGreaterThan(before);
    assertPublished("model.bin", content);
    assertThat(Files.isRegularFile(dest.resolve(Manifest.FILE_NAME), LinkOption.NOFOLLOW_LINKS))
        .isTrue();
  }

  @Test
  void aFifoAtAStagingNameIsRemoved() throws Exception {
    byte[] content = random(1000, 7);
    source.put("model.bin", content);
    Path staging = stagingName("model.bin");
    Process p = new ProcessBuilder("mkfifo", staging.toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();

    run();

    assertPublished("model.bin", content);
  }

  @Test
  void aDirectoryFullOfDataAtTheManifestNameIsReportedNotDeleted() throws Exception {
    source.put("model.bin", random(100, 8));
    Path dir = dest.resolve(Manifest.FILE_NAME);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("data"), "kept");

    org.assertj.core.api.Assertions.assertThatThrownBy(this::run)
        .isInstanceOfSatisfying(
            io.stowage.storage.StorageException.class,
            e -> assertThat(e.failure()).isEqualTo(io.stowage.storage.Failure.DISK))
        .hasMessageContaining(Manifest.FILE_NAME)
        .hasMessageContaining("directory");
    assertThat(Files.readString(dir.resolve("data"))).isEqualTo("kept");
  }

  @Test
  void theManifestReaderIgnoresALinkedManifest() throws Exception {
    Path elsewhere = outside.resolve("manifest.jsonl");
    Files.writeString(
        elsewhere,
        """
        {"v":1,"type":"session","boot":"b","durable":true}
        {"v":1,"type":"complete","source":"s","files":1,"bytes":1,"at":"x"}
        """);
    Files.createSymbolicLink(dest.resolve(Manifest.FILE_NAME), elsewhere);
    assertThat(ManifestView.read(dest).exists()).isFalse();
    assertThat(Files.readString(elsewhere)).contains("complete");
  }
}
