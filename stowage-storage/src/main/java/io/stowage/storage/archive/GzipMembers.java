package io.stowage.storage.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A gzip stream of one or more members, read as {@code gzip -d} reads it: member after member, each
 * verified against its CRC-32 and length, until the input ends or what follows a complete member is
 * not another member (zero padding from tape-style writers, for one), which is ignored.
 *
 * <p>commons-compress can concatenate members itself, but when data that is not a member follows it
 * fails the read that finished the last member, losing that read's data; hence this loop.
 */
final class GzipMembers extends InputStream {
  private static final int MAGIC_1 = 0x1f;
  private static final int MAGIC_2 = 0x8b;

  /** Supports mark/reset, so that each member stops exactly at its own end. */
  private final BufferedInputStream raw;

  private GzipCompressorInputStream member;
  private boolean ended;

  GzipMembers(BufferedInputStream raw) throws IOException {
    this.raw = raw;
    this.member = open(raw);
  }

  private static GzipCompressorInputStream open(InputStream raw) throws IOException {
    return GzipCompressorInputStream.builder()
        .setInputStream(raw)
        .setDecompressConcatenated(false)
        .get();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!ended) {
      int n = member.read(b, off, len);
      if (n >= 0) {
        return n;
      }
      raw.mark(2);
      int first = raw.read();
      int second = raw.read();
      raw.reset();
      if (first == MAGIC_1 && second == MAGIC_2) {
        member = open(raw);
      } else {
        ended = true;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    member.close();
  }
}
