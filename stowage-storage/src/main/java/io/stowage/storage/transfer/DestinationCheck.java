package io.stowage.storage.transfer;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * {@code stowage verify}: a materialized model against its manifest (every published file present
 * with its size, and its content digest recomputed where one was recorded), and optionally against
 * a fresh listing of its source. Reads only: the destination and its manifest are left untouched.
 */
public final class DestinationCheck {
  private static final int HASH_BUFFER = 1024 * 1024;

  /** How deep the local check goes. */
  public enum Depth {
    /** Sizes, and the content of every file with a recorded digest, hashed again. */
    CONTENT,
    /** Sizes and modification times only: fast, but blind to a same-size rewrite. */
    METADATA
  }

  /** A difference between the destination and what it should hold. */
  public sealed interface Finding {
    RelativePath path();

    String detail();

    /** One word for reports: missing, extra, changed, outdated. */
    String kind();
  }

  /** A file the manifest or the source has that the destination lacks. */
  public record Missing(RelativePath path, String detail) implements Finding {
    @Override
    public String kind() {
      return "missing";
    }
  }

  /** A file the destination has that neither the manifest nor the source knows. */
  public record Extra(RelativePath path, String detail) implements Finding {
    @Override
    public String kind() {
      return "extra";
    }
  }

  /** A file whose bytes are not the ones that were downloaded. */
  public record Changed(RelativePath path, String detail) implements Finding {
    @Override
    public String kind() {
      return "changed";
    }
  }

  /** A file the source now has in another version. */
  public record Outdated(RelativePath path, String detail) implements Finding {
    @Override
    public String kind() {
      return "outdated";
    }
  }

  /**
   * Recognizes content from a source's version tag where the manifest recorded no digest: an S3
   * multipart ETag, for one, is a function of the bytes and the part size.
   */
  public interface VersionCheck {
    VersionCheck NONE = (file, size, version) -> Optional.empty();

    /** Whether the file has the content the version names; empty when the version cannot tell. */
    Optional<Boolean> matches(Path file, long size, String version) throws IOException;
  }

  /** The source as it is now, for a comparison with what was downloaded from it. */
  public record SourceListing(String display, List<RemoteFile> files) {
    public SourceListing {
      files = List.copyOf(files);
    }
  }

  /**
   * What the check found.
   *
   * @param files files the manifest records (downloaded and extracted)
   * @param bytes their total size
   * @param hashed files whose content was hashed and compared
   * @param incompleteSources sources whose last run did not finish
   */
  public record Report(
      int files, long bytes, int hashed, List<String> incompleteSources, List<Finding> findings) {
    public Report {
      incompleteSources = List.copyOf(incompleteSources);
      findings = List.copyOf(findings);
    }

    public boolean clean() {
      return findings.isEmpty() && incompleteSources.isEmpty();
    }
  }

  private DestinationCheck() {}

