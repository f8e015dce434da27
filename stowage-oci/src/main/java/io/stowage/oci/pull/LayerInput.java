package io.stowage.oci.pull;

import java.io.IOException;

/** The uncompressed tar bytes of a layer, read in order. */
interface LayerInput {

  /** Reads up to {@code len} bytes; -1 at the end. */
  int read(byte[] b, int off, int len) throws IOException;

  /** Skips {@code n} bytes by reading them (they still count for the digest). */
  default void skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(n, 64 * 1024)];
    long left = n;
    while (left > 0) {
      int r = read(scratch, 0, (int) Math.min(scratch.length, left));
      if (r < 0) {
        throw new java.io.EOFException("layer ended inside a member");
      }
      left -= r;
    }
  }

  /** Reads exactly {@code len} bytes. */
  default void readFully(byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int r = read(b, off + done, len - done);
      if (r < 0) {
        throw new java.io.EOFException("layer ended inside a header");
      }
      done += r;
    }
  }
}
