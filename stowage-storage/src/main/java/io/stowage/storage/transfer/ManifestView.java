package io.stowage.storage.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A read-only view of a destination's manifest ({@code .stowage-manifest.jsonl}): what was
 * published and extracted there, by which source, as {@link Manifest} would trust it. Reading never
 * writes, so it works on read-only mounts ({@code stowage verify}, other modules deciding what is
 * in place).
 */
public final class ManifestView {
  private static final JsonFactory JSON = new JsonFactory();

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
    String boot = BootId.current();
    Map<RelativePath, RecordedFile> published = new TreeMap<>();
    Map<String, RecordedExtraction> extractions = new LinkedHashMap<>();
    Map<String, String> completions = new LinkedHashMap<>();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r =
        Files.newBufferedReader(destination.resolve(Manifest.FILE_NAME), StandardCharsets.UTF_8)) {
      for (String line; (line = r.readLine()) != null; ) {
        lines.add(line);
      }
    } catch (NoSuchFileException e) {
      return new ManifestView(false, published, extractions, completions);
    }
    boolean trusted = true;
    for (String line : lines) {
      Map<String, Object> f = parse(line);
      if (f == null) {
        continue;
      }
      Object type = f.get("type");
      if ("session".equals(type)) {
        trusted = Boolean.TRUE.equals(f.get("durable")) || boot.equals(f.get("boot"));
        continue;
      }
      if (!trusted || !(type instanceof String t)) {
        continue;
      }
      try {
        apply(t, f, published, extractions, completions);
      } catch (RuntimeException e) {
        // As the manifest itself: a record we cannot interpret is absent.
      }
    }
    return new ManifestView(true, published, extractions, completions);
  }

  private static void apply(
      String type,
      Map<String, Object> f,
      Map<RelativePath, RecordedFile> published,
      Map<String, RecordedExtraction> extractions,
      Map<String, String> completions) {
    switch (type) {
      case "file" -> {
        RecordedFile e =
            new RecordedFile(
                str(f, "source"),
                new RelativePath(str(f, "path")),
                num(f, "size"),
                num(f, "mtime"),
                str(f, "version"));
        published.put(e.path(), e);
      }
      case "removed" -> published.remove(new RelativePath(str(f, "path")));
      case "extraction" -> {
        String source = str(f, "source");
        extractions.put(
            source, new RecordedExtraction(source, str(f, "version"), num(f, "size"), List.of()));
        RelativePath archive = new RelativePath(str(f, "path"));
        RecordedFile was = published.get(archive);
        if (was != null && was.source().equals(source)) {
          published.remove(archive);
        }
      }
      case "member" -> {
        RecordedExtraction e = extractions.get(str(f, "source"));
        if (e != null) {
          List<RecordedFile> files = new ArrayList<>(e.files());
          files.add(
              new RecordedFile(
                  e.source(),
                  new RelativePath(str(f, "path")),
                  num(f, "size"),
                  num(f, "mtime"),
                  e.version()));
          extractions.put(
              e.source(), new RecordedExtraction(e.source(), e.version(), e.size(), files));
        }
      }
      case "complete" -> completions.put(str(f, "source"), str(f, "at"));
      default -> {
        // Parts of unfinished files and unknown records are not "in place".
      }
    }
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

  private static String str(Map<String, Object> f, String name) {
    if (f.get(name) instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("missing " + name);
  }

  private static long num(Map<String, Object> f, String name) {
    if (f.get(name) instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException("missing " + name);
  }

  private static @Nullable Map<String, Object> parse(String line) {
    Map<String, Object> out = new HashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (value == JsonToken.VALUE_STRING) {
          out.put(name, p.getText());
        } else if (value == JsonToken.VALUE_NUMBER_INT) {
          out.put(name, p.getLongValue());
        } else if (value == JsonToken.VALUE_TRUE || value == JsonToken.VALUE_FALSE) {
          out.put(name, value == JsonToken.VALUE_TRUE);
        } else {
          p.skipChildren();
        }
      }
      return t == JsonToken.END_OBJECT ? out : null;
    } catch (IOException e) {
      return null;
    }
  }
}
