package io.stowage.storage.transfer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The record of what is in a destination: one hidden JSON Lines file beside the model (a file, not
 * a directory, because some runtimes treat every subdirectory of the model directory as a model).
 *
 * <p>It is a journal: a {@code file} line when a file is published, {@code part} lines while a file
 * is being fetched (so that a restart resumes mid-file), a {@code complete} line when a source was
 * fully materialized. After a successful run it is compacted to the {@code file} and {@code
 * complete} lines. A torn last line, left by a kill, is ignored, and cut off before a new session
 * appends; a line that does not parse ends the trust of its session, since it may have swallowed
 * the next session's header.
 *
 * <p>Durability without an fsync per part: every group of lines starts with a {@code session} line
 * naming the kernel's boot ID and whether the group was forced to disk. Lines appended during a run
 * are not forced; they are trusted by a later run only while the machine has not rebooted since (a
 * killed process leaves the page cache intact; a node crash would not). A compaction after a
 * successful run is written after every file was forced, and is trusted across reboots.
 */
final class Manifest implements Closeable {
  static final String FILE_NAME = ".stowage-manifest.jsonl";
  static final String TEMP_NAME = FILE_NAME + ".tmp";
  private static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * A file that was verified and published. {@code digest} is the content digest it was verified
   * against ({@code sha256:<hex>}, {@code md5:<hex>}, {@code git-blob-sha1:<hex>}), or empty when
   * only its size could be checked; {@code stowage verify} recomputes it.
   */
  record FileEntry(
      String source,
      RelativePath path,
      long size,
      String version,
      long mtimeMillis,
      String digest) {
    FileEntry(String source, RelativePath path, long size, String version, long mtimeMillis) {
      this(source, path, size, version, mtimeMillis, "");
    }
  }

  /** Parts of a file in progress that are already on disk in its staging file. */
  record PartialEntry(
      String source, RelativePath path, long size, String version, List<ByteRange> done) {}

  /** A source that was fully materialized. */
  record Completion(String source, int files, long bytes, String at) {}

  /** A file extracted from an archive, as it was left. */
  record Member(RelativePath path, long size, long mtimeMillis) {}

  /** A source whose single archive was extracted here (the archive itself is gone). */
  record Extraction(
      String source, RelativePath archive, long size, String version, List<Member> members) {
    Extraction {
      members = List.copyOf(members);
    }
  }

  private final Path dir;
  private final Path file;
  private final Map<RelativePath, FileEntry> published = new TreeMap<>();
  private final Map<RelativePath, PartialEntry> partials = new HashMap<>();
  private final Map<String, Completion> completions = new LinkedHashMap<>();
  private final Map<String, Extraction> extractions = new LinkedHashMap<>();
  private @Nullable FileChannel journal;

  private final String bootId;

  private final boolean readOnly;

  private Manifest(Path dir, String bootId, boolean readOnly) throws IOException {
    this.dir = dir;
    this.file = dir.resolve(FILE_NAME);
    this.bootId = bootId;
    this.readOnly = readOnly;
    if (readOnly) {
      if (!OwnedFiles.isOurs(file)) {
        // Missing, or a link or FIFO someone planted: either way not a manifest Stowage wrote.
        throw new NoSuchFileException(file.toString());
      }
      read();
      return;
    }
    OwnedFiles.clear(dir.resolve(TEMP_NAME));
    long complete = read();
    FileChannel j = openJournal();
    this.journal = j;
    // A kill mid-append leaves a torn last line; cut it off, or the next line (this session's
    // header, which decides what is trusted) would merge with it and be lost.
    if (j.size() > complete) {
      j.truncate(complete);
    }
    append(sessionLine(false));
  }

  /**
   * The manifest of a destination as it is, for inspection: nothing is written, and appending
   * fails.
   *
   * @throws java.nio.file.NoSuchFileException when the directory has no manifest
   */
  static Manifest readOnly(Path dir) throws IOException {
    return new Manifest(dir, BootId.current(), true);
  }

  static Manifest open(Path dir) throws IOException {
    return new Manifest(dir, BootId.current(), false);
  }

  /** For tests: as if the machine had the given boot ID. */
  static Manifest open(Path dir, String bootId) throws IOException {
    return new Manifest(dir, bootId, false);
  }

  /** Published files, by path, as of the last run. */
  synchronized Map<RelativePath, FileEntry> published() {
    return Map.copyOf(published);
  }

  synchronized Optional<PartialEntry> partial(RelativePath path) {
    return Optional.ofNullable(partials.get(path));
  }

  synchronized Optional<Completion> completion(String source) {
    return Optional.ofNullable(completions.get(source));
  }

