package io.stowage.storage.archive;

import static io.stowage.storage.archive.Archives.compress;
import static io.stowage.storage.archive.Archives.fileName;
import static io.stowage.storage.archive.Archives.snapshot;
import static io.stowage.storage.archive.Archives.write;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Archives written by commons-compress: the tar dialects (PAX, GNU, long names, sizes over 8 GiB),
 * links, duplicate members, zip64, and extraction over an existing destination.
 */
class JavaBuiltArchivesTest {
  private static final String LONG_DIR =
      "a-directory-name-that-is-long-enough-to-need-an-extended-header/".repeat(4);

  @TempDir Path tmp;

  private final ArchiveExtractor extractor = new ArchiveExtractor(ArchiveLimits.defaults());

  private ExtractionResult extract(String name, byte[] archive, ArchiveFormat format, Path dest) {
    return extractor.extract(write(tmp.resolve(name), archive), format, dest);
  }

  @ParameterizedTest
  @EnumSource(ArchiveFormat.class)
  void everyFormatFromJava(ArchiveFormat format) throws IOException {
    byte[] weights = Archives.random(300_000, 3);
    byte[] archive =
        format == ArchiveFormat.ZIP
            ? new Archives.Zip()
                .dir("sub")
                .file("sub/weights.bin", weights, 0644)
                .file("run.sh", "#!/bin/sh\n".getBytes(UTF_8), 0755)
                .symlink("latest.bin", "sub/weights.bin")
                .file("empty", new byte[0], 0644)
                .bytes()
            : compress(
                new Archives.Tar()
                    .dir("sub")
                    .file("sub/weights.bin", weights, 0644)
                    .file("run.sh", "#!/bin/sh\n".getBytes(UTF_8), 0755)
                    .symlink("latest.bin", "sub/weights.bin")
                    .file("empty", new byte[0], 0644)
                    .bytes(),
                format);
    Path dest = tmp.resolve("dest");
    ExtractionResult r = extract(fileName("m", format), archive, format, dest);
    assertThat(Files.readAllBytes(dest.resolve("latest.bin"))).isEqualTo(weights);
    assertThat(Files.isSymbolicLink(dest.resolve("latest.bin"))).isTrue();
    assertThat(Archives.mode(dest.resolve("run.sh"))).isEqualTo("rwxr-xr-x");
    assertThat(Archives.mode(dest.resolve("sub/weights.bin"))).isEqualTo("rw-r--r--");
    assertThat(Archives.mode(dest.resolve("sub"))).isEqualTo("rwxr-xr-x");
    assertThat(r.files())
        .containsExactly(
            new ExtractedFile("sub/weights.bin", 300_000),
            new ExtractedFile("run.sh", 10),
            new ExtractedFile("empty", 0));
    assertThat(r.totalBytes()).isEqualTo(300_010);
    assertThat(Archives.names(dest))
        .containsExactlyInAnyOrder("sub", "run.sh", "latest.bin", "empty");
  }

  @Test
  void paxLongAndNonAsciiNames() throws IOException {
    String longName = LONG_DIR + "model-00001-of-00002.safetensors";
    byte[] archive =
        new Archives.Tar(
                TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.BIGNUMBER_POSIX)
            .file(longName, "shard")
            .file("modèle/权重.bin", "weights")
            .symlink("shortcut", longName)
            .bytes();
    Path dest = tmp.resolve("dest");
    extract("pax.tar", archive, ArchiveFormat.TAR, dest);
    assertThat(dest.resolve(longName)).hasContent("shard");
    assertThat(dest.resolve("modèle/权重.bin")).hasContent("weights");
    assertThat(dest.resolve("shortcut")).hasContent("shard");
    assertThat(longName.length()).isGreaterThan(255);
  }

  @Test
  void gnuLongNames() throws IOException {
    String longName = LONG_DIR + "tokenizer.json";
    byte[] archive =
        new Archives.Tar(TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.BIGNUMBER_STAR)
            .file(longName, "{}")
            .symlink("t.json", longName)
            .bytes();
    Path dest = tmp.resolve("dest");
    extract("gnu.tgz", compress(archive, ArchiveFormat.TAR_GZIP), ArchiveFormat.TAR_GZIP, dest);
    assertThat(dest.resolve(longName)).hasContent("{}");
    assertThat(dest.resolve("t.json")).hasContent("{}");
  }

