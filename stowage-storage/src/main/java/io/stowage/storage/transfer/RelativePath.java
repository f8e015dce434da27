package io.stowage.storage.transfer;

import io.stowage.storage.StorageException;
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
   * would drop them too); a {@code ..} segment, a NUL byte, a reserved name or an empty result
   * makes the source unsafe.
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
      kept.add(segment);
    }
    if (kept.isEmpty()) {
      throw StorageException.unsafe("Refusing " + origin + ": it does not name a file");
    }
    return new RelativePath(String.join("/", kept));
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
