package io.stowage.storage.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One transport connection to an origin (possibly through a proxy). Bytes read ahead while parsing
 * a response head are kept and handed out first when the body is read; body bytes on plain
 * connections then go straight from the socket into the caller's buffer.
 *
 * <p>Not thread-safe, except {@link #abortStalled} and {@link #abort}, which the watchdog and other
 * threads may call at any time to unblock a reader.
 */
abstract sealed class Connection permits PlainConnection, TlsConnection {
  private static final int HEAD_BUFFER = 16 * 1024;

  /** Largest slice of a request body handed to the transport at once. */
  private static final int WRITE_SLICE = 256 * 1024;

  final Origin origin;
  final boolean viaProxy;
  private final byte[] inbuf = new byte[HEAD_BUFFER];
  private int inStart;
  private int inEnd;
  private volatile long lastActivityNanos = System.nanoTime();
  private volatile boolean stalled;
  private volatile boolean aborted;
  private long idleSinceNanos;
  private final Duration readTimeout;

  Connection(Origin origin, boolean viaProxy, Duration readTimeout) {
    this.origin = origin;
    this.viaProxy = viaProxy;
    this.readTimeout = readTimeout;
  }

  /** Reads from the transport; -1 at end of stream. */
  abstract int readTransport(ByteBuffer dst) throws IOException;

  abstract void writeTransport(ByteBuffer src) throws IOException;

  abstract void closeTransport();

  abstract boolean isOpen();

  final void touch() {
    lastActivityNanos = System.nanoTime();
  }

  final long lastActivityNanos() {
    return lastActivityNanos;
  }

  final void markIdle() {
    idleSinceNanos = System.nanoTime();
  }

  final long idleSinceNanos() {
    return idleSinceNanos;
  }

  /** Called by the watchdog: closes the transport so that a blocked read fails with a stall. */
  final void abortStalled() {
    stalled = true;
    closeTransport();
  }

  /** Closes the transport from any thread; a blocked reader fails. */
  final void abort() {
    aborted = true;
    closeTransport();
  }

  final void close() {
    closeTransport();
  }

  /** Rethrows a transport failure as a stall or an abort when that is what caused it. */
  final IOException translate(IOException e) {
    if (stalled) {
      StallException stall = new StallException(origin, readTimeout);
      stall.initCause(e);
      return stall;
    }
    if (aborted) {
      return new AbortedException("transfer to " + origin + " aborted", e);
    }
    return e;
  }

  final void write(byte[] bytes) throws IOException {
    write(bytes, bytes.length);
  }

  /**
   * Writes the first {@code length} bytes, in slices: a channel copies a heap buffer into a
   * temporary direct buffer as large as what is left to write, and keeps that buffer per thread, so
   * an 8 MiB upload chunk written at once would pin 8 MiB of native memory in every uploading
   * thread.
   */
  final void write(byte[] bytes, int length) throws IOException {
    ByteBuffer src = ByteBuffer.wrap(bytes, 0, length);
    try {
      while (src.position() < length) {
        src.limit(Math.min(length, src.position() + WRITE_SLICE));
        while (src.hasRemaining()) {
          writeTransport(src);
          touch();
        }
      }
    } catch (IOException e) {
      throw translate(e);
    }
  }

  /** Sends {@code length} bytes of {@code file} from {@code position}. */
  final void writeFrom(FileChannel file, long position, long length) throws IOException {
    try {
      writeFileTransport(file, position, length);
    } catch (IOException e) {
      throw translate(e);
    }
  }

  /** Sends a file region; implementations touch the activity clock as bytes go out. */
  abstract void writeFileTransport(FileChannel file, long position, long length) throws IOException;

  /** Reads body bytes: buffered read-ahead first, then the transport. -1 at end of stream. */
  final int read(ByteBuffer dst) throws IOException {
    if (inStart < inEnd) {
      int n = Math.min(dst.remaining(), inEnd - inStart);
      dst.put(inbuf, inStart, n);
      inStart += n;
      return n;
    }
    try {
      int n = readTransport(dst);
      if (n > 0) {
        touch();
      }
      return n;
    } catch (IOException e) {
      throw translate(e);
    }
  }

  /** Reads one byte from the buffered stream; -1 at end of stream. */
  final int readByte() throws IOException {
    if (inStart == inEnd && fill() < 0) {
      return -1;
    }
    return inbuf[inStart++] & 0xff;
  }

  /** Reads a CRLF-terminated line (without the terminator), at most {@code max} bytes. */
  final String readLine(int max) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      int b = readByte();
      if (b < 0) {
        if (sb.length() == 0) {
          throw new EOFException("connection closed by " + origin);
        }
        throw new EOFException("connection closed by " + origin + " in the middle of a line");
      }
      if (b == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
          sb.setLength(len - 1);
        }
        return sb.toString();
      }
      if (sb.length() >= max) {
        throw new IOException("response line from " + origin + " longer than " + max + " bytes");
      }
      sb.append((char) b);
    }
  }

  /** True when bytes that were read ahead are still waiting to be consumed. */
  final boolean hasBufferedBytes() {
    return inStart < inEnd;
  }

  private int fill() throws IOException {
    inStart = 0;
    inEnd = 0;
    try {
      int n = readTransport(ByteBuffer.wrap(inbuf));
      if (n > 0) {
        inEnd = n;
        touch();
      }
      return n;
    } catch (IOException e) {
      throw translate(e);
    }
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The transfer was aborted on purpose (cancellation), not by the network. */
  static final class AbortedException extends IOException {
    private static final long serialVersionUID = 1L;

    AbortedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
