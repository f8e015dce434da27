package io.stowage.storage.net;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** How a response body is framed on the wire: by length, in chunks, until close, or not at all. */
abstract sealed class BodyReader {

  /** Reads body bytes into {@code dst}; -1 once the body is complete. */
  abstract int read(Connection c, ByteBuffer dst) throws IOException;

  abstract boolean isComplete();

  /** Whether the connection can carry another exchange once this body is complete. */
  abstract boolean allowsReuse();

  /** Bytes still expected, when known. */
  abstract long remainingIfKnown();

  static final class Empty extends BodyReader {
    @Override
    int read(Connection c, ByteBuffer dst) {
      return -1;
    }

    @Override
    boolean isComplete() {
      return true;
    }

    @Override
    boolean allowsReuse() {
      return true;
    }

    @Override
    long remainingIfKnown() {
      return 0;
    }
  }

  static final class FixedLength extends BodyReader {
    private long remaining;

    FixedLength(long length) {
      this.remaining = length;
    }

    @Override
    int read(Connection c, ByteBuffer dst) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      if (!dst.hasRemaining()) {
        return 0;
      }
      int limit = dst.limit();
      if (dst.remaining() > remaining) {
        dst.limit(dst.position() + (int) remaining);
      }
      try {
        int n = c.read(dst);
        if (n < 0) {
          throw new EOFException(
              "connection to " + c.origin + " closed with " + remaining + " body bytes missing");
        }
        remaining -= n;
        return n;
      } finally {
        dst.limit(limit);
      }
    }

    @Override
    boolean isComplete() {
      return remaining == 0;
    }

    @Override
    boolean allowsReuse() {
      return true;
    }

    @Override
    long remainingIfKnown() {
      return remaining;
    }
  }

  static final class Chunked extends BodyReader {
    private long chunkRemaining;
    private boolean done;

    @Override
    int read(Connection c, ByteBuffer dst) throws IOException {
      if (done) {
        return -1;
      }
      if (chunkRemaining == 0) {
        String sizeLine = c.readLine(1024);
        int semicolon = sizeLine.indexOf(';');
        String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
        try {
          chunkRemaining = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new IOException("malformed chunk size '" + hex + "' from " + c.origin);
        }
        if (chunkRemaining < 0) {
          throw new IOException("negative chunk size from " + c.origin);
        }
        if (chunkRemaining == 0) {
          // Trailer fields until the empty line.
          while (!c.readLine(8192).isEmpty()) {
            // Trailers are not used.
          }
          done = true;
          return -1;
        }
      }
      if (!dst.hasRemaining()) {
        return 0;
      }
      int limit = dst.limit();
      if (dst.remaining() > chunkRemaining) {
        dst.limit(dst.position() + (int) chunkRemaining);
      }
      try {
        int n = c.read(dst);
        if (n < 0) {
          throw new EOFException("connection to " + c.origin + " closed inside a chunk");
        }
        chunkRemaining -= n;
        if (chunkRemaining == 0 && !c.readLine(2).isEmpty()) {
          throw new IOException("missing CRLF after a chunk from " + c.origin);
        }
        return n;
      } finally {
        dst.limit(limit);
      }
    }

    @Override
    boolean isComplete() {
      return done;
    }

    @Override
    boolean allowsReuse() {
      return true;
    }

    @Override
    long remainingIfKnown() {
      return -1;
    }
  }

  static final class UntilClose extends BodyReader {
    private boolean done;

    @Override
    int read(Connection c, ByteBuffer dst) throws IOException {
      if (done) {
        return -1;
      }
      int n = c.read(dst);
      if (n < 0) {
        done = true;
      }
      return n;
    }

    @Override
    boolean isComplete() {
      return done;
    }

    @Override
    boolean allowsReuse() {
      return false;
    }

    @Override
    long remainingIfKnown() {
      return -1;
    }
  }
}