  /**
   * Checks {@code dir}.
   *
   * @throws StorageException (usage) when the directory has no manifest, (disk) when it cannot be
   *     read
   */
  public static Report check(
      Path dir, Depth depth, @Nullable SourceListing source, VersionCheck versions) {
    Manifest manifest = open(dir);
    try (manifest) {
      return new Run(dir, depth, manifest, versions).check(source);
    } catch (IOException e) {
      throw StorageException.disk("Cannot read " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Manifest open(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw StorageException.usage(dir + " is not a directory");
    }
    try {
      return Manifest.readOnly(dir);
    } catch (NoSuchFileException e) {
      throw StorageException.usage(
          dir
              + " has no "
              + Manifest.FILE_NAME
              + ": it was not downloaded by stowage pull or stowage initialize, so there is"
              + " nothing to verify it against");
    } catch (IOException e) {
      throw StorageException.disk("Cannot read the manifest of " + dir + ": " + e.getMessage(), e);
    }
  }

  /** One check of one directory. */
  private static final class Run {
    private final Path dir;
    private final Depth depth;
    private final Manifest manifest;
    private final VersionCheck versions;
    private final List<Finding> findings = new ArrayList<>();
    private int hashed;

    Run(Path dir, Depth depth, Manifest manifest, VersionCheck versions) {
      this.dir = dir;
      this.depth = depth;
      this.manifest = manifest;
      this.versions = versions;
    }

    Report check(@Nullable SourceListing source) throws IOException {
      Map<RelativePath, Manifest.FileEntry> published = manifest.published();
      Map<String, Manifest.Extraction> extractions = manifest.extractions();
      Set<RelativePath> known = new HashSet<>(published.keySet());
      long bytes = 0;
      int files = 0;
      List<Future<Optional<Finding>>> contentChecks = new ArrayList<>();
      ExecutorService pool =
          Executors.newFixedThreadPool(
              Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
              r -> {
                Thread t = new Thread(r, "stowage-verify");
                t.setDaemon(true);
                return t;
              });
      try {
        for (Manifest.FileEntry e : published.values()) {
          files++;
          bytes += e.size();
          Optional<Finding> quick =
              local(e.path(), e.size(), e.mtimeMillis(), depth == Depth.CONTENT);
          if (quick.isPresent()) {
            findings.add(quick.get());
          } else if (depth == Depth.CONTENT) {
            contentChecks.add(pool.submit(() -> content(e)));
          }
        }
        for (Manifest.Extraction x : extractions.values()) {
          for (Manifest.Member m : x.members()) {
            if (m.path().value().startsWith(RelativePath.RESERVED_PREFIX)) {
              // Staged in Stowage's own working directory (the layers of an OCI pull before the
              // image is assembled): not part of the model.
              continue;
            }
            files++;
            bytes += m.size();
            known.add(m.path());
            local(m.path(), m.size(), m.mtimeMillis(), false).ifPresent(findings::add);
          }
        }
        for (Future<Optional<Finding>> f : contentChecks) {
          await(f).ifPresent(findings::add);
        }
      } finally {
        pool.shutdownNow();
      }
      extras(known);
      if (source != null) {
        compare(source, published, extractions);
      }
      List<String> incomplete = new ArrayList<>();
      Set<String> sources = new HashSet<>();
      published.values().forEach(e -> sources.add(e.source()));
      Map<String, Manifest.Completion> completions = manifest.completions();
      for (String s : sources) {
        if (!completions.containsKey(s) && !extractions.containsKey(s)) {
          incomplete.add(s);
        }
      }
      findings.sort(
          (a, b) ->
              a.path().equals(b.path())
                  ? a.kind().compareTo(b.kind())
                  : a.path().compareTo(b.path()));
      return new Report(files, bytes, hashed, incomplete, findings);
    }

    /**
     * Presence, type and size; and the modification time, unless the content is checked next (a
     * file rewritten with the same bytes is fine then).
     */
    private Optional<Finding> local(RelativePath path, long size, long mtime, boolean contentNext)
        throws IOException {
      Path file = path.resolveUnder(dir);
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return Optional.of(new Missing(path, "recorded in the manifest, not on disk"));
      }
      if (!a.isRegularFile()) {
        return Optional.of(new Changed(path, "is no longer a regular file"));
      }
      if (a.size() != size) {
        return Optional.of(
            new Changed(path, "has " + a.size() + " bytes, " + size + " were downloaded"));
      }
      if (!contentNext && a.lastModifiedTime().toMillis() != mtime) {
        return Optional.of(new Changed(path, "was modified after it was downloaded"));
      }
      return Optional.empty();
    }

    /**
     * The content against the recorded digest, else against the source's version tag; when neither
     * can tell, the modification time must be the one recorded at download.
     */
    private Optional<Finding> content(Manifest.FileEntry e) throws IOException {
      Path file = e.path().resolveUnder(dir);
      Optional<Verification.Digest> expected = Verification.parse(e.digest(), "the manifest");
      if (expected.isPresent()) {
        Verification.Algorithm algorithm = expected.get().algorithm();
        String actual = digest(file, e.size(), algorithm);
        countHashed();
        if (actual.equals(expected.get().hex())) {
          return Optional.empty();
        }
        return Optional.of(
            new Changed(
                e.path(),
                "content differs: its "
                    + algorithm.label()
                    + " is "
                    + actual
                    + ", the downloaded file's was "
                    + expected.get().hex()));
      }
      Optional<Boolean> same = versions.matches(file, e.size(), e.version());
      if (same.isPresent()) {
        countHashed();
        return same.get()
            ? Optional.empty()
            : Optional.of(
                new Changed(
                    e.path(),
                    "content differs from version " + e.version() + " that was downloaded"));
      }
      if (Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis()
          != e.mtimeMillis()) {
        return Optional.of(
            new Changed(
                e.path(),
                "was modified after it was downloaded (no digest recorded to compare its"
                    + " content)"));
      }
      return Optional.empty();
    }

    private synchronized void countHashed() {
      hashed++;
    }

    private void extras(Set<RelativePath> known) throws IOException {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isDirectory()
                  || file.getFileName().toString().startsWith(RelativePath.RESERVED_PREFIX)) {
                return FileVisitResult.CONTINUE;
              }
              RelativePath rel =
                  new RelativePath(dir.relativize(file).toString().replace('\\', '/'));
              if (!known.contains(rel)) {
                findings.add(new Extra(rel, "on disk, not in the manifest"));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    }

    /** The source as listed now against what was downloaded from it. */
    private void compare(
        SourceListing source,
        Map<RelativePath, Manifest.FileEntry> published,
        Map<String, Manifest.Extraction> extractions) {
      Map<RelativePath, RemoteFile> remote = new HashMap<>();
      source.files().forEach(f -> remote.put(f.path(), f));
      Manifest.Extraction extraction = extractions.get(source.display());
      if (extraction != null && remote.size() == 1) {
        RemoteFile archive = remote.values().iterator().next();
        if (archive.size() != extraction.size()
            || !archive.version().equals(extraction.version())) {
          findings.add(
              new Outdated(
                  archive.path(),
                  "the archive in "
                      + source.display()
                      + " changed since it was extracted (version "
                      + archive.version()
                      + ", extracted "
                      + extraction.version()
                      + ")"));
        }
        return;
      }
      for (RemoteFile f : remote.values()) {
        Manifest.FileEntry e = published.get(f.path());
        if (e == null) {
          findings.add(new Missing(f.path(), "in " + source.display() + ", never downloaded"));
        } else if ((f.sizeKnown() && f.size() != e.size()) || !f.version().equals(e.version())) {
          findings.add(
              new Outdated(
                  f.path(),
                  source.display()
                      + " has another version ("
                      + describe(f.size(), f.version())
                      + "; downloaded "
                      + describe(e.size(), e.version())
                      + ")"));
        }
      }
      for (Manifest.FileEntry e : published.values()) {
        if (!remote.containsKey(e.path())) {
          findings.add(
              new Extra(e.path(), "downloaded, but " + source.display() + " no longer has it"));
        }
      }
    }

    private static String describe(long size, String version) {
      return (size < 0 ? "unknown size" : size + " bytes")
          + (version.isEmpty() ? "" : ", version " + version);
    }
  }

  /** The digest of a file's content, as the algorithm defines it. */
  static String digest(Path file, long size, Verification.Algorithm algorithm) throws IOException {
    MessageDigest md = algorithm.newDigest(size);
    ByteBuffer buffer = ByteBuffer.allocate(HASH_BUFFER);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buffer) >= 0) {
        buffer.flip();
        md.update(buffer);
        buffer.clear();
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw StorageException.disk("Cannot read a file to verify it: " + io.getMessage(), io);
      }
      if (e.getCause() instanceof StorageException s) {
        throw s;
      }
      throw new StorageException(Failure.INTERNAL, "Internal error: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException(Failure.INTERNAL, "Interrupted", e);
    }
  }
}
