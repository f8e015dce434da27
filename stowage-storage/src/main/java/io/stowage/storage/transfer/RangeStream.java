package io.stowage.storage.transfer;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** The bytes of one range of a remote file, read on demand. */
public interface RangeStream extends Closeable {

  /** Reads into {@code dst}; -1 when the range is complete. */
  int read(ByteBuffer dst) throws IOException;

  /** Unblocks a reader from another thread (cancellation); the stream is then unusable. */
  void abort();

  /**
   * False when the source says this object's version tag is not the MD5 of its content (for S3:
   * objects encrypted with SSE-KMS or SSE-C), so an MD5 check would fail for good content.
   */
  default boolean md5Trustworthy() {
    return true;
  }

  @Override
  void close();
}
