package io.stowage.storage.net;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A response whose body is read on demand. Closing it returns the connection to the pool when the
 * body was read to the end and the server allows reuse; otherwise the connection is closed.
 */
public final class HttpResponse implements Closeable {
  private static final long DRAIN_LIMIT = 64 * 1024;

  private final int status;
  private final String reason;
  private final Headers headers;
  private final @Nullable Long contentLength;
  private final BodyReader body;
  private final boolean keepAlive;
  private final HttpClient client;
  private @Nullable Connection connection;

  HttpResponse(
      int status,
      String reason,
      Headers headers,
      @Nullable Long contentLength,
      BodyReader body,
      boolean keepAlive,
      HttpClient client,
      Connection connection) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.contentLength = contentLength;
    this.body = body;
    this.keepAlive = keepAlive;
    this.client = client;
    this.connection = connection;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public Headers headers() {
    return headers;
  }

  /** The checked Content-Length; empty when absent or when the body is chunked. */
  public Optional<Long> contentLength() {
    return Optional.ofNullable(contentLength);
  }

  /** Reads body bytes into {@code dst}; returns -1 at the end of the body. */
  public int read(ByteBuffer dst) throws IOException {
    Connection c = connection;
    if (c == null) {
      return -1;
    }
    try {
      return body.read(c, dst);
    } catch (IOException e) {
      abortInternal();
      throw e;
    }
  }

  /**
   * Reads the whole body, which must not exceed {@code max} bytes (for XML and error documents).
   *
   * @throws IOException when the body is longer than {@code max}
   */
  public byte[] readAll(int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    while (true) {
      buf.clear();
      int n = read(buf);
      if (n < 0) {
        return out.toByteArray();
      }
      out.write(buf.array(), 0, n);
      if (out.size() > max) {
        abortInternal();
        throw new IOException("response body from " + client + " larger than " + max + " bytes");
      }
    }
  }

  /** Closes the connection from any thread; a concurrent {@link #read} fails. */
  public void abort() {
    Connection c = connection;
    if (c != null) {
      c.abort();
    }
  }

  @Override
  public void close() {
    Connection c = connection;
    if (c == null) {
      return;
    }
    if (!body.isComplete()) {
      long remaining = body.remainingIfKnown();
      if (remaining >= 0 && remaining <= DRAIN_LIMIT) {
        try {
          ByteBuffer sink = ByteBuffer.allocate(8192);
          while (body.read(c, sink) >= 0) {
            sink.clear();
          }
        } catch (IOException e) {
          abortInternal();
          return;
        }
      }
    }
    connection = null;
    boolean reusable =
        body.isComplete() && body.allowsReuse() && keepAlive && !c.hasBufferedBytes();
    client.release(c, reusable);
  }

  private void abortInternal() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      client.release(c, false);
    }
  }
}
