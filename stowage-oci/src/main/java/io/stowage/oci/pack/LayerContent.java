package io.stowage.oci.pack;

import io.stowage.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The uncompressed tar of a layer, described rather than stored: header bytes, file contents read
 * from the model directory, padding. It is read as a stream as often as needed (hashing, then
 * uploading), so a layer never exists as a copy on disk.
 */
public final class LayerContent {
  private sealed interface Segment permits Bytes, FileData {
    long length();
  }

  /** Header or padding bytes, held in memory. */
  private static final class Bytes implements Segment {
    private final byte[] data;

    Bytes(byte[] data) {
      this.data = data;
    }

    byte[] data() {
      return data;
    }

    @Override
    public long length() {
      return data.length;
    }
  }

  private record FileData(Path file, long length) implements Segment {}

  private final List<Segment> segments;
  private final List<TarEntry> entries;
  private final long length;

  private LayerContent(List<Segment> segments, List<TarEntry> entries) {
    this.segments = List.copyOf(segments);
    this.entries = List.copyOf(entries);
    this.length = segments.stream().mapToLong(Segment::length).sum();
  }

  /** The tar of {@code entries}, in this order, closed with the end-of-archive blocks. */
  public static LayerContent of(List<TarEntry> entries) {
    List<Segment> segments = new ArrayList<>();
    for (TarEntry e : entries) {
      segments.add(new Bytes(TarHeaders.of(e)));
      Path source = e.source();
      if (e.kind() == TarEntry.Kind.FILE && e.size() > 0 && source != null) {
        segments.add(new FileData(source, e.size()));
        int pad = TarHeaders.padding(e.size());
        if (pad > 0) {
          segments.add(new Bytes(new byte[pad]));
        }
      }
    }
    segments.add(new Bytes(TarHeaders.end()));
    return new LayerContent(segments, entries);
  }

  public long length() {
    return length;
  }

  public List<TarEntry> entries() {
    return entries;
  }

  /** Bytes of model files in this layer. */
  public long fileBytes() {
    return entries.stream()
        .filter(e -> e.kind() == TarEntry.Kind.FILE)
        .mapToLong(TarEntry::size)
        .sum();
  }

  /** A fresh stream over the whole tar. */
  public InputStream open() {
    return new Stream();
  }

  /** Reads the segments one after the other; a file that changed size fails the read. */
  private final class Stream extends InputStream {
    private int index;
    private long offsetInSegment;
    private @Nullable FileChannel channel;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0; // InputStream's contract; readAllBytes asks for 0 bytes when its buffer is full
      }
      while (index < segments.size()) {
        Segment s = segments.get(index);
        long left = s.length() - offsetInSegment;
        if (left <= 0) {
          next();
          continue;
        }
        int n = (int) Math.min(len, left);
        if (s instanceof Bytes bytes) {
          System.arraycopy(bytes.data(), (int) offsetInSegment, b, off, n);
        } else if (s instanceof FileData f) {
          n = readFile(f, b, off, n);
        }
        offsetInSegment += n;
        return n;
      }
      return -1;
    }

    private int readFile(FileData f, byte[] b, int off, int n) throws IOException {
      FileChannel ch = channel;
      if (ch == null) {
        ch = FileChannel.open(f.file(), StandardOpenOption.READ);
        channel = ch;
      }
      int r = ch.read(ByteBuffer.wrap(b, off, n), offsetInSegment);
      if (r <= 0) {
        throw StorageException.integrity(
            f.file() + " became shorter while it was packed (" + f.length() + " bytes expected)");
      }
      return r;
    }

    private void next() throws IOException {
      Segment s = segments.get(index);
      FileChannel ch = channel;
      if (ch != null) {
        if (s instanceof FileData f && ch.size() != f.length()) {
          throw StorageException.integrity(
              f.file() + " changed size while it was packed (" + f.length() + " bytes expected)");
        }
        ch.close();
        channel = null;
      }
      index++;
      offsetInSegment = 0;
    }

    @Override
    public void close() throws IOException {
      FileChannel ch = channel;
      if (ch != null) {
        ch.close();
        channel = null;
      }
    }
  }
}
