package io.stowage.storage.archive;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The one-line messages of the archive package. */
final class ArchiveFailures {
  /** KServe's text for an archive it cannot unpack; users and scripts search for it. */
  static final String NOT_VALID = "Failed to unpack archive file. The file format is not valid.";

  private static final int MAX_SHOWN_NAME = 160;

  private ArchiveFailures() {}

  /** A member that cannot be extracted safely. */
  static StorageException unsafe(String member, String reason) {
    return StorageException.unsafe("Refusing archive member " + quote(member) + ": " + reason);
  }

  /** The archive as a whole goes over a limit. */
  static StorageException limit(String archive, String member, String reason) {
    return StorageException.unsafe(
        "Refusing archive " + quote(archive) + " at member " + quote(member) + ": " + reason);
  }

  /** A damaged, truncated or unreadable archive. */
  static StorageException corrupt(String archive, String detail, @Nullable Throwable cause) {
    return new StorageException(
        Failure.INTEGRITY, NOT_VALID + " " + quote(archive) + ": " + oneLine(detail), cause);
  }

  /** The destination cannot be written. */
  static StorageException disk(String doing, IOException e) {
    return StorageException.disk("Cannot " + doing + ": " + describe(e), e);
  }

  /** What went wrong with a read, in words; never empty, never more than one line. */
  static String reason(Throwable e) {
    String m = e.getMessage();
    if (e instanceof EOFException) {
      return "unexpected end of data, the file is truncated"
          + (m == null || m.isBlank() ? "" : " (" + oneLine(m) + ")");
    }
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return oneLine(m);
  }

  static String describe(IOException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("No space left on device")) {
      return "no space left on device (raise the pod's ephemeral-storage limit or use a larger"
          + " volume)";
    }
    if (e instanceof AccessDeniedException || m.contains("Permission denied")) {
      return "permission denied (the init container's user must be able to write the destination)";
    }
    if (m.contains("Read-only file system")) {
      return "the filesystem is read-only";
    }
    return e.getClass().getSimpleName() + ": " + oneLine(m);
  }

  /** A name as it appears in messages: quoted, control characters escaped, long names cut. */
  static String quote(String name) {
    StringBuilder b = new StringBuilder(Math.min(name.length(), MAX_SHOWN_NAME) + 8).append('\'');
    int shown = 0;
    for (int i = 0; i < name.length(); i++) {
      if (shown == MAX_SHOWN_NAME) {
        b.append("...");
        break;
      }
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        b.append(c);
      }
      shown++;
    }
    return b.append('\'').toString();
  }

  /** {@code 1.50 GiB}, {@code 512 B}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String oneLine(String s) {
    return s.strip().replaceAll("\\s+", " ");
  }
}
