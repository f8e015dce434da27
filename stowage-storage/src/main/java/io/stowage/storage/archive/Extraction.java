package io.stowage.storage.archive;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.RelativePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.commons.compress.MemoryLimitException;
import org.jspecify.annotations.Nullable;

/**
 * One extraction in progress: the only code that writes under the staging root. Readers hand it
 * members one by one; it checks each against the root and the limits before anything is written.
 *
 * <p>Invariants that keep every write inside the root: member paths never contain {@code ..} or
 * start at {@code /} ({@link MemberNames}); parents are created one segment at a time and never
 * through a symbolic link; a directory, once created, is never removed or replaced, so a path
 * checked to be a real directory stays one; files are opened with {@code CREATE_NEW} and {@code
 * NOFOLLOW_LINKS} after whatever held the name was unlinked.
 */
final class Extraction {
  /** The one copy buffer: memory does not depend on archive or member size. */
  static final int BUFFER_SIZE = 256 * 1024;

  /** As many symbolic links as Linux follows in one lookup before it gives up (ELOOP). */
  private static final int MAX_LINK_HOPS = 40;

  /** PATH_MAX. */
  static final int MAX_LINK_TARGET_BYTES = 4096;

  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> EXECUTABLE = DIRECTORY;
  private static final Set<PosixFilePermission> REGULAR =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path root;
  private final String archiveName;
  private final ExpansionMeter meter;

  private final byte[] buffer = new byte[BUFFER_SIZE];

  /** Paths (relative, {@code /}-separated) known to be real directories under the root. */
  private final Set<String> directories = new HashSet<>();

  private final Map<RelativePath, ExtractedFile> files = new LinkedHashMap<>();
  private final Set<RelativePath> symlinks = new LinkedHashSet<>();

  /** Member bytes written to files. */
  private long written;

  Extraction(Path root, String archiveName, long archiveSize, ArchiveLimits limits) {
    this.root = root;
    this.archiveName = archiveName;
    // Decompressed bytes seen: member content, and data after a tar's end.
    this.meter = new ExpansionMeter(archiveName, archiveSize, limits);
  }

  String archiveName() {
    return archiveName;
  }

  /** Members seen so far. */
  long entries() {
    return meter.entries();
  }

  /** Counts one member, of whatever type, against the entry limit. */
  void begin(String member) {
    meter.entry(member);
  }

