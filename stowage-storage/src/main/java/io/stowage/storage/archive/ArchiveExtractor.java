package io.stowage.storage.archive;

import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Extracts an archive into a directory, safely.
 *
 * <p>How: members stream into a hidden staging directory inside the destination ({@value
 * #STAGING_PREFIX}{@code <random>}), each checked before a byte of it is written. When the whole
 * archive was read and verified (compressor checksums, zip CRC-32s, every symbolic link followed
 * once more in the final tree), the top-level entries are moved into the destination with renames,
 * replacing same-named entries there (a file, a link, or a whole directory: KServe extracts over
 * existing content), and the staging directory is removed. On any failure the staging directory is
 * removed and the destination is left as it was. Nothing outside the destination is ever written:
 * member paths cannot climb out, nothing is written through a symbolic link, whether the archive
 * made it or it was already in the destination (existing links are replaced, not followed).
 *
 * <p>Refused with {@link io.stowage.storage.Failure#UNSAFE_SOURCE} and one line naming the member:
 * absolute names ({@code /x}, {@code C:\x}), {@code ..} segments, names Stowage reserves ({@code
 * .stowage-*}), symbolic links whose target is absolute or resolves outside the root, hard links to
 * anything but a regular file extracted before them, device files and FIFOs, writing through a
 * link, and archives over the {@link ArchiveLimits}. A damaged or truncated archive fails with
 * {@link io.stowage.storage.Failure#INTEGRITY} and a message that starts with KServe's "Failed to
 * unpack archive file. The file format is not valid."; the destination's I/O errors with {@link
 * io.stowage.storage.Failure#DISK}.
 *
 * <p>Files get mode 0644, or 0755 when the member's owner-execute bit is set; directories 0755
 * (setuid, setgid, sticky and group/other write bits are never applied, nor owners). Modification
 * times of files are kept. Files are not forced to disk: the caller decides when to sync.
 *
 * <p>Memory is a fixed set of buffers (about 0.5 MiB, plus up to 128 MiB for xz dictionaries and
 * zstd windows as large as the format's defaults allow), whatever the size of the archive or its
 * members; the destination needs room for the archive and its content at the same time.
 *
 * <p>One extraction per destination at a time: each starts by removing the staging directories it
 * finds there, which only a killed run leaves behind. Instances hold no state and may be shared.
 */
public final class ArchiveExtractor {
  /** The staging directory's name prefix; leftovers of a killed run are removed by the next. */
  public static final String STAGING_PREFIX = ".stowage-extract-";

  private final ArchiveLimits limits;

  public ArchiveExtractor(ArchiveLimits limits) {
    this.limits = limits;
  }

  /**
   * Extracts {@code archive} into the directory {@code destination} (created if missing). The
   * archive may lie inside the destination; it is not removed.
   *
   * @throws StorageException {@code UNSAFE_SOURCE}, {@code INTEGRITY} or {@code DISK}, as above
   */
  public ExtractionResult extract(Path archive, ArchiveFormat format, Path destination) {
    String name = String.valueOf(archive.getFileName());
    long size = sizeOf(archive, name);
    Path root = openDestination(destination);
    removeStaleStaging(root);
    Path staging = createStaging(root);
    ExtractionResult result;
    boolean placed = false;
    try {
      Path content = staging.resolve("content");
      createDirectory(content);
      Extraction x = new Extraction(content, name, size, limits);
      if (format.isTar()) {
        TarReader.read(archive, format, x);
      } else {
        ZipReader.read(archive, x);
      }
      if (x.entries() == 0) {
        throw ArchiveFailures.corrupt(name, "it holds no members", null);
      }
      x.verifyLinks();
      result = x.result();
      moveIntoPlace(content, staging.resolve("replaced"), root);
      placed = true;
    } catch (StagingKept e) {
      placed = true;
      throw e.failure;
    } finally {
      if (!placed) {
        Trees.deleteQuietly(staging);
      }
    }
    try {
      Trees.delete(staging);
    } catch (IOException e) {
      throw ArchiveFailures.disk(
          "remove " + staging + " after extracting " + name + " (the content is in place)", e);
    }
    return result;
  }

  private static long sizeOf(Path archive, String name) {
    long size;
    try {
      size = Files.size(archive);
    } catch (IOException e) {
      throw ArchiveFailures.disk("read the archive " + archive, e);
    }
    if (size == 0) {
      throw ArchiveFailures.corrupt(name, "the file is empty", null);
    }
    return size;
  }

  private static Path openDestination(Path destination) {
    try {
      Files.createDirectories(destination);
      return destination.toRealPath();
    } catch (FileAlreadyExistsException e) {
      throw StorageException.disk(
          "Cannot extract into " + destination + ": it is not a directory", e);
    } catch (IOException e) {
      throw ArchiveFailures.disk("create or enter " + destination, e);
    }
  }

  /** Staging directories of a run that was killed; the random suffix keeps ours apart. */
  private static void removeStaleStaging(Path root) {
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, STAGING_PREFIX + "*")) {
      entries.forEach(stale::add);
    } catch (IOException e) {
      throw ArchiveFailures.disk("list " + root, e);
    }
    for (Path p : stale) {
      try {
        Trees.delete(p);
      } catch (IOException e) {
        throw ArchiveFailures.disk("remove the stale staging directory " + p, e);
      }
    }
  }

  private static Path createStaging(Path root) {
    for (int attempt = 0; ; attempt++) {
      byte[] random = new byte[6];
      ThreadLocalRandom.current().nextBytes(random);
      Path staging = root.resolve(STAGING_PREFIX + HexFormat.of().formatHex(random));
      try {
        Files.createDirectory(staging);
        return staging;
      } catch (FileAlreadyExistsException e) {
        if (attempt == 10) {
          throw ArchiveFailures.disk("create a staging directory in " + root, e);
        }
      } catch (IOException e) {
        throw ArchiveFailures.disk("create a staging directory in " + root, e);
      }
    }
  }

  private static void createDirectory(Path dir) {
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw ArchiveFailures.disk("create " + dir, e);
    }
  }

  /**
   * Renames each top-level entry of {@code content} into {@code root}. A same-named entry already
   * there is first renamed into {@code replaced} (a link is moved as a link, not followed), so that
   * a failure half-way can put everything back.
   */
  private static void moveIntoPlace(Path content, Path replaced, Path root) {
    List<Path> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(content)) {
      entries.forEach(p -> names.add(p.getFileName()));
    } catch (IOException e) {
      throw ArchiveFailures.disk("list " + content, e);
    }
    names.sort(null);
    createDirectory(replaced);
    List<Path> movedAside = new ArrayList<>();
    List<Path> movedIn = new ArrayList<>();
    try {
      for (Path name : names) {
        Path target = root.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
          Files.move(target, replaced.resolve(name), StandardCopyOption.ATOMIC_MOVE);
          movedAside.add(name);
        }
        Files.move(content.resolve(name), target, StandardCopyOption.ATOMIC_MOVE);
        movedIn.add(name);
      }
    } catch (IOException e) {
      List<Path> stranded = putBack(content, replaced, root, movedIn, movedAside);
      if (!stranded.isEmpty()) {
        throw new StagingKept(
            ArchiveFailures.disk(
                "move the extracted content into "
                    + root
                    + ", nor put back "
                    + stranded
                    + ", which are kept in "
                    + replaced,
                e));
      }
      throw ArchiveFailures.disk("move the extracted content into " + root, e);
    }
  }

  /**
   * Best effort: undoes {@link #moveIntoPlace} after a failed rename.
   *
   * @return the replaced entries that could not be put back
   */
  private static List<Path> putBack(
      Path content, Path replaced, Path root, List<Path> movedIn, List<Path> movedAside) {
    for (Path name : movedIn) {
      try {
        Files.move(root.resolve(name), content.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        // The original, below, is what matters.
      }
    }
    List<Path> stranded = new ArrayList<>();
    for (Path name : movedAside) {
      try {
        Files.move(replaced.resolve(name), root.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException | RuntimeException e) {
        stranded.add(name);
      }
    }
    return stranded;
  }

  /** A failure after which the staging directory holds the destination's old content. */
  private static final class StagingKept extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final StorageException failure;

    StagingKept(StorageException failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }
}
