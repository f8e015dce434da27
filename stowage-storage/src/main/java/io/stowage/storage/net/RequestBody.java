package io.stowage.storage.net;

import java.nio.charset.StandardCharsets;

/** The body of a request, sent with a {@code Content-Length}. */
public final class RequestBody {
  private final byte[] bytes;
  private final int length;

  private RequestBody(byte[] bytes, int length) {
    this.bytes = bytes;
    this.length = length;
  }

  /** A copy of {@code bytes}. */
  public static RequestBody of(byte[] bytes) {
    return new RequestBody(bytes.clone(), bytes.length);
  }

  /**
   * The first {@code length} bytes of {@code buffer}, not copied: for large bodies (upload chunks)
   * whose buffer the caller leaves unchanged until the request was sent, then reuses.
   */
  public static RequestBody sharing(byte[] buffer, int length) {
    if (length < 0 || length > buffer.length) {
      throw new IllegalArgumentException("length " + length + " outside the buffer");
    }
    return new RequestBody(buffer, length);
  }

  public static RequestBody utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return new RequestBody(b, b.length);
  }

  public long length() {
    return length;
  }

  byte[] bytes() {
    return bytes;
  }
}
