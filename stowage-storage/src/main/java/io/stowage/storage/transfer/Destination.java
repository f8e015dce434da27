package io.stowage.storage.transfer;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The destination directory and the only code that creates paths in it. Directories are created one
 * segment at a time and never through a symbolic link, so nothing is ever written outside the root,
 * whatever the source's names or what already lies in the directory.
 */
final class Destination {
  static final String STAGING_SUFFIX = ".partial";

  private final Path root;
  private final Set<Path> knownDirectories = ConcurrentHashMap.newKeySet();

  private Destination(Path root) {
    this.root = root;
    knownDirectories.add(root);
  }

  /** Creates the root if needed (KServe creates every destination up front). */
  static Destination open(Path dir) {
    try {
      Files.createDirectories(dir);
      return new Destination(dir.toRealPath());
    } catch (AccessDeniedException e) {
      throw StorageException.disk(
          "Cannot create or enter "
              + dir
              + ": permission denied (the init container's user must be able to write it)",
          e);
    } catch (FileAlreadyExistsException e) {
      throw StorageException.disk(
          "Cannot use " + dir + " as the destination: it is not a directory", e);
    } catch (IOException e) {
      throw StorageException.disk("Cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  Path root() {
    return root;
  }

  Path target(RelativePath path) {
    return path.resolveUnder(root);
  }

  /** A hidden staging name beside the target, stable across runs so that a restart finds it. */
  Path staging(RelativePath path) {
    return target(path)
        .resolveSibling(RelativePath.RESERVED_PREFIX + digest(path.value()) + STAGING_SUFFIX);
  }

  /**
   * Refuses, before anything is fetched, a file whose path under the root, or its staging file's (a
   * fixed-length name that may be longer than the file's own), is longer than Linux takes.
   */
  void checkFits(RelativePath path, String source) {
    var problem =
        RelativePath.pathProblem(target(path))
            .or(() -> RelativePath.pathProblem(staging(path)).map(p -> "as a staging file, " + p));
    if (problem.isPresent()) {
      String shown =
          path.value().length() > 80 ? path.value().substring(0, 80) + "…" : path.value();
      throw StorageException.unsafe(
          "Refusing '" + shown + "' of " + source + " under " + root + ": " + problem.get());
    }
  }

  static boolean isStagingName(String fileName) {
    return fileName.startsWith(RelativePath.RESERVED_PREFIX) && fileName.endsWith(STAGING_SUFFIX);
  }

  /** Creates the directories above {@code path}, refusing symbolic links and files in the way. */
  void createParents(RelativePath path) {
    var parent = path.parent();
    if (parent.isEmpty()) {
      return;
    }
    Path dir = root;
    for (String segment : parent.get().value().split("/", -1)) {
      dir = dir.resolve(segment);
      if (knownDirectories.contains(dir)) {
        continue;
      }
      ensureDirectory(dir, path);
      knownDirectories.add(dir);
    }
  }

  private void ensureDirectory(Path dir, RelativePath forFile) {
    try {
      Files.createDirectory(dir);
      return;
    } catch (FileAlreadyExistsException e) {
      // Check below what is there.
    } catch (IOException e) {
      throw StorageException.disk("Cannot create directory " + dir + ": " + describe(e), e);
    }
    if (Files.isSymbolicLink(dir)) {
      throw StorageException.unsafe(
          "Refusing to write "
              + forFile
              + ": "
              + dir
              + " is a symbolic link, and writing through it could leave the destination");
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw StorageException.disk(
          "Cannot write " + forFile + ": " + dir + " exists and is not a directory", null);
    }
  }

  /**
   * Staging files left by a killed run, to be resumed or removed, and whatever else holds a staging
   * name (a link, a FIFO): the names are Stowage's, so anything there is removed, never followed.
   */
  List<Path> stagingFiles() {
    List<Path> found = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              // Without FOLLOW_LINKS a link, even to a directory, is visited as itself.
              if (!attrs.isDirectory() && isStagingName(file.getFileName().toString())) {
                found.add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw StorageException.disk("Cannot scan " + root + ": " + describe(e), e);
    }
    return found;
  }

  long usableSpace() {
    try {
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  /** Forces directory entries (renames) to stable storage. */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some filesystems refuse to sync directories; the files themselves were synced.
    }
  }

  /** A disk failure with a message a person can act on. */
  StorageException diskFailure(String doing, IOException e) {
    return StorageException.disk("Cannot " + doing + " in " + root + ": " + describe(e), e);
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
    return e.getClass().getSimpleName() + ": " + m;
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new StorageException(Failure.INTERNAL, "SHA-256 unavailable", e);
    }
  }
}