  /**
   * A member over 8 GiB (the ustar size field's limit) in both encodings: PAX {@code size} and
   * GNU/star base-256. The header is read correctly (the size is named in the refusal), and with
   * the ratio check off the member streams until the archive ends.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      ints = {TarArchiveOutputStream.BIGNUMBER_POSIX, TarArchiveOutputStream.BIGNUMBER_STAR})
  void membersOverEightGibibytes(int bigNumberMode) {
    long nineGib = 9L << 30;
    byte[] tar =
        new Archives.Tar(TarArchiveOutputStream.LONGFILE_POSIX, bigNumberMode)
            .truncatedMember("shard.bin", nineGib, Archives.random(1 << 20, 5));
    Path archive = write(tmp.resolve("big-" + bigNumberMode + ".tar"), tar);

    StorageException tooBig =
        Archives.failureOf(
            () ->
                new ArchiveExtractor(new ArchiveLimits(8L << 30, 200, 10))
                    .extract(archive, ArchiveFormat.TAR, tmp.resolve("d1")));
    assertThat(tooBig.failure()).isEqualTo(Failure.UNSAFE_SOURCE);
    assertThat(tooBig.getMessage()).contains("'shard.bin'", "header declares 9.0 GiB");

    StorageException truncated =
        Archives.failureOf(
            () ->
                new ArchiveExtractor(new ArchiveLimits(1L << 40, Double.POSITIVE_INFINITY, 10))
                    .extract(archive, ArchiveFormat.TAR, tmp.resolve("d2")));
    assertThat(truncated.failure()).isEqualTo(Failure.INTEGRITY);
    assertThat(truncated.getMessage())
        .startsWith(ArchiveFailures.NOT_VALID)
        .contains("'shard.bin'")
        .containsIgnoringCase("truncated");
    assertThat(tmp.resolve("d2")).isEmptyDirectory();
  }

  @Test
  void hardLinksInsideTheRoot() throws IOException {
    byte[] archive =
        new Archives.Tar()
            .file("a/model.bin", "weights")
            .hardLink("b/model.bin", "a/model.bin")
            .hardLink("c.bin", "./a/model.bin")
            .bytes();
    Path dest = tmp.resolve("dest");
    ExtractionResult r = extract("links.tar", archive, ArchiveFormat.TAR, dest);
    assertThat(dest.resolve("b/model.bin")).hasContent("weights");
    assertThat(Files.isSameFile(dest.resolve("a/model.bin"), dest.resolve("c.bin"))).isTrue();
    assertThat(r.files())
        .containsExactly(
            new ExtractedFile("a/model.bin", 7),
            new ExtractedFile("b/model.bin", 7),
            new ExtractedFile("c.bin", 7));
    assertThat(r.totalBytes()).isEqualTo(7);
  }

  @Test
  void aLaterMemberReplacesAnEarlierOneOfTheSameName() throws IOException {
    byte[] archive =
        new Archives.Tar()
            .file("config.json", "old")
            .symlink("alias", "config.json")
            .file("alias", "now a file")
            .file("./config.json", "new")
            .bytes();
    Path dest = tmp.resolve("dest");
    ExtractionResult r = extract("dup.tar", archive, ArchiveFormat.TAR, dest);
    assertThat(dest.resolve("config.json")).hasContent("new");
    assertThat(Files.isSymbolicLink(dest.resolve("alias"))).isFalse();
    assertThat(r.files())
        .containsExactly(new ExtractedFile("alias", 10), new ExtractedFile("config.json", 3));
  }

  /**
   * Ratios above the limit are fine while little was extracted: 8 MiB of zeros shrink to 8 KiB
   * (1000:1), but nothing can be bombed with 8 MiB.
   */
  @Test
  void smallButHighlyCompressibleArchivesPass() throws IOException {
    byte[] tgz =
        compress(
            new Archives.Tar().file("zero-init.bin", new byte[8 << 20], 0644).bytes(),
            ArchiveFormat.TAR_GZIP);
    assertThat(tgz.length).isLessThan(64 << 10);
    Path dest = tmp.resolve("dest");
    ExtractionResult r = extract("dummy.tgz", tgz, ArchiveFormat.TAR_GZIP, dest);
    assertThat(r.totalBytes()).isEqualTo(8 << 20);
    assertThat(Files.size(dest.resolve("zero-init.bin"))).isEqualTo(8 << 20);
  }

  @Test
  void zip64() throws IOException {
    byte[] weights = Archives.random(200_000, 9);
    byte[] archive = new Archives.Zip().zip64().file("w/weights.bin", weights, 0644).bytes();
    Path dest = tmp.resolve("dest");
    extract("z64.zip", archive, ArchiveFormat.ZIP, dest);
    assertThat(Files.readAllBytes(dest.resolve("w/weights.bin"))).isEqualTo(weights);
  }

