package io.stowage.oci.pull;

import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.RelativePath;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The hidden directory one layer's {@code /models} members are extracted into, and the rules they
 * must pass: names are relative and free of {@code ..}, nothing is written through a symbolic link,
 * links stay inside the model, devices and FIFOs are refused. Whiteouts are kept as the empty
 * marker files the layer spells ({@code .wh.name}, {@code .wh..wh..opq}) and applied when the
 * layers are merged, in order.
 */
final class LayerStage {
  static final String MODELS = "models";
  static final String WHITEOUT = ".wh.";
  static final String OPAQUE = ".wh..wh..opq";

  private static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> EXECUTABLE = DIRECTORY;
  private static final Set<PosixFilePermission> REGULAR =
      PosixFilePermissions.fromString("rw-r--r--");

  private final Path root;
  private final String layer;
  private final List<RelativePath> files = new ArrayList<>();

  LayerStage(Path root, String layer) {
    this.root = root;
    this.layer = layer;
  }

  Path root() {
    return root;
  }

  /** Regular files written so far (whiteout markers included). */
  List<RelativePath> files() {
    return List.copyOf(files);
  }

  /** Where a member lands relative to {@code /models}. */
  sealed interface Placement {}

  /** Outside {@code /models}: skipped (its bytes still count for the digest). */
  record Outside() implements Placement {}

  /** {@code /models} itself. */
  record ModelsRoot() implements Placement {}

  /** A whiteout at the image root that removes {@code /models} of the layers below. */
  record ModelsWhiteout() implements Placement {}

  record Inside(RelativePath path) implements Placement {}