  /** Extractions, by source, as of the last run. */
  synchronized Map<String, Extraction> extractions() {
    return Map.copyOf(extractions);
  }

  /** Sources that were fully materialized, by source. */
  synchronized Map<String, Completion> completions() {
    return Map.copyOf(completions);
  }

  synchronized Optional<Extraction> extraction(String source) {
    return Optional.ofNullable(extractions.get(source));
  }

  /** Records an extraction; the archive it came from is no longer a published file. */
  synchronized void appendExtraction(Extraction e) throws IOException {
    extractions.put(e.source(), e);
    FileEntry archive = published.get(e.archive());
    if (archive != null && archive.source().equals(e.source())) {
      published.remove(e.archive());
    }
    append(extractionLines(e));
  }

  /** Records that these parts of in-progress files are on disk. */
  synchronized void appendParts(Collection<PartialEntry> parts) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (PartialEntry p : parts) {
      for (ByteRange r : p.done()) {
        lines.append(
            json(
                g -> {
                  g.writeStringField("type", "part");
                  common(g, p.source(), p.path(), p.size(), p.version());
                  g.writeNumberField("start", r.start());
                  g.writeNumberField("end", r.end());
                }));
      }
    }
    append(lines.toString());
  }

  synchronized void appendFile(FileEntry e) throws IOException {
    published.put(e.path(), e);
    partials.remove(e.path());
    append(fileLine(e));
  }

  synchronized void forget(RelativePath path) throws IOException {
    published.remove(path);
    partials.remove(path);
    append(
        json(
            g -> {
              g.writeStringField("type", "removed");
              g.writeStringField("path", path.value());
            }));
  }

  /**
   * Rewrites the journal as the published files plus completion records, with {@code completion}
   * added for its source; the new file replaces the old one atomically.
   */
  synchronized void compact(Completion completion, boolean fsync) throws IOException {
    checkWritable();
    completions.put(completion.source(), completion);
    StringBuilder sb = new StringBuilder(sessionLine(fsync));
    for (FileEntry e : published.values()) {
      sb.append(fileLine(e));
    }
    for (Extraction e : extractions.values()) {
      sb.append(extractionLines(e));
    }
    for (Completion c : completions.values()) {
      sb.append(
          json(
              g -> {
                g.writeStringField("type", "complete");
                g.writeStringField("source", c.source());
                g.writeNumberField("files", c.files());
                g.writeNumberField("bytes", c.bytes());
                g.writeStringField("at", c.at());
              }));
    }
    Path temp = dir.resolve(TEMP_NAME);
    try (FileChannel out = OwnedFiles.create(temp)) {
      writeFully(out, sb.toString());
      if (fsync) {
        out.force(true);
      }
    }
    closeJournal();
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    partials.clear();
    journal = openJournal();
    append(sessionLine(false));
  }

  private static String extractionLines(Extraction e) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append(
        json(
            g -> {
              g.writeStringField("type", "extraction");
              common(g, e.source(), e.archive(), e.size(), e.version());
            }));
    for (Member m : e.members()) {
      sb.append(
          json(
              g -> {
                g.writeStringField("type", "member");
                g.writeStringField("source", e.source());
                g.writeStringField("path", m.path().value());
                g.writeNumberField("size", m.size());
                g.writeNumberField("mtime", m.mtimeMillis());
              }));
    }
    return sb.toString();
  }

  private String sessionLine(boolean durable) throws IOException {
    return json(
        g -> {
          g.writeStringField("type", "session");
          g.writeStringField("boot", bootId);
          g.writeBooleanField("durable", durable);
        });
  }

  @Override
  public synchronized void close() throws IOException {
    closeJournal();
  }

  private void closeJournal() throws IOException {
    FileChannel j = journal;
    journal = null;
    if (j != null) {
      j.close();
    }
  }

  /** The journal to append to: ours if it exists, else a new one in place of whatever was there. */
  private FileChannel openJournal() throws IOException {
    Optional<FileChannel> existing = OwnedFiles.openExisting(file, StandardOpenOption.APPEND);
    return existing.isPresent()
        ? existing.get()
        : OwnedFiles.create(file, StandardOpenOption.APPEND);
  }

  private void checkWritable() {
    if (readOnly) {
      throw new IllegalStateException("manifest of " + dir + " opened read-only");
    }
  }

  private void append(String lines) throws IOException {
    checkWritable();
    FileChannel j = journal;
    if (j == null) {
      throw new IllegalStateException("manifest of " + dir + " is closed");
    }
    if (!lines.isEmpty()) {
      writeFully(j, lines);
    }
  }

  private static void writeFully(FileChannel ch, String s) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  private static String fileLine(FileEntry e) throws IOException {
    return json(
        g -> {
          g.writeStringField("type", "file");
          common(g, e.source(), e.path(), e.size(), e.version());
          g.writeNumberField("mtime", e.mtimeMillis());
          if (!e.digest().isEmpty()) {
            g.writeStringField("digest", e.digest());
          }
        });
  }

  private static void common(
      JsonGenerator g, String source, RelativePath path, long size, String version)
      throws IOException {
    g.writeStringField("source", source);
    g.writeStringField("path", path.value());
    g.writeNumberField("size", size);
    g.writeStringField("version", version);
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static String json(Fields fields) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(w)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
      fields.write(g);
      g.writeEndObject();
    }
    return w.append('\n').toString();
  }

  /**
   * Reads the journal's complete lines, those ending with a newline: a last line without one was
   * torn by a kill and is not read, whatever it looks like.
   *
   * @return the length in bytes of the complete lines
   */
  private long read() throws IOException {
    Optional<FileChannel> ch = OwnedFiles.openExisting(file, StandardOpenOption.READ);
    if (ch.isEmpty()) {
      return 0; // Nothing of ours to trust; a fresh journal replaces whatever holds the name.
    }
    byte[] bytes;
    try (FileChannel c = ch.get()) {
      bytes = Channels.newInputStream(c).readAllBytes();
    }
    boolean trusted = true;
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
      start = i + 1;
      Map<String, Object> fields = parse(line);
      if (fields == null) {
        // A damaged line may have swallowed a session header (older versions appended after a
        // torn line): which session the lines after it belong to is unknown until the next one.
        trusted = false;
        continue;
      }
      if ("session".equals(fields.get("type"))) {
        trusted = Boolean.TRUE.equals(fields.get("durable")) || bootId.equals(fields.get("boot"));
      } else if (trusted) {
        apply(fields);
      }
    }
    return start;
  }

  private void apply(Map<String, Object> f) {
    try {
      String type = (String) f.get("type");
      if (type == null) {
        return;
      }
      switch (type) {
        case "file" -> {
          FileEntry e =
              new FileEntry(
                  str(f, "source"),
                  new RelativePath(str(f, "path")),
                  num(f, "size"),
                  str(f, "version"),
                  num(f, "mtime"),
                  f.get("digest") instanceof String d ? d : "");
          published.put(e.path(), e);
          partials.remove(e.path());
        }
        case "part" -> {
          RelativePath path = new RelativePath(str(f, "path"));
          String source = str(f, "source");
          long size = num(f, "size");
          String version = str(f, "version");
          PartialEntry previous = partials.get(path);
          List<ByteRange> done = new ArrayList<>();
          if (previous != null
              && previous.source().equals(source)
              && previous.size() == size
              && previous.version().equals(version)) {
            done.addAll(previous.done());
          }
          ByteRange range = new ByteRange(num(f, "start"), num(f, "end"));
          if (range.end() <= size) {
            done.add(range);
          }
          partials.put(path, new PartialEntry(source, path, size, version, done));
        }
        case "removed" -> {
          RelativePath path = new RelativePath(str(f, "path"));
          published.remove(path);
          partials.remove(path);
        }
        case "extraction" -> {
          String source = str(f, "source");
          extractions.put(
              source,
              new Extraction(
                  source,
                  new RelativePath(str(f, "path")),
                  num(f, "size"),
                  str(f, "version"),
                  List.of()));
        }
        case "member" -> {
          Extraction e = extractions.get(str(f, "source"));
          if (e != null) {
            List<Member> members = new ArrayList<>(e.members());
            members.add(
                new Member(new RelativePath(str(f, "path")), num(f, "size"), num(f, "mtime")));
            extractions.put(
                e.source(),
                new Extraction(e.source(), e.archive(), e.size(), e.version(), members));
          }
        }
        case "complete" ->
            completions.put(
                str(f, "source"),
                new Completion(
                    str(f, "source"), (int) num(f, "files"), num(f, "bytes"), str(f, "at")));
        default -> {
          // Unknown record types from a newer version are skipped.
        }
      }
    } catch (RuntimeException e) {
      // A record we cannot interpret is treated as absent: at worst a file is fetched again.
    }
  }

  private static String str(Map<String, Object> f, String name) {
    Object v = f.get(name);
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("missing " + name);
  }

  private static long num(Map<String, Object> f, String name) {
    Object v = f.get(name);
    if (v instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException("missing " + name);
  }

  /** One flat JSON object of strings and integers, or null when the line is torn or foreign. */
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
