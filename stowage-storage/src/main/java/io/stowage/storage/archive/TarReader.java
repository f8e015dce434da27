package io.stowage.storage.archive;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Streams a tar, plain or compressed, front to back into an {@link Extraction}: one pass, bounded
 * buffers, no seeking. After the end-of-archive marker the rest of the compressed stream is read
 * too (and counted against the limits), so that the compressor's final checksum is verified before
 * anything is moved into place.
 */
final class TarReader {
  private static final int FILE_BUFFER = 64 * 1024;

  /** xz needs as much memory as the dictionary the archive was made with; xz -9 uses 64 MiB. */
  static final int XZ_MEMORY_LIMIT_KIB = 128 * 1024;

  private TarReader() {}

  static void read(Path archive, ArchiveFormat format, Extraction x) {
    String name = x.archiveName();
    InputStream file;
    try {
      file = Files.newInputStream(archive);
    } catch (IOException e) {
      throw ArchiveFailures.disk("read the archive " + archive, e);
    }
    try (BufferedInputStream raw = new BufferedInputStream(file, FILE_BUFFER);
        InputStream data = decompress(format, raw, name)) {
      TarStream tar = new TarStream(data);
      String previous = null;
      for (TarArchiveEntry entry = next(tar, name, null);
          entry != null;
          entry = next(tar, name, previous)) {
        String member = tar.rawName(entry);
        previous = member;
        x.begin(member);
        extract(entry, member, tar, x);
      }
      if (data != raw) {
        drain(data, x);
      }
    } catch (IOException e) {
      // Only closing the archive can get here; everything it had to give was read.
    }
  }

  private static InputStream decompress(
      ArchiveFormat format, BufferedInputStream raw, String name) {
    try {
      InputStream decompressed =
          switch (format) {
            case TAR -> raw;
            case TAR_GZIP -> new GzipMembers(raw);
            case TAR_BZIP2 -> new BZip2CompressorInputStream(raw, true);
            case TAR_XZ ->
                XZCompressorInputStream.builder()
                    .setInputStream(raw)
                    .setDecompressConcatenated(true)
                    .setMemoryLimitKiB(XZ_MEMORY_LIMIT_KIB)
                    .get();
            case TAR_ZSTD -> zstd(raw);
            case ZIP -> throw new IllegalArgumentException("not a tar format: " + format);
          };
      return decompressed == raw ? raw : new BufferedInputStream(decompressed, FILE_BUFFER);
    } catch (IOException | RuntimeException e) {
      throw Extraction.readFailure(name, "reading the " + codec(format) + " stream: ", e);
    }
  }

  private static String codec(ArchiveFormat format) {
    return switch (format) {
      case TAR, ZIP -> "archive";
      case TAR_GZIP -> "gzip";
      case TAR_BZIP2 -> "bzip2";
      case TAR_XZ -> "xz";
      case TAR_ZSTD -> "zstd";
    };
  }

  private static InputStream zstd(InputStream raw) throws IOException {
    try {
      return new ZstdCompressorInputStream(raw);
    } catch (LinkageError e) {
      throw new StorageException(
          Failure.INTERNAL,
          "Cannot decompress zstd: the zstd-jni native library did not load ("
              + e
              + "); it is unpacked into java.io.tmpdir, which must be writable",
          e);
    }
  }

  private static @Nullable TarArchiveEntry next(
      TarStream tar, String archive, @Nullable String previous) {
    try {
      return tar.getNextEntry();
    } catch (IOException | RuntimeException e) {
      String where =
          previous == null
              ? "reading the first header: "
              : "reading the header after member " + ArchiveFailures.quote(previous) + ": ";
      throw Extraction.readFailure(archive, where, e);
    }
  }

  private static void extract(TarArchiveEntry e, String member, TarStream tar, Extraction x) {
    if (e.isSymbolicLink()) {
      x.symlink(member, e.getLinkName());
    } else if (e.isLink()) {
      x.hardLink(member, e.getLinkName());
    } else if (e.isCharacterDevice()) {
      throw Extraction.refused(member, "character device files");
    } else if (e.isBlockDevice()) {
      throw Extraction.refused(member, "block device files");
    } else if (e.isFIFO()) {
      throw Extraction.refused(member, "named pipes (FIFOs)");
    } else if (e.isDirectory()) {
      x.directory(member);
    } else if (e.getLinkFlag() == 'V') {
      // A GNU volume label: a name for the archive, not a member.
      return;
    } else if (e.getLinkFlag() == 'M') {
      throw ArchiveFailures.corrupt(
          x.archiveName(),
          "member "
              + ArchiveFailures.quote(member)
              + " continues from another volume;"
              + " multi-volume archives are not supported",
          null);
    } else {
      // Regular files, contiguous files, sparse files, and (as POSIX asks) unknown types.
      FileTime modified = e.getLastModifiedTime();
      x.file(member, e.getMode(), e.getRealSize(), -1, modified, tar);
    }
  }

  /** Reads the decompressed stream to its end, which verifies the compressor's checksums. */
  private static void drain(InputStream data, Extraction x) {
    byte[] buffer = x.buffer();
    while (true) {
      int n;
      try {
        n = data.read(buffer, 0, buffer.length);
      } catch (IOException | RuntimeException e) {
        throw Extraction.readFailure(x.archiveName(), "after the last member: ", e);
      }
      if (n < 0) {
        return;
      }
      x.trailing(n);
    }
  }
}