  /**
   * Places a member name: {@code ./} and empty segments are dropped, {@code /models/} stripped.
   *
   * @throws StorageException {@code UNSAFE_SOURCE} for absolute names, {@code ..} and NUL bytes
   */
  static Placement place(String raw) {
    if (raw.indexOf('\0') >= 0) {
      throw unsafe(raw, "its name contains a NUL byte");
    }
    if (raw.startsWith("/") || raw.startsWith("\\")) {
      throw unsafe(raw, "absolute paths are not allowed in a layer");
    }
    List<String> segments = new ArrayList<>();
    for (String s : raw.split("/", -1)) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        throw unsafe(raw, "its path contains '..' and would land outside the destination");
      }
      segments.add(s);
    }
    if (segments.isEmpty()) {
      return new Outside();
    }
    if (segments.size() == 1
        && (segments.get(0).equals(WHITEOUT + MODELS) || segments.get(0).equals(OPAQUE))) {
      return new ModelsWhiteout();
    }
    if (!segments.get(0).equals(MODELS)) {
      return new Outside();
    }
    if (segments.size() == 1) {
      return new ModelsRoot();
    }
    List<String> rest = segments.subList(1, segments.size());
    for (String s : rest) {
      if (s.startsWith(RelativePath.RESERVED_PREFIX)) {
        throw unsafe(
            raw,
            "names starting with '" + RelativePath.RESERVED_PREFIX + "' are reserved by Stowage");
      }
    }
    return new Inside(new RelativePath(String.join("/", rest)));
  }

  void ensureRoot() {
    makeDirectory(root);
  }

  void directory(RelativePath p) {
    Path target = prepareParents(p);
    BasicFileAttributes a = lstat(target);
    if (a != null && a.isDirectory()) {
      return;
    }
    if (a != null) {
      delete(target);
    }
    makeDirectory(target);
  }

  /** Creates (or replaces) a regular file and opens it for writing at offsets. */
  FileChannel createFile(RelativePath p) {
    Path target = prepareLeaf(p);
    try {
      FileChannel ch =
          FileChannel.open(
              target,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS);
      files.add(p);
      return ch;
    } catch (IOException e) {
      throw disk("create " + p, e);
    }
  }

  /** Sets a finished file's permissions: readable by anyone, executable when the layer says so. */
  void finishFile(RelativePath p, int mode) {
    try {
      Files.setPosixFilePermissions(
          p.resolveUnder(root), (mode & 0111) != 0 ? EXECUTABLE : REGULAR);
    } catch (IOException | UnsupportedOperationException e) {
      // Permissions are best effort on filesystems without POSIX modes.
    }
  }

  /**
   * A symbolic link. Absolute targets under {@code /models} are made relative (they mean the same
   * inside the image); other absolute targets, and relative ones that climb above {@code /models},
   * are refused. Links through other links are checked again once all layers are merged.
   */
  void symlink(RelativePath p, String rawTarget, String member) {
    String target = linkTarget(p, rawTarget, member);
    Path at = prepareLeaf(p);
    try {
      Files.createSymbolicLink(at, at.getFileSystem().getPath(target));
    } catch (IOException e) {
      throw disk("create the link " + p, e);
    }
  }

  /** A hard link to a file extracted before it in this layer: a copy-free link in the stage. */
  void hardLink(RelativePath p, String rawTarget, String member) {
    Placement t = place(rawTarget);
    if (!(t instanceof Inside inside) || !files.contains(inside.path())) {
      throw unsafe(
          member,
          "hard link to '"
              + rawTarget
              + "', which is not a file under /models extracted before it in the same layer");
    }
    if (inside.path().equals(p)) {
      return;
    }
    Path at = prepareLeaf(p);
    try {
      Files.createLink(at, inside.path().resolveUnder(root));
      files.add(p);
    } catch (IOException e) {
      throw disk("link " + p, e);
    }
  }

  /** A whiteout marker, kept until the merge applies it. */
  void marker(Optional<RelativePath> dir, String name) {
    RelativePath p = new RelativePath(dir.map(d -> d.value() + "/").orElse("") + name);
    try (FileChannel ch = createFile(p)) {
      ch.size();
    } catch (IOException e) {
      throw disk("record the whiteout " + p, e);
    }
  }

  static String linkTarget(RelativePath p, String rawTarget, String member) {
    if (rawTarget.isEmpty() || rawTarget.indexOf('\0') >= 0) {
      throw unsafe(member, "a symbolic link with an empty or invalid target");
    }
    String target = rawTarget;
    if (target.startsWith("/")) {
      String inside = target.substring(1);
      while (inside.startsWith("/")) {
        inside = inside.substring(1);
      }
      if (!(inside.equals(MODELS) || inside.startsWith(MODELS + "/"))) {
        throw unsafe(
            member,
            "symbolic link to the absolute path '" + rawTarget + "' points outside /models");
      }
      String rest = inside.equals(MODELS) ? "" : inside.substring(MODELS.length() + 1);
      int depth = p.value().split("/", -1).length - 1;
      String up = "../".repeat(depth);
      target = rest.isEmpty() ? (depth == 0 ? "." : up.substring(0, up.length() - 1)) : up + rest;
    }
    // Lexically, from the link's directory: never above the model's root.
    int depth = p.value().split("/", -1).length - 1;
    for (String s : target.split("/", -1)) {
      if (s.equals("..")) {
        if (--depth < 0) {
          throw unsafe(member, "symbolic link to '" + rawTarget + "' resolves outside /models");
        }
      } else if (!s.isEmpty() && !s.equals(".")) {
        depth++;
      }
    }
    return target;
  }

  /** Makes the parents of {@code p}, then removes whatever holds its name (a later member wins). */
  private Path prepareLeaf(RelativePath p) {
    Path target = prepareParents(p);
    BasicFileAttributes a = lstat(target);
    if (a != null) {
      if (a.isDirectory()) {
        throw unsafe(p.value(), "a directory of the same name is already in the layer");
      }
      delete(target);
      files.remove(p);
    }
    return target;
  }

  private Path prepareParents(RelativePath p) {
    Path dir = root;
    Optional<RelativePath> parent = p.parent();
    if (parent.isPresent()) {
      for (String s : parent.get().value().split("/", -1)) {
        dir = dir.resolve(s);
        BasicFileAttributes a = lstat(dir);
        if (a == null) {
          makeDirectory(dir);
        } else if (a.isSymbolicLink()) {
          throw unsafe(
              p.value(), "it would be written through the symbolic link " + root.relativize(dir));
        } else if (!a.isDirectory()) {
          delete(dir);
          makeDirectory(dir);
        }
      }
    }
    return p.resolveUnder(root);
  }

  private void makeDirectory(Path dir) {
    try {
      Files.createDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw disk("create the directory " + dir.getFileName(), e);
      }
    } catch (IOException e) {
      throw disk("create the directory " + dir.getFileName(), e);
    }
    try {
      Files.setPosixFilePermissions(dir, DIRECTORY);
    } catch (IOException | UnsupportedOperationException e) {
      // Best effort, as for files.
    }
  }

  private void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw disk("replace " + root.relativize(p), e);
    }
  }

  static @org.jspecify.annotations.Nullable BasicFileAttributes lstat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }

  static StorageException unsafe(String member, String why) {
    return StorageException.unsafe("Refusing layer member '" + member + "': " + why);
  }

  private StorageException disk(String doing, IOException e) {
    return StorageException.disk(
        "Cannot " + doing + " while extracting layer " + layer + ": " + e.getMessage(), e);
  }
}
