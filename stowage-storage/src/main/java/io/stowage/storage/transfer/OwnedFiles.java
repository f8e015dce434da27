package io.stowage.storage.transfer;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one rule for opening the files Stowage keeps under its own names in a destination (the
 * manifest, its compaction, staging files): they are regular files Stowage created, so whatever
 * else holds such a name (a symbolic link, a FIFO, a socket, a device) was planted, and is removed
 * as a name, never followed or opened. Without this, a link at a staging name made a download
 * overwrite the file it pointed to outside the destination, and a link at the manifest's name made
 * the journal append there.
 *
 * <p>Files are created with {@code CREATE_NEW} and {@code NOFOLLOW_LINKS} after the name was
 * cleared, and existing ones opened with {@code NOFOLLOW_LINKS} after checking that they are
 * regular files, so a link swapped in between makes the open fail instead of writing through it. A
 * directory holding the name is reported, not removed: Stowage never makes one there, so its
 * content is someone's data.
 */
final class OwnedFiles {
  private OwnedFiles() {}

  /**
   * Creates {@code file} empty, replacing whatever held the name (a regular file of an earlier run
   * included).
   *
   * @param options more options ({@code READ}, {@code APPEND}); {@code WRITE} is implied
   */
  static FileChannel create(Path file, OpenOption... options) throws IOException {
    for (int attempt = 0; ; attempt++) {
      clear(file);
      try {
        return FileChannel.open(
            file, with(options, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
      } catch (FileAlreadyExistsException e) {
        // Something recreated the name between the unlink and the create; once more, then give up.
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  /**
   * Opens {@code file} when it is a regular file of ours; empty when the name is free or held by
   * something else (which is then not read: a FIFO would block, a link would lead elsewhere).
   *
   * @param options more options ({@code READ}, {@code WRITE}, {@code APPEND})
   */
  static Optional<FileChannel> openExisting(Path file, OpenOption... options) throws IOException {
    if (!isOurs(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(FileChannel.open(file, with(options)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** True when {@code file} is a regular file, not a link to one. */
  static boolean isOurs(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .isRegularFile();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Removes whatever holds the name, without following it.
   *
   * @throws FileSystemException when a directory holds it
   */
  static void clear(Path file) throws IOException {
    try {
      // Deleting a path removes a link itself, never its target; an empty directory goes too.
      Files.deleteIfExists(file);
    } catch (DirectoryNotEmptyException e) {
      throw inTheWay(file);
    }
  }

  private static FileSystemException inTheWay(Path file) {
    return new FileSystemException(
        file.toString(),
        null,
        "a directory holds this name, which Stowage reserves for its own files; remove it");
  }

  private static OpenOption[] with(OpenOption[] options, OpenOption... more) {
    List<OpenOption> all = new ArrayList<>(List.of(options));
    all.addAll(List.of(more));
    all.add(LinkOption.NOFOLLOW_LINKS);
    return all.toArray(OpenOption[]::new);
  }
}
