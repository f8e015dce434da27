package io.stowage.oci.verify;

import io.stowage.oci.Digest;
import io.stowage.oci.ImageReference;
import io.stowage.oci.pull.ImageFiles;
import io.stowage.oci.pull.PullOptions;
import io.stowage.oci.registry.Registries;
import io.stowage.storage.StorageException;
import io.stowage.storage.transfer.ManifestView;
import io.stowage.storage.transfer.RelativePath;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a materialized model: every file its manifest records is there with the recorded size and
 * modification time, no file is there that it does not record, and, for an image, every file's
 * bytes are those the image holds (computed from its layers, each verified against its digest).
 */
public final class ModelVerifier {
  private ModelVerifier() {}

  /** What differs. */
  public enum Kind {
    MISSING,
    EXTRA,
    CHANGED
  }

  public record Difference(Kind kind, String path, String detail) {
    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT)
          + ": "
          + path
          + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  /**
   * The outcome of a check.
   *
   * @param files files the manifest records
   * @param images images the destination holds, pinned to the digest they were pulled at
   */
  public record Report(
      int files, List<String> sources, List<ImageReference> images, List<Difference> differences) {
    public Report {
      sources = List.copyOf(sources);
      images = List.copyOf(images);
      differences = List.copyOf(differences);
    }

    public boolean clean() {
      return differences.isEmpty();
    }
  }

  private record Recorded(RelativePath path, long size, long mtime, String source) {}

  /**
   * Compares the destination with its manifest.
   *
   * @throws StorageException {@code USAGE} when the directory has no manifest
   */
  public static Report checkManifest(Path destination) {
    ManifestView view;
    try {
      view = ManifestView.read(destination);
    } catch (IOException e) {
      throw StorageException.disk(
          "Cannot read the manifest in " + destination + ": " + e.getMessage(), e);
    }
    if (!view.exists()) {
      throw StorageException.usage(
          destination
              + " has no "
              + ManifestView.fileName()
              + ": it was not materialized by Stowage");
    }
    Map<RelativePath, Recorded> recorded = new TreeMap<>();
    List<String> sources = new ArrayList<>();
    List<ImageReference> images = new ArrayList<>();
    view.published()
        .values()
        .forEach(
            f ->
                recorded.put(
                    f.path(), new Recorded(f.path(), f.size(), f.mtimeMillis(), f.source())));
    for (ManifestView.RecordedExtraction e : view.extractions().values()) {
      if (e.source().contains("#layer-")) {
        continue; // A layer staged by an unfinished pull, not part of the model.
      }
      e.files()
          .forEach(
              f ->
                  recorded.put(
                      f.path(), new Recorded(f.path(), f.size(), f.mtimeMillis(), e.source())));
      if (e.source().startsWith(ImageReference.SCHEME) && e.version().startsWith(Digest.PREFIX)) {
        images.add(ImageReference.parse(e.source()).withDigest(Digest.parse(e.version())));
      }
    }
    recorded.values().stream().map(Recorded::source).distinct().forEach(sources::add);
    List<Difference> diffs = new ArrayList<>();
    for (Recorded r : recorded.values()) {
      Path p = r.path().resolveUnder(destination);
      BasicFileAttributes a = lstat(p);
      if (a == null) {
        diffs.add(new Difference(Kind.MISSING, r.path().value(), ""));
      } else if (!a.isRegularFile()) {
        diffs.add(new Difference(Kind.CHANGED, r.path().value(), "not a regular file any more"));
      } else if (a.size() != r.size()) {
        diffs.add(
            new Difference(
                Kind.CHANGED, r.path().value(), a.size() + " bytes, " + r.size() + " recorded"));
      } else if (a.lastModifiedTime().toMillis() != r.mtime()) {
        diffs.add(new Difference(Kind.CHANGED, r.path().value(), "modified after it was written"));
      }
    }
    for (RelativePath extra : walk(destination)) {
      if (!recorded.containsKey(extra)) {
        diffs.add(new Difference(Kind.EXTRA, extra.value(), "not in the manifest"));
      }
    }
    return new Report(recorded.size(), sources, images, diffs);
  }

  /**
   * Compares the files an image holds under {@code /models} with the destination's, byte for byte
   * (by SHA-256).
   */
  public static List<Difference> checkImage(
      Registries registries, PullOptions options, ImageReference image, Path destination) {
    Map<RelativePath, Digest> expected = ImageFiles.digests(registries, options, image);
    List<Difference> diffs = new ArrayList<>();
    for (Map.Entry<RelativePath, Digest> e : expected.entrySet()) {
      Path p = e.getKey().resolveUnder(destination);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        diffs.add(new Difference(Kind.MISSING, e.getKey().value(), "in " + image));
        continue;
      }
      Digest actual = sha256(p);
      if (!actual.equals(e.getValue())) {
        diffs.add(
            new Difference(
                Kind.CHANGED,
                e.getKey().value(),
                "content differs from the image's " + e.getValue().shortHex()));
      }
    }
    return diffs;
  }

  private static Digest sha256(Path p) {
    MessageDigest md = Digest.sha256();
    byte[] buffer = new byte[1024 * 1024];
    try (InputStream in = Files.newInputStream(p)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        md.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw StorageException.disk("Cannot read " + p + ": " + e.getMessage(), e);
    }
    return Digest.of(md);
  }

  private static List<RelativePath> walk(Path root) {
    List<RelativePath> out = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
              return !dir.equals(root) && hidden(dir)
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
              if (a.isRegularFile() && !hidden(file)) {
                out.add(new RelativePath(root.relativize(file).toString().replace('\\', '/')));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw StorageException.disk("Cannot list " + root + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static boolean hidden(Path p) {
    return p.getFileName().toString().startsWith(RelativePath.RESERVED_PREFIX);
  }

  private static @org.jspecify.annotations.Nullable BasicFileAttributes lstat(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
