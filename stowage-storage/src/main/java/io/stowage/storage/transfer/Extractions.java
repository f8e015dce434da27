package io.stowage.storage.transfer;

import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The manifest's record of archives extracted into a destination, so that a restart recognises a
 * finished extraction (the archive itself was deleted) instead of fetching and extracting again,
 * and so that files of a previous archive version are removed when a new one replaces it.
 */
public final class Extractions {
  private Extractions() {}

  /** A file an extraction produced. */
  public record ExtractedMember(RelativePath path, long size) {}

  /**
   * True when this archive (same source, version and size) was extracted into {@code destination}
   * and every file it produced is still there as it was left.
   */
  public static boolean isCurrent(Path destination, String source, RemoteFile archive) {
    if (!Files.isDirectory(destination) || archive.version().isEmpty()) {
      return false;
    }
    try (Manifest m = Manifest.open(destination)) {
      var e = m.extraction(source);
      if (e.isEmpty()
          || !e.get().version().equals(archive.version())
          || e.get().size() != archive.size()) {
        return false;
      }
      for (Manifest.Member member : e.get().members()) {
        if (!intact(destination, member)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Records that {@code archive} was extracted into {@code members}, removes files a previous
   * extraction of the same source left that this one did not produce, and (with {@code fsync})
   * forces the new files to disk before the manifest says so.
   */
  public static void record(
      Path destination,
      String source,
      RemoteFile archive,
      List<ExtractedMember> members,
      boolean fsync) {
    try (Manifest m = Manifest.open(destination)) {
      Set<RelativePath> now = new HashSet<>();
      members.forEach(x -> now.add(x.path()));
      var previous = m.extraction(source);
      if (previous.isPresent()) {
        for (Manifest.Member old : previous.get().members()) {
          if (!now.contains(old.path()) && intact(destination, old)) {
            Files.deleteIfExists(old.path().resolveUnder(destination));
          }
        }
      }
      List<Manifest.Member> recorded = new ArrayList<>();
      long total = 0;
      for (ExtractedMember x : members) {
        Path p = x.path().resolveUnder(destination);
        if (fsync) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(false);
          }
        }
        long mtime = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
        recorded.add(new Manifest.Member(x.path(), x.size(), mtime));
        total += x.size();
      }
      if (fsync) {
        Destination.syncDirectory(destination);
      }
      m.appendExtraction(
          new Manifest.Extraction(
              source, archive.path(), archive.size(), archive.version(), recorded));
      m.compact(
          new Manifest.Completion(source, members.size(), total, Instant.now().toString()), fsync);
    } catch (IOException e) {
      throw StorageException.disk(
          "Cannot record the extraction in " + destination + ": " + e.getMessage(), e);
    }
  }

  private static boolean intact(Path destination, Manifest.Member member) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(
              member.path().resolveUnder(destination),
              BasicFileAttributes.class,
              LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile()
          && a.size() == member.size()
          && a.lastModifiedTime().toMillis() == member.mtimeMillis();
    } catch (IOException e) {
      return false;
    }
  }
}