  /** A directory member; {@code ./} and the like name the root and are skipped. */
  void directory(String member) {
    Optional<RelativePath> path = MemberNames.path(member);
    if (path.isEmpty() || directories.contains(path.get().value())) {
      return;
    }
    Path p = prepare(path.get(), member, true);
    if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      makeDirectory(p, path.get().value());
    }
    directories.add(path.get().value());
  }

  /**
   * A regular file member, copied from {@code content} to its end.
   *
   * @param mode the member's Unix mode; only the owner's execute bit is kept
   * @param declaredSize the size the archive's header gives, or -1 if it gives none
   * @param expectedCrc the CRC-32 the archive gives for the content, or -1
   */
  void file(
      String member,
      int mode,
      long declaredSize,
      long expectedCrc,
      @Nullable FileTime modified,
      InputStream content) {
    RelativePath path = MemberNames.namedPath(member);
    meter.declared(member, declaredSize);
    Path target = prepare(path, member, false);
    CRC32 crc = expectedCrc >= 0 ? new CRC32() : null;
    long size = 0;
    try (OutputStream out =
        Files.newOutputStream(
            target,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      for (int n = read(content, member); n >= 0; n = read(content, member)) {
        size += n;
        if (declaredSize >= 0 && size > declaredSize) {
          throw ArchiveFailures.corrupt(
              archiveName,
              "member "
                  + ArchiveFailures.quote(member)
                  + " holds more data than the "
                  + declaredSize
                  + " bytes its header declares",
              null);
        }
        meter.expanded(member, n);
        if (crc != null) {
          crc.update(buffer, 0, n);
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw ArchiveFailures.disk("write " + path + " while extracting " + archiveName, e);
    }
    if (declaredSize >= 0 && size < declaredSize) {
      throw ArchiveFailures.corrupt(
          archiveName,
          "member "
              + ArchiveFailures.quote(member)
              + " ends after "
              + size
              + " of the "
              + declaredSize
              + " bytes its header declares",
          null);
    }
    if (crc != null && crc.getValue() != expectedCrc) {
      throw ArchiveFailures.corrupt(
          archiveName,
          "member "
              + ArchiveFailures.quote(member)
              + " fails its CRC-32 check (stored "
              + String.format(Locale.ROOT, "%08x", expectedCrc)
              + ", computed "
              + String.format(Locale.ROOT, "%08x", crc.getValue())
              + ")",
          null);
    }
    written += size;
    setPermissions(target, (mode & 0100) != 0 ? EXECUTABLE : REGULAR, path.value());
    setModified(target, modified);
    files.put(path, new ExtractedFile(path.value(), size));
  }

  /**
   * A symbolic link member. Refused when the target is absolute, or when following it from where it
   * stands, through the links extracted so far, leaves the root; {@link #verifyLinks} checks all
   * links again once every member is in, since later members can change where a link leads.
   */
  void symlink(String member, String target) {
    RelativePath path = MemberNames.namedPath(member);
    checkLinkTarget(member, target, "symbolic");
    createParents(path, member);
    if (!staysInside(path, target, member)) {
      throw ArchiveFailures.unsafe(
          member,
          "symbolic link to "
              + ArchiveFailures.quote(target)
              + " resolves outside the destination");
    }
    Path p = prepare(path, member, false);
    try {
      Files.createSymbolicLink(p, p.getFileSystem().getPath(target));
    } catch (IOException e) {
      throw ArchiveFailures.disk("create the link " + path + " while extracting " + archiveName, e);
    }
    symlinks.add(path);
  }

  /**
   * A hard link member: {@code target} names, from the archive's root, a regular file extracted
   * before it. Made a hard link where the filesystem allows, a copy otherwise.
   */
  void hardLink(String member, String target) {
    RelativePath path = MemberNames.namedPath(member);
    checkLinkTarget(member, target, "hard");
    RelativePath source;
    try {
      source = MemberNames.path(target).orElse(null);
    } catch (StorageException outside) {
      throw ArchiveFailures.unsafe(
          member,
          "hard link to " + ArchiveFailures.quote(target) + " leads outside the destination");
    }
    ExtractedFile original = source == null ? null : files.get(source);
    if (source == null || original == null) {
      throw ArchiveFailures.unsafe(
          member,
          "hard link to "
              + ArchiveFailures.quote(target)
              + ", which is not a regular file extracted before it");
    }
    if (source.equals(path)) {
      return;
    }
    Path from = source.resolveUnder(root);
    Path p = prepare(path, member, false);
    try {
      Files.createLink(p, from);
    } catch (IOException | UnsupportedOperationException e) {
      copy(from, p, member, path);
    }
    files.put(path, new ExtractedFile(path.value(), original.size()));
  }

  /** The failure for a member of a type that is never extracted (devices, FIFOs). */
  static StorageException refused(String member, String what) {
    return ArchiveFailures.unsafe(member, what + " are not allowed");
  }

  /** Decompressed data after a tar's end-of-archive marker: read to verify checksums, not kept. */
  void trailing(long bytes) {
    meter.expanded(null, bytes);
  }

  /** The buffer readers may use for data that is not written (trailing data, link targets). */
  byte[] buffer() {
    return buffer;
  }

  /** Follows every symbolic link in the final tree; refuses the extraction if one leaves it. */
  void verifyLinks() {
    for (RelativePath link : symlinks) {
      String target = readLink(link.resolveUnder(root), link.value());
      if (!staysInside(link, target, link.value())) {
        throw ArchiveFailures.unsafe(
            link.value(),
            "symbolic link to "
                + ArchiveFailures.quote(target)
                + " resolves outside the destination through other links in the archive");
      }
    }
  }

  ExtractionResult result() {
    return new ExtractionResult(new ArrayList<>(files.values()), written);
  }

  /** Reads from a member's content into the buffer; a failure is the archive's, not the disk's. */
  int read(InputStream content, @Nullable String member) {
    try {
      return content.read(buffer, 0, buffer.length);
    } catch (StorageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw readFailure(
          archiveName,
          member == null ? "" : "at member " + ArchiveFailures.quote(member) + ": ",
          e);
    }
  }

  /**
   * How a failure while reading the archive is reported.
   *
   * @param context where in the archive, ending in {@code ": "}, or empty
   */
  static StorageException readFailure(String archive, String context, Exception e) {
    if (e instanceof StorageException se) {
      return se;
    }
    if (e instanceof MemoryLimitException m) {
      return new StorageException(
          Failure.UNSAFE_SOURCE,
          "Refusing archive "
              + ArchiveFailures.quote(archive)
              + ": decompressing it needs more memory than allowed ("
              + ArchiveFailures.bytes(m.getMemoryNeededInKb() * 1024)
              + " for its dictionary, the limit is "
              + ArchiveFailures.bytes(m.getMemoryLimitInKb() * 1024L)
              + ")",
          e);
    }
    return ArchiveFailures.corrupt(archive, context + ArchiveFailures.reason(e), e);
  }

  private static void checkLinkTarget(String member, String target, String kind) {
    if (target.isEmpty()) {
      throw ArchiveFailures.unsafe(member, kind + " link with an empty target");
    }
    if (target.indexOf('\0') >= 0) {
      throw ArchiveFailures.unsafe(member, kind + " link whose target contains a NUL byte");
    }
    if (target.length() > MAX_LINK_TARGET_BYTES) {
      throw ArchiveFailures.unsafe(
          member, kind + " link whose target is longer than " + MAX_LINK_TARGET_BYTES + " bytes");
    }
    if (MemberNames.isAbsolute(target)) {
      throw ArchiveFailures.unsafe(
          member,
          kind
              + " link to the absolute path "
              + ArchiveFailures.quote(target)
              + " points outside the destination");
    }
  }

  /**
   * Follows {@code target} from the directory holding {@code link}, as the kernel would, through
   * the links extracted so far; false as soon as it climbs above the root. Components that do not
   * exist (yet) are taken literally, which can only refuse more.
   */
  private boolean staysInside(RelativePath link, String target, String member) {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, target);
    List<String> at = new ArrayList<>();
    link.parent().ifPresent(p -> at.addAll(List.of(p.value().split("/", -1))));
    int hops = 1;
    while (!todo.isEmpty()) {
      String c = todo.pop();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (at.isEmpty()) {
          return false;
        }
        at.remove(at.size() - 1);
        continue;
      }
      at.add(c);
      Path p = root.resolve(String.join("/", at));
      if (Files.isSymbolicLink(p)) {
        if (++hops > MAX_LINK_HOPS) {
          throw ArchiveFailures.unsafe(
              member, "its symbolic link leads through a loop of links in the archive");
        }
        String next = readLink(p, member);
        if (MemberNames.isAbsolute(next)) {
          return false;
        }
        at.remove(at.size() - 1);
        push(todo, next);
      }
    }
    return true;
  }

  private static void push(Deque<String> todo, String path) {
    String[] segments = path.split("/", -1);
    for (int i = segments.length - 1; i >= 0; i--) {
      todo.push(segments[i]);
    }
  }

  private String readLink(Path p, String member) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException e) {
      throw ArchiveFailures.disk(
          "read the link " + ArchiveFailures.quote(member) + " while extracting " + archiveName, e);
    }
  }

  /**
   * Makes room for a member at {@code path}: creates its parents, unlinks a file or link of the
   * same name (a later member replaces an earlier one, as tar does), and refuses to replace a
   * directory unless the member is one too.
   */
  private Path prepare(RelativePath path, String member, boolean directory) {
    Path p = path.resolveUnder(root);
    // Refused as unsafe, like a name too long, instead of failing as a disk error half-way.
    Optional<String> tooLong = RelativePath.pathProblem(p);
    if (tooLong.isPresent()) {
      throw ArchiveFailures.unsafe(member, tooLong.get());
    }
    createParents(path, member);
    BasicFileAttributes existing = lstat(p);
    if (existing == null || (existing.isDirectory() && directory)) {
      return p;
    }
    if (existing.isDirectory()) {
      throw ArchiveFailures.unsafe(
          member, "a directory of the same name was extracted before it, and is not replaced");
    }
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw ArchiveFailures.disk("replace " + path + " while extracting " + archiveName, e);
    }
    files.remove(path);
    symlinks.remove(path);
    return p;
  }

  private void createParents(RelativePath path, String member) {
    Optional<RelativePath> parent = path.parent();
    if (parent.isEmpty() || directories.contains(parent.get().value())) {
      return;
    }
    StringBuilder dir = new StringBuilder();
    for (String segment : parent.get().value().split("/", -1)) {
      if (dir.length() > 0) {
        dir.append('/');
      }
      dir.append(segment);
      String rel = dir.toString();
      if (directories.contains(rel)) {
        continue;
      }
      Path p = root.resolve(rel);
      BasicFileAttributes existing = lstat(p);
      if (existing == null) {
        makeDirectory(p, rel);
      } else if (existing.isSymbolicLink()) {
        throw ArchiveFailures.unsafe(
            member,
            "it would be written through "
                + ArchiveFailures.quote(rel)
                + ", a symbolic link in the archive");
      } else if (!existing.isDirectory()) {
        throw ArchiveFailures.unsafe(
            member, ArchiveFailures.quote(rel) + " is a file in the archive, not a directory");
      }
      directories.add(rel);
    }
  }

  private void makeDirectory(Path p, String rel) {
    try {
      Files.createDirectory(p);
    } catch (IOException e) {
      throw ArchiveFailures.disk(
          "create the directory " + rel + " while extracting " + archiveName, e);
    }
    setPermissions(p, DIRECTORY, rel);
  }

  private @Nullable BasicFileAttributes lstat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw ArchiveFailures.disk(
          "inspect " + root.relativize(p) + " while extracting " + archiveName, e);
    }
  }

  /** Exactly 0644, 0755 or 0755 for directories, whatever the umask and the archive's mode. */
  private void setPermissions(Path p, Set<PosixFilePermission> permissions, String rel) {
    PosixFileAttributeView view =
        Files.getFileAttributeView(p, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    if (view == null) {
      return;
    }
    try {
      view.setPermissions(permissions);
    } catch (IOException e) {
      throw ArchiveFailures.disk("set the mode of " + rel + " while extracting " + archiveName, e);
    }
  }

  private static void setModified(Path p, @Nullable FileTime modified) {
    if (modified == null) {
      return;
    }
    try {
      Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(modified, null, null);
    } catch (IOException | RuntimeException e) {
      // A time the filesystem cannot store is not worth failing the extraction for.
    }
  }

  /** The fallback for a hard link the filesystem refuses: a copy, counted against the limits. */
  private void copy(Path from, Path to, String member, RelativePath path) {
    long size = 0;
    try (InputStream in = Files.newInputStream(from, LinkOption.NOFOLLOW_LINKS);
        OutputStream out =
            Files.newOutputStream(
                to,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        size += n;
        meter.expanded(member, n);
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw ArchiveFailures.disk("copy " + path + " while extracting " + archiveName, e);
    }
    written += size;
    boolean executable;
    try {
      executable =
          Files.getPosixFilePermissions(from, LinkOption.NOFOLLOW_LINKS)
              .contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (IOException | UnsupportedOperationException e) {
      executable = false;
    }
    setPermissions(to, executable ? EXECUTABLE : REGULAR, path.value());
  }
}
