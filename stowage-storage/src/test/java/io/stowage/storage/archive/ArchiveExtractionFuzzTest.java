package io.stowage.storage.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Archive extraction (tar, tar.gz, tar.zst, zip; the first input byte picks the format): whatever
 * the bytes, extraction either succeeds with everything inside DEST (every link resolving inside
 * it) or fails with a StorageException of an archive's classes; nothing beside DEST changes; memory
 * stays bounded by the archive limits (8 MiB expanded here) and libFuzzer's per-input timeout
 * catches a hang. Corpus in {@code ArchiveExtractionFuzzTestInputs}.
 */
class ArchiveExtractionFuzzTest {
  private static final ArchiveFormat[] FORMATS = {
    ArchiveFormat.TAR, ArchiveFormat.TAR_GZIP, ArchiveFormat.TAR_ZSTD, ArchiveFormat.ZIP
  };
  private static final String[] NAMES = {"m.tar", "m.tar.gz", "m.tar.zst", "m.zip"};
  private static final byte[] SECRET = "outside: must not change".getBytes(StandardCharsets.UTF_8);
  private static final ArchiveExtractor EXTRACTOR =
      new ArchiveExtractor(new ArchiveLimits(8L << 20, 200, 1000));
  private static Path root;

  @BeforeAll
  static void sandbox() throws IOException {
    root = Files.createTempDirectory("stowage-archive-fuzz");
  }

  @AfterAll
  static void cleanUp() throws IOException {
    Trees.delete(root);
  }

  @FuzzTest(maxDuration = "20s")
  void anyArchiveStaysInsideItsDestination(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    int pick = (input[0] & 0xff) % FORMATS.length;
    Path run = Files.createDirectories(root.resolve("run"));
    try {
      Path outside = Files.createDirectories(run.resolve("outside"));
      Files.write(outside.resolve("secret"), SECRET);
      Path archive = run.resolve(NAMES[pick]);
      Files.write(archive, Arrays.copyOfRange(input, 1, input.length));
      Path dest = run.resolve("dest");
      try {
        EXTRACTOR.extract(archive, FORMATS[pick], dest);
        everythingResolvesInside(dest);
      } catch (StorageException e) {
        assertThat(e.failure()).isIn(Failure.UNSAFE_SOURCE, Failure.INTEGRITY);
        assertThat(e.getMessage()).doesNotContain("\n");
      }
      try (Stream<Path> beside = Files.list(run)) {
        assertThat(beside.map(p -> p.getFileName().toString()).sorted().toList())
            .isSubsetOf(List.of("dest", "outside", NAMES[pick]));
      }
      try (Stream<Path> out = Files.list(outside)) {
        assertThat(out.toList()).containsExactly(outside.resolve("secret"));
      }
      assertThat(Files.readAllBytes(outside.resolve("secret"))).isEqualTo(SECRET);
    } finally {
      Trees.delete(run);
    }
  }

  /** Every entry lies under DEST, and every link, dangling or not, points inside DEST. */
  private static void everythingResolvesInside(Path dest) throws IOException {
    Path real = dest.toRealPath();
    try (Stream<Path> all = Files.walk(dest)) {
      for (Path p : all.toList()) {
        Path entry = p.toRealPath(LinkOption.NOFOLLOW_LINKS);
        assertThat(entry.startsWith(real)).as("%s lies inside DEST", entry).isTrue();
        if (Files.isSymbolicLink(p)) {
          Path target = entry.resolveSibling(Files.readSymbolicLink(p)).normalize();
          assertThat(target.startsWith(real)).as("%s points inside DEST", entry).isTrue();
        }
      }
    }
  }
}
