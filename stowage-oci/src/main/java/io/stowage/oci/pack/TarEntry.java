package io.stowage.oci.pack;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One member of a layer tar.
 *
 * @param name the member's name, e.g. {@code models/config.json} (directories without a trailing
 *     slash; the header adds it)
 * @param source the file a regular member's bytes are read from
 * @param linkTarget a symbolic link's target
 */
public record TarEntry(
    Kind kind,
    String name,
    int mode,
    long size,
    @Nullable Path source,
    @Nullable String linkTarget) {

  /** What a member is. */
  public enum Kind {
    DIRECTORY,
    FILE,
    SYMLINK
  }

  public static TarEntry directory(String name) {
    return new TarEntry(Kind.DIRECTORY, name, 0755, 0, null, null);
  }

  /** A regular file, readable by any user; executable by any user when its owner may run it. */
  public static TarEntry file(String name, Path source, long size, boolean executable) {
    return new TarEntry(Kind.FILE, name, executable ? 0755 : 0644, size, source, null);
  }

  public static TarEntry symlink(String name, String target) {
    return new TarEntry(Kind.SYMLINK, name, 0777, 0, null, target);
  }
}
