package io.stowage.storage.archive;

import io.stowage.storage.transfer.RelativePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns member names and link targets, as archives spell them, into paths under the root. */
final class MemberNames {
  private MemberNames() {}

  /**
   * The member's place under the extraction root, or empty for the root itself (the {@code ./}
   * entry {@code tar -C dir .} writes first). Empty and {@code .} segments are dropped, as the
   * filesystem would drop them.
   *
   * @throws io.stowage.storage.StorageException {@code UNSAFE_SOURCE} for an absolute name, a
   *     {@code ..} segment, a NUL byte, a name reserved by Stowage, or a segment too long to create
   */
  static Optional<RelativePath> path(String raw) {
    if (raw.indexOf('\0') >= 0) {
      throw ArchiveFailures.unsafe(raw, "its name contains a NUL byte");
    }
    if (isAbsolute(raw)) {
      throw ArchiveFailures.unsafe(
          raw, "absolute paths are not allowed, members must be relative to the archive's root");
    }
    List<String> kept = new ArrayList<>();
    for (String segment : raw.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (isDotDot(segment)) {
        throw ArchiveFailures.unsafe(
            raw, "its path contains '..' and would land outside the destination");
      }
      if (segment.startsWith(RelativePath.RESERVED_PREFIX)) {
        throw ArchiveFailures.unsafe(
            raw,
            "names starting with '" + RelativePath.RESERVED_PREFIX + "' are reserved by Stowage");
      }
      Optional<String> tooLong = RelativePath.nameProblem(segment);
      if (tooLong.isPresent()) {
        throw ArchiveFailures.unsafe(raw, tooLong.get());
      }
      kept.add(segment);
    }
    return kept.isEmpty()
        ? Optional.empty()
        : Optional.of(new RelativePath(String.join("/", kept)));
  }

  /** Like {@link #path}, for members that must name something below the root. */
  static RelativePath namedPath(String raw) {
    return path(raw)
        .orElseThrow(() -> ArchiveFailures.unsafe(raw, "it names the archive's root, not a file"));
  }

  /**
   * {@code /x}, {@code \x} and {@code C:\x} (or {@code C:/x}): names that mean "from the root of a
   * filesystem" to some tool, refused even where Linux would read them differently.
   */
  static boolean isAbsolute(String name) {
    if (name.startsWith("/") || name.startsWith("\\")) {
      return true;
    }
    return name.length() >= 3
        && isAsciiLetter(name.charAt(0))
        && name.charAt(1) == ':'
        && (name.charAt(2) == '\\' || name.charAt(2) == '/');
  }

  /** {@code ..}, also when Windows tools wrote it with backslashes ({@code ..\..\x}). */
  private static boolean isDotDot(String segment) {
    if (segment.equals("..")) {
      return true;
    }
    if (segment.indexOf('\\') < 0) {
      return false;
    }
    for (String part : segment.split("\\\\", -1)) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
