package io.stowage.storage.transfer;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A read-only view of a destination's manifest ({@code .stowage-manifest.jsonl}): what was
 * published and extracted there, by which source, as {@link Manifest} would trust it. Reading never
 * writes, so it works on read-only mounts ({@code stowage verify}, other modules deciding what is
 * in place).
 */
public final class ManifestView {

  /** A file the manifest says is in place: published by a transfer or produced by extraction. */
  public record RecordedFile(
      String source, RelativePath path, long size, long mtimeMillis, String version) {}

  /** A source whose archive (or image) was extracted: its version and the files it produced. */
  public record RecordedExtraction(
      String source, String version, long size, List<RecordedFile> files) {
    public RecordedExtraction {
      files = List.copyOf(files);
    }
  }

  private final boolean exists;
  private final Map<RelativePath, RecordedFile> published;
  private final Map<String, RecordedExtraction> extractions;
  private final Map<String, String> completions;

  private ManifestView(
      boolean exists,
      Map<RelativePath, RecordedFile> published,
      Map<String, RecordedExtraction> extractions,
      Map<String, String> completions) {
    this.exists = exists;
    this.published = published;
    this.extractions = extractions;
    this.completions = completions;
  }

  /** The manifest's file name, for tools that must skip it. */
  public static String fileName() {
    return Manifest.FILE_NAME;
  }

  /**
   * Reads the manifest of {@code destination}; a missing one reads as empty.
   *
   * @throws IOException when it exists but cannot be read
   */
  public static ManifestView read(Path destination) throws IOException {
    Map<RelativePath, RecordedFile> published = new TreeMap<>();
    Map<String, RecordedExtraction> extractions = new LinkedHashMap<>();
    Map<String, String> completions = new LinkedHashMap<>();
    Manifest manifest;
    try {
      manifest = Manifest.readOnly(destination);
    } catch (NoSuchFileException e) {
      return new ManifestView(false, published, extractions, completions);
    }
    // One reader of the format: the manifest's own, which the transfer engine trusts.
    try (manifest) {
      manifest
          .published()
          .values()
          .forEach(
              f ->
                  published.put(
                      f.path(),
                      new RecordedFile(
                          f.source(), f.path(), f.size(), f.mtimeMillis(), f.version())));
      for (Manifest.Extraction x : manifest.extractions().values()) {
        List<RecordedFile> files = new ArrayList<>();
        for (Manifest.Member m : x.members()) {
          files.add(new RecordedFile(x.source(), m.path(), m.size(), m.mtimeMillis(), x.version()));
        }
        extractions.put(
            x.source(), new RecordedExtraction(x.source(), x.version(), x.size(), files));
      }
      manifest.completions().values().forEach(c -> completions.put(c.source(), c.at()));
    }
    return new ManifestView(true, published, extractions, completions);
  }

  /** True when the destination has a manifest at all. */
  public boolean exists() {
    return exists;
  }

  /** Files published by transfers, by path. */
  public Map<RelativePath, RecordedFile> published() {
    return Map.copyOf(published);
  }

  /** Extractions by source. */
  public Map<String, RecordedExtraction> extractions() {
    return Map.copyOf(extractions);
  }

  public Optional<RecordedExtraction> extraction(String source) {
    return Optional.ofNullable(extractions.get(source));
  }

  /** Sources recorded as fully materialized, with when. */
  public Map<String, String> completions() {
    return Map.copyOf(completions);
  }
}
