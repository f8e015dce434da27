package io.stowage.storage.local;

import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.PathFilter;
import io.stowage.storage.transfer.RelativePath;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a local file or the top-level entries of a local directory visible in the destination as
 * symbolic links, as KServe's initializer does for mounted claims: model bytes are never copied. An
 * entry already present in the destination is left as it is, so a rerun changes nothing.
 */
public final class LocalLinker {
  private LocalLinker() {}

  /** What a run linked. */
  public record Linked(List<Path> links, int alreadyPresent) {
    public int total() {
      return links.size() + alreadyPresent;
    }
  }

  /**
   * The single file the source amounts to: the source itself when it is a file, or the only entry
   * of a directory that the filter accepts when that entry is a file.
   */
  public static java.util.Optional<Path> singleFile(Path source, PathFilter filter) {
    if (Files.isRegularFile(source)) {
      return java.util.Optional.of(source);
    }
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(source)) {
      for (Path entry : stream) {
        String name = entry.getFileName().toString();
        if (!name.startsWith(RelativePath.RESERVED_PREFIX) && filter.accepts(name)) {
          entries.add(entry);
        }
      }
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
    return entries.size() == 1 && Files.isRegularFile(entries.get(0))
        ? java.util.Optional.of(entries.get(0))
        : java.util.Optional.empty();
  }

  /**
   * Links {@code source} (a file, or each top-level entry of a directory that the filter accepts)
   * into {@code destination}.
   *
   * @param shown the URI as the user wrote it, for messages
   */
  public static Linked link(Path source, Path destination, PathFilter filter, String shown) {
    List<Path> targets = new ArrayList<>();
    if (Files.isDirectory(source)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          if (!name.startsWith(RelativePath.RESERVED_PREFIX) && filter.accepts(name)) {
            targets.add(entry);
          }
        }
      } catch (IOException e) {
        throw StorageException.disk("Cannot list " + source + ": " + e.getMessage(), e);
      }
    } else {
      targets.add(source);
    }
    targets.sort(null);
    if (targets.isEmpty()) {
      throw StorageException.notFound("Failed to fetch model. No model found in " + shown + ".");
    }
    List<Path> links = new ArrayList<>();
    int present = 0;
    for (Path target : targets) {
      Path link = destination.resolve(target.getFileName().toString());
      if (Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        present++;
        continue;
      }
      try {
        Files.createSymbolicLink(link, target.toAbsolutePath());
        links.add(link);
      } catch (FileAlreadyExistsException e) {
        present++;
      } catch (IOException e) {
        throw StorageException.disk(
            "Cannot link " + link + " to " + target + ": " + e.getMessage(), e);
      }
    }
    return new Linked(links, present);
  }
}
