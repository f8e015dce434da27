package io.stowage.storage.archive;

import static io.stowage.storage.archive.Archives.assumeTool;
import static io.stowage.storage.archive.Archives.run;
import static io.stowage.storage.archive.Archives.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives made by the system's own tools ({@code tar}, {@code gzip}, {@code bzip2}, {@code xz},
 * {@code zstd}, {@code zip}) extract to exactly the tree they were made from: contents, modes,
 * empty files and directories, symbolic links.
 */
class SystemToolArchivesTest {
  @TempDir Path tmp;
  private Path model;

  @BeforeEach
  void aModelTree() throws IOException {
    model = Files.createDirectories(tmp.resolve("model"));
    Files.writeString(model.resolve("config.json"), "{\"architectures\": [\"Llama\"]}\n");
    Files.createFile(model.resolve("empty.txt"));
    Path run = Files.createDirectories(model.resolve("bin")).resolve("serve.sh");
    Files.writeString(run, "#!/bin/sh\nexec true\n");
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path deep = Files.createDirectories(model.resolve("nested/a/b/c"));
    Files.write(deep.resolve("deep.bin"), Archives.random(100_000, 1));
    Files.createDirectories(model.resolve("empty-dir"));
    Files.createSymbolicLink(model.resolve("latest.json"), Path.of("config.json"));
    Files.createSymbolicLink(deep.resolve("up.json"), Path.of("../../../../config.json"));
    // tar stores the second name of an inode as a hard link member; zip stores the bytes twice.
    Files.createLink(model.resolve("nested/same.bin"), deep.resolve("deep.bin"));
    normalizeModes(model);
  }

  @Test
  void plainTar() {
    assumeTool("tar", "tar");
    roundTrip("model.tar", ArchiveFormat.TAR, "tar", "-cf", "%s", "-C", "%m", ".");
  }

  @Test
  void gzipTarWithAnUpperCaseName() {
    assumeTool("tar", "tar");
    assumeTool("gzip", "gzip");
    roundTrip("MODEL.TAR.GZ", ArchiveFormat.TAR_GZIP, "tar", "-czf", "%s", "-C", "%m", ".");
  }

  @Test
  void tgz() {
    assumeTool("tar", "tar");
    assumeTool("gzip", "gzip");
    roundTrip("model.tgz", ArchiveFormat.TAR_GZIP, "tar", "-czf", "%s", "-C", "%m", ".");
  }

  @Test
  void bzip2Tar() {
    assumeTool("tar", "tar");
    assumeTool("bzip2", "bzip2");
    roundTrip("model.tar.bz2", ArchiveFormat.TAR_BZIP2, "tar", "-cjf", "%s", "-C", "%m", ".");
  }

  @Test
  void xzTar() {
    assumeTool("tar", "tar");
    assumeTool("xz", "xz-utils");
    roundTrip("model.tar.xz", ArchiveFormat.TAR_XZ, "tar", "-cJf", "%s", "-C", "%m", ".");
  }

  @Test
  void zstdTar() {
    assumeTool("tar", "tar");
    assumeTool("zstd", "zstd");
    roundTrip(
        "model.tar.zst", ArchiveFormat.TAR_ZSTD, "tar", "--zstd", "-cf", "%s", "-C", "%m", ".");
  }

  @Test
  void tzstMadeByTheZstdTool() {
    assumeTool("tar", "tar");
    assumeTool("zstd", "zstd");
    run(tmp, "tar", "-cf", "plain.tar", "-C", model.toString(), ".");
    run(tmp, "zstd", "-q", "plain.tar", "-o", "model.tzst");
    assertThat(ArchiveFormat.ofFileName("model.tzst")).contains(ArchiveFormat.TAR_ZSTD);
    extractAndCompare(tmp.resolve("model.tzst"), ArchiveFormat.TAR_ZSTD);
  }

  @Test
  void zipWithAnUpperCaseName() {
    assumeTool("zip", "zip");
    // -y stores symbolic links as links; run from inside the tree so that names are relative.
    Path archive = tmp.resolve("x.ZIP");
    run(model, "zip", "-q", "-r", "-y", archive.toString(), ".");
    assertThat(ArchiveFormat.ofFileName(archive.toString())).contains(ArchiveFormat.ZIP);
    extractAndCompare(archive, ArchiveFormat.ZIP);
  }

