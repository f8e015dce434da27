package io.stowage.storage.archive;

import io.stowage.storage.StorageException;
import io.stowage.testkit.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Assumptions;

/** Test archives built in Java, system tools, and tree snapshots. */
final class Archives {
  private Archives() {}

  /** A tar built member by member with commons-compress. */
  static final class Tar {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream out;

    Tar() {
      this(TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    Tar(int longFileMode, int bigNumberMode) {
      // One-record blocks, so that what was written so far is in `bytes` even unfinished.
      out = new TarArchiveOutputStream(bytes, 512);
      out.setLongFileMode(longFileMode);
      out.setBigNumberMode(bigNumberMode);
      out.setAddPaxHeadersForNonAsciiNames(true);
    }

    Tar file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    Tar file(String name, byte[] content, int mode) {
      TarArchiveEntry e = new TarArchiveEntry(name, true);
      e.setSize(content.length);
      e.setMode(0100000 | mode);
      return put(e, content);
    }

    Tar dir(String name) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_DIR, true);
      e.setMode(040755);
      return put(e, new byte[0]);
    }

    Tar symlink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      e.setLinkName(target);
      return put(e, new byte[0]);
    }

    Tar hardLink(String name, String target) {
      TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
      e.setLinkName(target);
      return put(e, new byte[0]);
    }

    Tar special(String name, byte type) {
      TarArchiveEntry e = new TarArchiveEntry(name, type, true);
      return put(e, new byte[0]);
    }

    /** A member whose header declares {@code declared} bytes, of which only {@code data} follow. */
    byte[] truncatedMember(String name, long declared, byte[] data) {
      try {
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(declared);
        out.putArchiveEntry(e);
        out.write(data);
        out.flush();
        return bytes.toByteArray();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }

    private Tar put(TarArchiveEntry e, byte[] content) {
      try {
        out.putArchiveEntry(e);
        out.write(content);
        out.closeArchiveEntry();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return this;
    }

    byte[] bytes() {
      try {
        out.finish();
        out.close();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return bytes.toByteArray();
    }
  }

  /** A zip built member by member with commons-compress. */
  static final class Zip {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes);

    Zip zip64() {
      out.setUseZip64(Zip64Mode.Always);
      return this;
    }

    Zip file(String name, String content) {
      return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    Zip file(String name, byte[] content, int mode) {
      ZipArchiveEntry e = new ZipArchiveEntry(name);
      e.setUnixMode(0100000 | mode);
      return put(e, content);
    }

    Zip dir(String name) {
      ZipArchiveEntry e = new ZipArchiveEntry(name.endsWith("/") ? name : name + "/");
      e.setUnixMode(040755);
      return put(e, new byte[0]);
    }

    Zip symlink(String name, String target) {
      ZipArchiveEntry e = new ZipArchiveEntry(name);
      e.setUnixMode(0120777);
      return put(e, target.getBytes(StandardCharsets.UTF_8));
    }

    Zip special(String name, int unixMode) {
      ZipArchiveEntry e = new ZipArchiveEntry(name);
      e.setUnixMode(unixMode);
      return put(e, new byte[0]);
    }

    /**
     * A member whose headers claim {@code declared} bytes and the given CRC, stored or deflated.
     */
    Zip lying(String name, byte[] content, long declared, long crc, boolean deflate) {
      try {
        byte[] data = content;
        if (deflate) {
          ByteArrayOutputStream deflated = new ByteArrayOutputStream();
          java.util.zip.Deflater deflater = new java.util.zip.Deflater(6, true);
          try (var d = new java.util.zip.DeflaterOutputStream(deflated, deflater)) {
            d.write(content);
          }
          deflater.end();
          data = deflated.toByteArray();
        }
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setMethod(deflate ? ZipArchiveEntry.DEFLATED : ZipArchiveEntry.STORED);
        e.setSize(declared);
        e.setCompressedSize(data.length);
        e.setCrc(crc);
        out.addRawArchiveEntry(e, new java.io.ByteArrayInputStream(data));
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return this;
    }

    private Zip put(ZipArchiveEntry e, byte[] content) {
      try {
        out.putArchiveEntry(e);
        out.write(content);
        out.closeArchiveEntry();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return this;
    }

    byte[] bytes() {
      try {
        out.finish();
        out.close();
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
      return bytes.toByteArray();
    }
  }

  /** {@code tar} compressed as {@code format} asks (the identity for TAR and ZIP). */
  static byte[] compress(byte[] tar, ArchiveFormat format) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try {
      try (OutputStream out = compressor(buffer, format)) {
        out.write(tar);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static OutputStream compressor(OutputStream sink, ArchiveFormat format)
      throws IOException {
    return switch (format) {
      case TAR, ZIP -> sink;
      case TAR_GZIP -> new GzipCompressorOutputStream(sink);
      case TAR_BZIP2 -> new BZip2CompressorOutputStream(sink);
      case TAR_XZ -> new XZCompressorOutputStream(sink);
      case TAR_ZSTD -> new ZstdCompressorOutputStream(sink);
    };
  }

  /** The usual file name for an archive in {@code format}. */
  static String fileName(String stem, ArchiveFormat format) {
    return stem
        + switch (format) {
          case TAR -> ".tar";
          case TAR_GZIP -> ".tar.gz";
          case TAR_BZIP2 -> ".tar.bz2";
          case TAR_XZ -> ".tar.xz";
          case TAR_ZSTD -> ".tar.zst";
          case ZIP -> ".zip";
        };
  }

  static Path write(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Bytes that do not compress: what model weights look like to a compressor. */
  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /**
   * Every entry under {@code root}, never following links: {@code dir <mode>}, {@code file <mode>
   * <sha-256>} or {@code link <target>}, by relative path.
   */
  static Map<String, String> snapshot(Path root) {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (p.equals(root)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          tree.put(rel, "link " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          tree.put(rel, "dir " + mode(p));
        } else {
          tree.put(rel, "file " + mode(p) + " " + sha256(p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tree;
  }

  /** The {@link StorageException} {@code action} throws; fails the test if it throws none. */
  static StorageException failureOf(Runnable action) {
    try {
      action.run();
    } catch (StorageException e) {
      return e;
    }
    throw new AssertionError("expected a StorageException, but the extraction succeeded");
  }

  /** The names directly in {@code dir}. */
  static List<String> names(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  static String sha256(Path p) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        md.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * Skips the test when a system tool is missing, naming the Debian package that has it; fails it
   * under CI, where .ci/run installs the tool.
   */
  static void assumeTool(String tool, String debianPackage) {
    Assumptions.assumeTrue(
        Tools.needed(Tools.onPath(tool), tool + " (Debian package " + debianPackage + ")"),
        "'" + tool + "' is not installed (Debian package " + debianPackage + "); test skipped");
  }

  /** Runs a command in {@code dir}; fails the test when it does not exit with 0. */
  static void run(Path dir, String... command) {
    List<String> cmd = new ArrayList<>(List.of(command));
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(cmd + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(
            cmd
                + " exited with "
                + p.exitValue()
                + ": "
                + new String(output, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