  @Test
  void setuidSetgidStickyAndWriteBitsAreDropped() throws IOException {
    byte[] archive =
        new Archives.Tar()
            .file("suid", "x".getBytes(UTF_8), 06777)
            .file("sticky", "y".getBytes(UTF_8), 01666)
            .file("private", "z".getBytes(UTF_8), 0600)
            .bytes();
    Path dest = tmp.resolve("dest");
    extract("modes.tar", archive, ArchiveFormat.TAR, dest);
    assertThat(Archives.mode(dest.resolve("suid"))).isEqualTo("rwxr-xr-x");
    assertThat(Archives.mode(dest.resolve("sticky"))).isEqualTo("rw-r--r--");
    assertThat(Archives.mode(dest.resolve("private"))).isEqualTo("rw-r--r--");
    Object mode = Files.getAttribute(dest.resolve("suid"), "unix:mode");
    assertThat(((Integer) mode) & 07000).isZero();
  }

  /**
   * Over existing content, top-level entries of the archive replace same-named ones (a file, a
   * whole directory, a symbolic link, which is replaced and not followed); the rest is kept, and a
   * killed run's staging directory is removed.
   */
  @Test
  void extractsOverExistingContent() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "keep me");
    Path dest = Files.createDirectories(tmp.resolve("dest"));
    Files.writeString(dest.resolve("config.json"), "old config");
    Files.createDirectories(dest.resolve("weights"));
    Files.writeString(dest.resolve("weights/stale.bin"), "stale");
    Files.writeString(dest.resolve("keep.txt"), "untouched");
    Files.createSymbolicLink(dest.resolve("model"), Path.of("../outside"));
    Path stale = Files.createDirectories(dest.resolve(".stowage-extract-0123456789ab/content/x"));
    Files.writeString(stale.resolve("partial.bin"), "left by a killed run");
    Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("r-x------"));
    Map<String, String> outsideBefore = snapshot(outside);

    byte[] archive =
        new Archives.Tar()
            .file("config.json", "new config")
            .file("weights/new.bin", "new")
            .file("model/secret", "would overwrite the outside file")
            .bytes();
    extract("model.tar", archive, ArchiveFormat.TAR, dest);

    assertThat(snapshot(outside)).isEqualTo(outsideBefore);
    assertThat(dest.resolve("config.json")).hasContent("new config");
    assertThat(dest.resolve("weights/stale.bin")).doesNotExist();
    assertThat(dest.resolve("weights/new.bin")).hasContent("new");
    assertThat(Files.isSymbolicLink(dest.resolve("model"))).isFalse();
    assertThat(dest.resolve("model/secret")).hasContent("would overwrite the outside file");
    assertThat(dest.resolve("keep.txt")).hasContent("untouched");
    assertThat(Archives.names(dest))
        .containsExactlyInAnyOrder("config.json", "weights", "keep.txt", "model");
  }

  @Test
  void theArchiveMayLieInsideTheDestination() throws IOException {
    Path dest = Files.createDirectories(tmp.resolve("mnt/models"));
    Path archive =
        write(
            dest.resolve("model.tgz"),
            compress(new Archives.Tar().file("m/x.bin", "x").bytes(), ArchiveFormat.TAR_GZIP));
    extractor.extract(archive, ArchiveFormat.TAR_GZIP, dest);
    assertThat(dest.resolve("m/x.bin")).hasContent("x");
    assertThat(archive).exists();
    assertThat(Archives.names(dest)).containsExactlyInAnyOrder("m", "model.tgz");
  }

  @Test
  void aMissingDestinationIsCreated() {
    byte[] archive = new Archives.Tar().file("x", "y").bytes();
    Path dest = tmp.resolve("a/b/c");
    extract("x.tar", archive, ArchiveFormat.TAR, dest);
    assertThat(dest.resolve("x")).hasContent("y");
  }

  @Test
  void trailingGarbageAfterACompleteGzipMemberIsIgnoredAsGzipDoes() {
    byte[] tgz = compress(new Archives.Tar().file("x", "y").bytes(), ArchiveFormat.TAR_GZIP);
    byte[] padded = java.util.Arrays.copyOf(tgz, tgz.length + 4096);
    Path dest = tmp.resolve("dest");
    extract("padded.tgz", padded, ArchiveFormat.TAR_GZIP, dest);
    assertThat(dest.resolve("x")).hasContent("y");
  }
}