  @Test
  void largeMemberInPlainAndZstdTars() throws IOException {
    assumeTool("tar", "tar");
    assumeTool("zstd", "zstd");
    // 50 MiB, alternating incompressible and zero MiB blocks: shards with padding look like this.
    Path big = model.resolve("weights.bin");
    SplittableRandom random = new SplittableRandom(7);
    byte[] block = new byte[1 << 20];
    byte[] zeros = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(big)) {
      for (int i = 0; i < 50; i++) {
        if (i % 2 == 0) {
          random.nextBytes(block);
          out.write(block);
        } else {
          out.write(zeros);
        }
      }
    }
    Files.setPosixFilePermissions(big, PosixFilePermissions.fromString("rw-r--r--"));
    roundTrip("big.tar", ArchiveFormat.TAR, "tar", "-cf", "%s", "-C", "%m", ".");
    roundTrip("big.tar.zst", ArchiveFormat.TAR_ZSTD, "tar", "--zstd", "-cf", "%s", "-C", "%m", ".");
  }

  /** GNU tar's sparse members, in its own format (old GNU) and in PAX (sparse 1.0). */
  @Test
  void sparseFiles() throws IOException {
    assumeTool("tar", "tar");
    try (java.io.RandomAccessFile f =
        new java.io.RandomAccessFile(model.resolve("sparse.bin").toFile(), "rw")) {
      f.setLength(8 << 20);
      f.seek(4 << 20);
      f.write(Archives.random(100_000, 2));
    }
    Files.setPosixFilePermissions(
        model.resolve("sparse.bin"), PosixFilePermissions.fromString("rw-r--r--"));
    roundTrip("gnu-sparse.tar", ArchiveFormat.TAR, "tar", "--sparse", "-cf", "%s", "-C", "%m", ".");
    roundTrip(
        "pax-sparse.tar",
        ArchiveFormat.TAR,
        "tar",
        "--sparse",
        "--format=posix",
        "-cf",
        "%s",
        "-C",
        "%m",
        ".");
  }

  /**
   * Runs the command ({@code %s} is the archive, {@code %m} the model directory), extracts the
   * result into a fresh destination and compares the trees.
   */
  private void roundTrip(String name, ArchiveFormat format, String... command) {
    Path archive = tmp.resolve(name);
    String[] cmd = new String[command.length];
    for (int i = 0; i < command.length; i++) {
      cmd[i] = command[i].replace("%s", archive.toString()).replace("%m", model.toString());
    }
    run(tmp, cmd);
    assertThat(ArchiveFormat.ofFileName(name)).contains(format);
    extractAndCompare(archive, format);
  }

  private void extractAndCompare(Path archive, ArchiveFormat format) {
    try {
      compare(archive, format);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void compare(Path archive, ArchiveFormat format) throws IOException {
    Path dest = tmp.resolve("dest-" + archive.getFileName());
    ExtractionResult result =
        new ArchiveExtractor(ArchiveLimits.defaults()).extract(archive, format, dest);
    Map<String, String> expected = snapshot(model);
    assertThat(snapshot(dest)).isEqualTo(expected);
    long regularFiles = expected.values().stream().filter(v -> v.startsWith("file ")).count();
    assertThat(result.files()).hasSize((int) regularFiles);
    assertThat(result.files())
        .anySatisfy(f -> assertThat(f).isEqualTo(new ExtractedFile("empty.txt", 0)));
    assertThat(result.files())
        .anySatisfy(
            f -> assertThat(f).isEqualTo(new ExtractedFile("nested/a/b/c/deep.bin", 100_000)));
    long listed = result.files().stream().mapToLong(ExtractedFile::size).sum();
    assertThat(result.totalBytes())
        .isEqualTo(format == ArchiveFormat.ZIP ? listed : listed - 100_000);
    if (format != ArchiveFormat.ZIP) {
      assertThat(
              Files.isSameFile(
                  dest.resolve("nested/same.bin"), dest.resolve("nested/a/b/c/deep.bin")))
          .isTrue();
    }
    assertThat(dest.resolve("bin/serve.sh")).isExecutable();
    assertThat(Files.readString(dest.resolve("latest.json"), StandardCharsets.UTF_8))
        .contains("Llama");
  }

  /** Modes as the extractor sets them, so that trees compare whatever the umask. */
  private static void normalizeModes(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isSymbolicLink(p)) {
          continue;
        }
        boolean executable = Files.isDirectory(p) || p.getFileName().toString().equals("serve.sh");
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }
}
