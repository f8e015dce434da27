package io.stowage.storage.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads a zip through its central directory (random access on the file, zip64 included) into an
 * {@link Extraction}, members in the order their data lies in the file. Sizes and CRC-32s from the
 * central directory are enforced while each member streams.
 *
 * <p>The central directory itself is held in memory by {@link ZipFile}: a few hundred bytes per
 * entry, bounded through {@link ArchiveLimits#maxEntries()}, whatever the size of the members.
 */
final class ZipReader {
  private static final int S_IFMT = 0170000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  private ZipReader() {}

  static void read(Path archive, Extraction x) {
    String name = x.archiveName();
    ZipFile zip;
    try {
      zip = ZipFile.builder().setPath(archive).setUseUnicodeExtraFields(true).get();
    } catch (IOException | RuntimeException e) {
      throw Extraction.readFailure(name, "reading the central directory: ", e);
    }
    try {
      List<ZipArchiveEntry> entries = Collections.list(zip.getEntriesInPhysicalOrder());
      for (ZipArchiveEntry entry : entries) {
        String member = entry.getName();
        x.begin(member);
        extract(zip, entry, member, x);
      }
    } finally {
      try {
        zip.close();
      } catch (IOException e) {
        // Everything was read.
      }
    }
  }

  private static void extract(ZipFile zip, ZipArchiveEntry e, String member, Extraction x) {
    int mode = e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? e.getUnixMode() : 0;
    int type = mode & S_IFMT;
    if (e.isDirectory() || type == S_IFDIR) {
      x.directory(member);
    } else if (type == S_IFLNK) {
      x.symlink(member, linkTarget(zip, e, member, x));
    } else if (type == S_IFCHR) {
      throw Extraction.refused(member, "character device files");
    } else if (type == S_IFBLK) {
      throw Extraction.refused(member, "block device files");
    } else if (type == S_IFIFO) {
      throw Extraction.refused(member, "named pipes (FIFOs)");
    } else if (type != 0 && type != S_IFREG) {
      throw Extraction.refused(
          member, "special files (Unix type " + Integer.toOctalString(type) + ")");
    } else {
      try (InputStream in = open(zip, e, member, x)) {
        x.file(member, mode, e.getSize(), e.getCrc(), e.getLastModifiedTime(), in);
      } catch (IOException closing) {
        // The member was read to its end.
      }
    }
  }

  private static InputStream open(ZipFile zip, ZipArchiveEntry e, String member, Extraction x) {
    String at = "at member " + ArchiveFailures.quote(member) + ": ";
    if (!zip.canReadEntryData(e)) {
      throw ArchiveFailures.corrupt(
          x.archiveName(),
          at + "it is encrypted or uses an unsupported compression method (" + e.getMethod() + ")",
          null);
    }
    try {
      return zip.getInputStream(e);
    } catch (IOException | RuntimeException failure) {
      throw Extraction.readFailure(x.archiveName(), at, failure);
    }
  }

  /** A link's target is its content; read with a bound, never all of it into memory. */
  private static String linkTarget(ZipFile zip, ZipArchiveEntry e, String member, Extraction x) {
    byte[] buffer = x.buffer();
    int length = 0;
    try (InputStream in = open(zip, e, member, x)) {
      while (length <= Extraction.MAX_LINK_TARGET_BYTES) {
        int n;
        try {
          n = in.read(buffer, length, Extraction.MAX_LINK_TARGET_BYTES + 1 - length);
        } catch (IOException | RuntimeException failure) {
          throw Extraction.readFailure(
              x.archiveName(), "at member " + ArchiveFailures.quote(member) + ": ", failure);
        }
        if (n < 0) {
          break;
        }
        length += n;
      }
    } catch (IOException closing) {
      // The target was read.
    }
    if (length > Extraction.MAX_LINK_TARGET_BYTES) {
      throw ArchiveFailures.unsafe(
          member,
          "symbolic link whose target is longer than "
              + Extraction.MAX_LINK_TARGET_BYTES
              + " bytes");
    }
    return new String(buffer, 0, length, StandardCharsets.UTF_8);
  }
}
