package io.stowage.storage.net;

import java.nio.charset.StandardCharsets;

/** The body of a request, sent with a {@code Content-Length}. */
public final class RequestBody {
  private final byte[] bytes;

  private RequestBody(byte[] bytes) {
    this.bytes = bytes.clone();
  }

  public static RequestBody of(byte[] bytes) {
    return new RequestBody(bytes);
  }

  public static RequestBody utf8(String s) {
    return new RequestBody(s.getBytes(StandardCharsets.UTF_8));
  }

  public long length() {
    return bytes.length;
  }

  byte[] bytes() {
    return bytes;
  }
}
