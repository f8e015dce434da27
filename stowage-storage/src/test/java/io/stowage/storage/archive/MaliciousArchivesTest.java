package io.stowage.storage.archive;

import static io.stowage.storage.archive.Archives.compress;
import static io.stowage.storage.archive.Archives.snapshot;
import static io.stowage.storage.archive.Archives.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile and damaged archives. Each must fail with the right class and one line naming the member,
 * and leave everything as it was: the destination (which already holds a model and a symbolic link
 * pointing outside), the sibling directory beside it, and the rest of the temporary tree are
 * compared byte for byte before and after.
 */
class MaliciousArchivesTest {
  private static final String LONG = "long-enough-to-need-an-extended-header/".repeat(4);

  @TempDir Path tmp;
  private Path dest;
  private Path outside;

  @BeforeEach
  void aDestinationWithContentAndASibling() throws IOException {
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "must not change");
    dest = Files.createDirectories(tmp.resolve("models"));
    Files.writeString(dest.resolve("config.json"), "{}");
    Files.createDirectories(dest.resolve("sub"));
    Files.writeString(dest.resolve("sub/old.bin"), "old weights");
    Files.createSymbolicLink(dest.resolve("escape"), Path.of("../outside"));
  }

  // --- names -------------------------------------------------------------------------------

  @Test
  void absoluteUstarName() {
    byte[] tar = new Archives.Tar().file("/etc/stowage-evil", "x").bytes();
    assertUnsafe(refuse("abs.tar", tar), "/etc/stowage-evil", "absolute paths are not allowed");
  }

  @Test
  void absolutePaxLongName() {
    String name = "/" + LONG + "evil";
    byte[] tar =
        new Archives.Tar(
                TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.BIGNUMBER_POSIX)
            .file(name, "x")
            .bytes();
    assertUnsafe(refuse("pax.tar", tar), "'/long-enough", "absolute paths are not allowed");
  }

  @Test
  void absoluteGnuLongName() {
    String name = "/" + LONG + "evil";
    byte[] tar =
        new Archives.Tar(TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.BIGNUMBER_STAR)
            .file(name, "x")
            .bytes();
    assertUnsafe(refuse("gnu.tar", tar), "'/long-enough", "absolute paths are not allowed");
  }

  @Test
  void windowsAbsoluteNames() {
    assertUnsafe(
        refuse("c.tar", new Archives.Tar().file("C:\\evil.txt", "x").bytes()),
        "C:\\evil.txt",
        "absolute");
    assertUnsafe(
        refuse("c.zip", new Archives.Zip().file("C:/evil.txt", "x").bytes()),
        "C:/evil.txt",
        "absolute");
    // commons-compress writes (and reads) backslashes as '/' in zip names.
    assertUnsafe(
        refuse("b.zip", new Archives.Zip().file("\\evil.txt", "x").bytes()),
        "evil.txt",
        "absolute");
  }

  @Test
  void absoluteZipName() {
    assertUnsafe(
        refuse("abs.zip", new Archives.Zip().file("/tmp/evil", "x").bytes()),
        "/tmp/evil",
        "absolute paths are not allowed");
  }

  @Test
  void dotDotTraversal() {
    for (String name : new String[] {"../evil", "a/../../evil", "sub/x/../../../outside/secret"}) {
      assertUnsafe(
          refuse("dd.tar", new Archives.Tar().file("ok.txt", "fine").file(name, "x").bytes()),
          name,
          "contains '..'");
      assertUnsafe(
          refuse("dd.zip", new Archives.Zip().file("ok.txt", "fine").file(name, "x").bytes()),
          name,
          "contains '..'");
    }
    assertUnsafe(
        refuse("bs.tar", new Archives.Tar().file("..\\..\\evil", "x").bytes()),
        "..\\..\\evil",
        "contains '..'");
    assertUnsafe(
        refuse("bs.zip", new Archives.Zip().file("..\\..\\evil", "x").bytes()),
        "evil",
        "contains '..'");
  }

  @Test
  void namesReservedByStowage() {
    assertUnsafe(
        refuse("m.tar", new Archives.Tar().file(".stowage-manifest.jsonl", "{}").bytes()),
        ".stowage-manifest.jsonl",
        "reserved by Stowage");
  }

  // --- symbolic links ------------------------------------------------------------------------

  @Test
  void symlinkToAnAbsolutePathThenAFileThroughIt() {
    String evil = "evil-" + UUID.randomUUID();
    byte[] tar = new Archives.Tar().symlink("link", "/tmp").file("link/" + evil, "x").bytes();
    assertUnsafe(refuse("abs-link.tar", tar), "link", "absolute path '/tmp'");
    assertThat(Path.of("/tmp", evil)).doesNotExist();

    byte[] zip = new Archives.Zip().symlink("link", "/tmp").file("link/" + evil, "x").bytes();
    assertUnsafe(refuse("abs-link.zip", zip), "link", "absolute path '/tmp'");
    assertThat(Path.of("/tmp", evil)).doesNotExist();
  }

  @Test
  void symlinkToTheSiblingDirectoryByAbsolutePath() {
    byte[] tar =
        new Archives.Tar()
            .symlink("weights", outside.toString())
            .file("weights/secret", "overwritten")
            .bytes();
    assertUnsafe(refuse("sib.tar", tar), "weights", "points outside the destination");
  }

  @Test
  void relativeSymlinksClimbingOut() {
    assertUnsafe(
        refuse("up.tar", new Archives.Tar().symlink("a/link", "../../outside").bytes()),
        "a/link",
        "resolves outside the destination");
    assertUnsafe(
        refuse("up2.tar", new Archives.Tar().symlink("parent", "..").bytes()),
        "parent",
        "resolves outside the destination");
    assertUnsafe(
        refuse("up.zip", new Archives.Zip().symlink("s", "sub/../../outside/secret").bytes()),
        "'s'",
        "resolves outside the destination");
  }

  @Test
  void writingThroughALinkThatStaysInsideIsRefusedToo() {
    byte[] tar =
        new Archives.Tar().dir("real").symlink("link", "real").file("link/evil", "x").bytes();
    assertUnsafe(refuse("through.tar", tar), "link/evil", "written through 'link'");
  }

  @Test
  void symlinkEscapingThroughAnotherLink() {
    // d/l1 -> .. is the root, harmless alone; x -> d/l1/.. is the root's parent.
    byte[] tar = new Archives.Tar().dir("d").symlink("d/l1", "..").symlink("x", "d/l1/..").bytes();
    assertUnsafe(refuse("chain.tar", tar), "'x'", "resolves outside the destination");
  }

  @Test
  void symlinkEscapingThroughALinkTheArchiveAddsLater() {
    // When x is written, d/l1 does not exist yet and x looks harmless; the final check catches it.
    byte[] tar = new Archives.Tar().symlink("x", "d/l1/..").dir("d").symlink("d/l1", "..").bytes();
    assertUnsafe(refuse("later.tar", tar), "'x'", "through other links in the archive");
  }

  @Test
  void symlinkLoop() {
    byte[] tar = new Archives.Tar().symlink("a", "b").symlink("b", "a").bytes();
    assertUnsafe(refuse("loop.tar", tar), "'a'", "loop");
  }

  // --- hard links ----------------------------------------------------------------------------

  @Test
  void hardLinksToAnythingButAFileExtractedBefore() {
    assertUnsafe(
        refuse("h1.tar", new Archives.Tar().hardLink("h", "../outside/secret").bytes()),
        "'h'",
        "leads outside the destination");
    assertUnsafe(
        refuse("h2.tar", new Archives.Tar().hardLink("h", "/etc/passwd").bytes()),
        "'h'",
        "absolute path '/etc/passwd'");
    assertUnsafe(
        refuse(
            "h3.tar", new Archives.Tar().hardLink("h", "later.bin").file("later.bin", "x").bytes()),
        "'h'",
        "not a regular file extracted before it");
    assertUnsafe(
        refuse("h4.tar", new Archives.Tar().dir("d").hardLink("h", "d").bytes()),
        "'h'",
        "not a regular file extracted before it");
    assertUnsafe(
        refuse(
            "h5.tar",
            new Archives.Tar().file("f", "x").symlink("s", "f").hardLink("h", "s").bytes()),
        "'h'",
        "not a regular file extracted before it");
    assertUnsafe(
        refuse("h6.tar", new Archives.Tar().hardLink("h", "escape/secret").bytes()),
        "'h'",
        "not a regular file extracted before it");
  }

  // --- special files -------------------------------------------------------------------------

  @Test
  void deviceFilesAndFifos() {
    assertUnsafe(
        refuse("c.tar", new Archives.Tar().special("dev/null", TarConstants.LF_CHR).bytes()),
        "dev/null",
        "character device files are not allowed");
    assertUnsafe(
        refuse("b.tar", new Archives.Tar().special("dev/sda", TarConstants.LF_BLK).bytes()),
        "dev/sda",
        "block device files are not allowed");
    assertUnsafe(
        refuse("p.tar", new Archives.Tar().special("pipe", TarConstants.LF_FIFO).bytes()),
        "pipe",
        "named pipes (FIFOs) are not allowed");
    assertUnsafe(
        refuse("c.zip", new Archives.Zip().special("dev/null", 0020666).bytes()),
        "dev/null",
        "character device files are not allowed");
  }

  @Test
  void aFileWhereTheArchiveLaterNeedsADirectory() {
    assertUnsafe(
        refuse("fd.tar", new Archives.Tar().file("a", "x").file("a/b", "y").bytes()),
        "a/b",
        "'a' is a file in the archive, not a directory");
    assertUnsafe(
        refuse("df.tar", new Archives.Tar().dir("d").file("d/x", "x").file("d", "y").bytes()),
        "'d'",
        "a directory of the same name");
  }

  // --- bombs ---------------------------------------------------------------------------------

  /**
   * 256 MiB of zeros in about 300 KiB of tar.gz (concatenated gzip members, as gzip allows): the
   * header alone gives it away, so not a byte is written.
   */
  @Test
  void gzipBomb() {
    long size = 256L << 20;
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    byte[] header = new Archives.Tar().truncatedMember("zeros.bin", size, new byte[0]);
    bomb.writeBytes(compress(header, ArchiveFormat.TAR_GZIP));
    byte[] mebibyteOfZeros = compress(new byte[1 << 20], ArchiveFormat.TAR_GZIP);
    for (int i = 0; i < 257; i++) {
      bomb.writeBytes(mebibyteOfZeros);
    }
    StorageException e =
        refuse("bomb.tar.gz", bomb.toByteArray(), ArchiveFormat.TAR_GZIP, ArchiveLimits.defaults());
    assertUnsafe(e, "zeros.bin", "header declares 256.0 MiB");
    assertThat(e.getMessage())
        .startsWith("Refusing archive 'bomb.tar.gz' at member 'zeros.bin'")
        .contains("more than 200 times its size", "STOWAGE_ARCHIVE_MAX_RATIO");
  }

  /** Zeros hidden after the end-of-archive marker are counted while they stream. */
  @Test
  void bombAfterTheEndOfTheTar() {
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    bomb.writeBytes(
        compress(new Archives.Tar().file("config.json", "{}").bytes(), ArchiveFormat.TAR_GZIP));
    byte[] mebibyteOfZeros = compress(new byte[1 << 20], ArchiveFormat.TAR_GZIP);
    for (int i = 0; i < 64; i++) {
      bomb.writeBytes(mebibyteOfZeros);
    }
    StorageException e =
        refuse("tail.tgz", bomb.toByteArray(), ArchiveFormat.TAR_GZIP, ArchiveLimits.defaults());
    assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE);
    assertThat(e.getMessage())
        .isEqualTo(
            "Refusing archive 'tail.tgz' after its last member: it expands to more than 200 times"
                + " its size of "
                + ArchiveFailures.bytes(bomb.size())
                + ", the mark of a decompression bomb; raise STOWAGE_ARCHIVE_MAX_RATIO if it is"
                + " genuine");
  }

  @Test
  void zipBomb() {
    byte[] zip = new Archives.Zip().file("zeros.bin", new byte[64 << 20], 0644).bytes();
    assertThat(zip.length).isLessThan(1 << 20);
    StorageException e = refuse("bomb.zip", zip, ArchiveFormat.ZIP, ArchiveLimits.defaults());
    assertUnsafe(e, "zeros.bin", "more than 200 times its size");
  }

  @Test
  void tooManyEntries() {
    Archives.Tar tar = new Archives.Tar();
    for (int i = 0; i <= 10; i++) {
      tar.file("f" + i, "x");
    }
    StorageException e =
        refuse("many.tar", tar.bytes(), ArchiveFormat.TAR, new ArchiveLimits(1 << 20, 200, 10));
    assertUnsafe(e, "f10", "more than 10 entries");
    assertThat(e.getMessage()).contains("STOWAGE_ARCHIVE_MAX_ENTRIES");
  }

  @Test
  void tooManyBytes() {
    Archives.Zip zip = new Archives.Zip();
    for (int i = 0; i < 3; i++) {
      zip.file("w" + i + ".bin", Archives.random(400 << 10, i), 0644);
    }
    StorageException e =
        refuse(
            "big.zip",
            zip.bytes(),
            ArchiveFormat.ZIP,
            new ArchiveLimits(1 << 20, Double.POSITIVE_INFINITY, 100));
    assertUnsafe(e, "w2.bin", "more than 1.0 MiB");
    assertThat(e.getMessage()).contains("STOWAGE_ARCHIVE_MAX_BYTES");
  }

  /**
   * xz needs as much memory as the dictionary the archive announces: a 1 GiB dictionary is refused
   * before anything is allocated (the limit is 128 MiB; xz -9 needs 64 MiB).
   */
  @Test
  void xzAnnouncingAGibibyteDictionary() {
    byte[] txz = compress(new Archives.Tar().file("x", "y").bytes(), ArchiveFormat.TAR_XZ);
    // Stream header (12 bytes), then the block header: size, flags, LZMA2 filter id 0x21,
    // properties size 1, the dictionary-size byte, padding, CRC-32 of the header.
    int headerSize = (txz[12] + 1) * 4;
    assertThat(txz[14]).isEqualTo((byte) 0x21);
    txz[16] = 36; // (2 | 36 & 1) << (36 / 2 + 11) = 1 GiB
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(txz, 12, headerSize - 4);
    long value = crc.getValue();
    for (int i = 0; i < 4; i++) {
      txz[12 + headerSize - 4 + i] = (byte) (value >>> (8 * i));
    }
    StorageException e = refuse("dict.tar.xz", txz, ArchiveFormat.TAR_XZ, ArchiveLimits.defaults());
    assertThat(e.failure()).isEqualTo(Failure.UNSAFE_SOURCE);
    assertThat(e.getMessage())
        .startsWith("Refusing archive 'dict.tar.xz': decompressing it needs more memory");
  }

  // --- damage --------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(ArchiveFormat.class)
  void truncatedArchives(ArchiveFormat format) {
    byte[] weights = Archives.random(100_000, 11);
    byte[] whole =
        format == ArchiveFormat.ZIP
            ? new Archives.Zip().file("a.txt", "a").file("w.bin", weights, 0644).bytes()
            : compress(
                new Archives.Tar().file("a.txt", "a").file("w.bin", weights, 0644).bytes(), format);
    byte[] cut = Arrays.copyOf(whole, whole.length * 6 / 10);
    StorageException e =
        refuse(Archives.fileName("cut", format), cut, format, ArchiveLimits.defaults());
    assertCorrupt(e);
  }

  @Test
  void aFlippedByteFailsTheGzipChecksum() {
    byte[] tgz =
        compress(
            new Archives.Tar().file("w.bin", Archives.random(200_000, 12), 0644).bytes(),
            ArchiveFormat.TAR_GZIP);
    // Incompressible data is stored verbatim: only the CRC-32 at the end can notice.
    tgz[tgz.length / 2] ^= 0x01;
    assertCorrupt(refuse("flip.tgz", tgz, ArchiveFormat.TAR_GZIP, ArchiveLimits.defaults()));
  }

  @Test
  void zipMemberLargerThanItsHeadersSay() {
    byte[] zip =
        new Archives.Zip().lying("w.bin", Archives.random(50_000, 13), 1_000, 0, true).bytes();
    StorageException e = refuse("lie.zip", zip, ArchiveFormat.ZIP, ArchiveLimits.defaults());
    assertCorrupt(e);
    assertThat(e.getMessage()).contains("'w.bin' holds more data than the 1000 bytes");
  }

  @Test
  void zipCrcMismatch() {
    byte[] zip =
        new Archives.Zip()
            .lying("w.bin", "weights".getBytes(StandardCharsets.UTF_8), 7, 42, false)
            .bytes();
    StorageException e = refuse("crc.zip", zip, ArchiveFormat.ZIP, ArchiveLimits.defaults());
    assertCorrupt(e);
    assertThat(e.getMessage()).contains("'w.bin' fails its CRC-32 check");
  }

  @ParameterizedTest
  @EnumSource(ArchiveFormat.class)
  void notAnArchiveAtAll(ArchiveFormat format) {
    byte[] text = "<html>Access denied</html>\n".getBytes(StandardCharsets.UTF_8);
    assertCorrupt(
        refuse(Archives.fileName("model", format), text, format, ArchiveLimits.defaults()));
  }

  @Test
  void anEmptyFile() {
    StorageException e =
        refuse("empty.tgz", new byte[0], ArchiveFormat.TAR_GZIP, ArchiveLimits.defaults());
    assertCorrupt(e);
    assertThat(e.getMessage()).endsWith("'empty.tgz': the file is empty");
  }

  @Test
  void anArchiveWithoutMembers() {
    StorageException e =
        refuse("none.tar", new byte[10240], ArchiveFormat.TAR, ArchiveLimits.defaults());
    assertCorrupt(e);
    assertThat(e.getMessage()).endsWith("'none.tar': it holds no members");
  }

  @Test
  void aMemberPathLongerThanLinuxTakes() {
    String name = ("d".repeat(200) + "/").repeat(21) + "f";
    byte[] tar =
        new Archives.Tar(
                TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.BIGNUMBER_POSIX)
            .file(name, "x")
            .bytes();
    assertUnsafe(refuse("deep.tar", tar), "'dddd", "4095 bytes");
  }

  // --- Stowage's own names in the destination ------------------------------------------------

  /**
   * Links planted at the extractor's staging names (a leftover to clean, and the name a run would
   * create) are removed as links: the directory they point to keeps its content.
   */
  @Test
  void linksAtStagingNamesAreRemovedNotFollowed() throws Exception {
    Files.createSymbolicLink(
        dest.resolve(ArchiveExtractor.STAGING_PREFIX + "000000000000"), outside);
    Files.createSymbolicLink(
        dest.resolve(ArchiveExtractor.STAGING_PREFIX + "leftover"), outside.resolve("secret"));
    Map<String, String> outsideBefore = snapshot(outside);
    Path archive = write(tmp.resolve("in/m.tar"), new Archives.Tar().file("w.bin", "w").bytes());

    new ArchiveExtractor(ArchiveLimits.defaults()).extract(archive, ArchiveFormat.TAR, dest);

    assertThat(snapshot(outside)).isEqualTo(outsideBefore);
    assertThat(dest.resolve("w.bin")).hasContent("w");
    try (var names = Files.list(dest)) {
      assertThat(names.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.startsWith(ArchiveExtractor.STAGING_PREFIX));
    }
  }

  // --- the destination's own failures --------------------------------------------------------

  @Test
  void aFullDiskLeavesTheDestinationAsItWas() throws Exception {
    Path small = Files.createDirectories(tmp.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
            .redirectErrorStream(true)
            .start();
    mount.getInputStream().readAllBytes();
    Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs");
    try {
      Path models = Files.createDirectories(small.resolve("models"));
      Files.writeString(models.resolve("config.json"), "old");
      Map<String, String> before = snapshot(small);
      Path archive =
          write(
              tmp.resolve("in/big.tar"),
              new Archives.Tar()
                  .file("config.json", "new")
                  .file("w.bin", Archives.random(3 << 20, 14), 0644)
                  .bytes());
      StorageException e =
          Archives.failureOf(
              () ->
                  new ArchiveExtractor(ArchiveLimits.defaults())
                      .extract(archive, ArchiveFormat.TAR, models));
      assertThat(e.failure()).isEqualTo(Failure.DISK);
      assertThat(e.getMessage()).contains("no space left on device").doesNotContain("\n");
      assertThat(snapshot(small)).isEqualTo(before);
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor();
    }
  }

  /**
   * The last step renames top-level entries into place. When one rename fails half-way (here: the
   * existing entry is a mount point, which cannot be renamed), those already moved are put back.
   */
  @Test
  void aRenameFailingHalfWayPutsEverythingBack() throws Exception {
    Path mountPoint = Files.createDirectories(dest.resolve("weights"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.toString())
            .redirectErrorStream(true)
            .start();
    mount.getInputStream().readAllBytes();
    Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs");
    try {
      Files.writeString(mountPoint.resolve("old.bin"), "old");
      byte[] tar =
          new Archives.Tar()
              .file("config.json", "new config")
              .file("weights/new.bin", "new")
              .bytes();
      StorageException e = refuse("model.tar", tar);
      assertThat(e.failure()).isEqualTo(Failure.DISK);
      assertThat(e.getMessage()).startsWith("Cannot move the extracted content into " + dest);
      assertThat(dest.resolve("config.json")).hasContent("{}");
    } finally {
      new ProcessBuilder("umount", mountPoint.toString()).start().waitFor();
    }
  }

  // -------------------------------------------------------------------------------------------

  private StorageException refuse(String name, byte[] archive) {
    ArchiveFormat format = ArchiveFormat.ofFileName(name).orElseThrow();
    return refuse(name, archive, format, ArchiveLimits.defaults());
  }

  /** Extracts, expecting a failure, and checks that nothing on disk changed. */
  private StorageException refuse(
      String name, byte[] archive, ArchiveFormat format, ArchiveLimits limits) {
    Path file = write(tmp.resolve("in").resolve(name), archive);
    Map<String, String> before = snapshot(tmp);
    StorageException e =
        Archives.failureOf(() -> new ArchiveExtractor(limits).extract(file, format, dest));
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
    assertThat(snapshot(tmp)).as(e.getMessage()).isEqualTo(before);
    assertThat(outside.resolve("secret")).hasContent("must not change");
    return e;
  }

  private static void assertUnsafe(StorageException e, String member, String reason) {
    assertThat(e.failure()).as(e.getMessage()).isEqualTo(Failure.UNSAFE_SOURCE);
    assertThat(e.getMessage()).startsWith("Refusing archive").contains(member, reason);
  }

  private static void assertCorrupt(StorageException e) {
    assertThat(e.failure()).as(e.getMessage()).isEqualTo(Failure.INTEGRITY);
    assertThat(e.getMessage()).startsWith(ArchiveFailures.NOT_VALID + " '");
  }
}
