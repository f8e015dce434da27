package io.stowage.storage.transfer;

import io.stowage.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A file's place under the destination: {@code /}-separated segments, none empty, none {@code .} or
 * {@code ..}, so that it can never name anything outside the destination directory.
 */
public record RelativePath(String value) implements Comparable<RelativePath> {
  /**
   * Names starting with this are Stowage's own (manifest, staging files) and refused in sources.
   */
  public static final String RESERVED_PREFIX = ".stowage-";

  /** The longest file name Linux filesystems take (NAME_MAX), in bytes of UTF-8. */
  public static final int MAX_NAME_BYTES = 255;

  /** The longest path a Linux system call takes (PATH_MAX less its NUL), in bytes of UTF-8. */
  public static final int MAX_PATH_BYTES = 4095;

  public RelativePath {
    if (value.isEmpty()
        || value.startsWith("/")
        || value.endsWith("/")
        || value.indexOf('\0') >= 0
        || value.contains("//")) {
      throw new IllegalArgumentException("Not a canonical relative path: '" + value + "'");
    }
    for (String segment : value.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException("Not a canonical relative path: '" + value + "'");
      }
    }
  }

  /**
   * Normalizes a source-provided name: empty and {@code .} segments are dropped (the filesystem
   * would drop them too); a {@code ..} segment, a NUL byte, a reserved name, a name or path longer
   * than the filesystem takes, or an empty result makes the source unsafe: refused while planning,
   * before anything is fetched, rather than when the file is created after its download.
   *
   * @param origin how the name appeared in the source, for the error message
   */
  public static RelativePath fromSource(String raw, String origin) {
    if (raw.indexOf('\0') >= 0) {
      throw StorageException.unsafe("Refusing " + origin + ": the name contains a NUL byte");
    }
    List<String> kept = new ArrayList<>();
    for (String segment : raw.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw StorageException.unsafe(
            "Refusing "
                + origin
                + ": its path contains '..' and would land outside the destination");
      }
      if (segment.startsWith(RESERVED_PREFIX)) {
        throw StorageException.unsafe(
            "Refusing "
                + origin
                + ": names starting with '"
                + RESERVED_PREFIX
                + "' are reserved by Stowage");
      }
      int bytes = utf8Length(segment);
      if (bytes > MAX_NAME_BYTES) {
        throw StorageException.unsafe("Refusing " + origin + ": " + nameTooLong(segment, bytes));
      }
      kept.add(segment);
    }
    if (kept.isEmpty()) {
      throw StorageException.unsafe("Refusing " + origin + ": it does not name a file");
    }
    String joined = String.join("/", kept);
    int bytes = utf8Length(joined);
    if (bytes > MAX_PATH_BYTES) {
      throw StorageException.unsafe(
          "Refusing "
              + origin
              + ": its path is "
              + bytes
              + " bytes long, and Linux takes at most "
              + MAX_PATH_BYTES
              + " bytes");
    }
    return new RelativePath(joined);
  }

  /**
   * Why a file name cannot be created, or empty when it can: the one length rule for every name
   * Stowage writes (source keys, archive members, image layers).
   */
  public static Optional<String> nameProblem(String segment) {
    int bytes = utf8Length(segment);
    return bytes > MAX_NAME_BYTES ? Optional.of(nameTooLong(segment, bytes)) : Optional.empty();
  }

  /** Why {@code file} cannot be created or opened, or empty when its path is short enough. */
  public static Optional<String> pathProblem(Path file) {
    int bytes = utf8Length(file.toString());
    return bytes > MAX_PATH_BYTES
        ? Optional.of(
            "its path would be "
                + bytes
                + " bytes long, and Linux takes at most "
                + MAX_PATH_BYTES
                + " bytes")
        : Optional.empty();
  }

  private static String nameTooLong(String segment, int bytes) {
    return "the name '"
        + (segment.length() > 40 ? segment.substring(0, 40) + "…" : segment)
        + "' is "
        + bytes
        + " bytes long, and filesystems take at most "
        + MAX_NAME_BYTES
        + " bytes";
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** The path under {@code root}; always inside it by construction. */
  public Path resolveUnder(Path root) {
    Path p = root;
    for (String segment : value.split("/", -1)) {
      p = p.resolve(segment);
    }
    return p;
  }

  public String fileName() {
    int slash = value.lastIndexOf('/');
    return slash < 0 ? value : value.substring(slash + 1);
  }

  public Optional<RelativePath> parent() {
    int slash = value.lastIndexOf('/');
    return slash < 0 ? Optional.empty() : Optional.of(new RelativePath(value.substring(0, slash)));
  }

  @Override
  public int compareTo(RelativePath o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
