package io.stowage.storage.net;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * The body of a request, sent with a {@code Content-Length}: bytes in memory, or a slice of a file
 * sent straight from the page cache (with {@code sendfile} on plain connections).
 */
public abstract sealed class RequestBody permits RequestBody.Bytes, RequestBody.FileSlice {

  public abstract long length();

  abstract void writeTo(Connection c) throws IOException;

  /** A copy of {@code bytes}. */
  public static RequestBody of(byte[] bytes) {
    return new Bytes(bytes.clone(), bytes.length);
  }

  /**
   * The first {@code length} bytes of {@code buffer}, not copied: for large bodies (upload chunks)
   * whose buffer the caller leaves unchanged until the request was sent, then reuses.
   */
  public static RequestBody sharing(byte[] buffer, int length) {
    if (length < 0 || length > buffer.length) {
      throw new IllegalArgumentException("length " + length + " outside the buffer");
    }
    return new Bytes(buffer, length);
  }

  public static RequestBody utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return new Bytes(b, b.length);
  }

  /**
   * {@code length} bytes of {@code file} from {@code position}; the caller keeps the channel open.
   */
  public static RequestBody slice(FileChannel file, long position, long length) {
    return new FileSlice(file, position, length);
  }

  static final class Bytes extends RequestBody {
    private final byte[] bytes;
    private final int length;

    Bytes(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    void writeTo(Connection c) throws IOException {
      if (length > 0) {
        c.write(bytes, length);
      }
    }
  }

  static final class FileSlice extends RequestBody {
    private final FileChannel file;
    private final long position;
    private final long length;

    FileSlice(FileChannel file, long position, long length) {
      if (position < 0 || length < 0) {
        throw new IllegalArgumentException("invalid file slice " + position + "+" + length);
      }
      this.file = file;
      this.position = position;
      this.length = length;
    }

    @Override
    public long length() {
      return length;
    }

    @Override
    void writeTo(Connection c) throws IOException {
      c.writeFrom(file, position, length);
    }
  }
}
