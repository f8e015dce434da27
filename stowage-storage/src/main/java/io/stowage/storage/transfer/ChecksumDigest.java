package io.stowage.storage.transfer;

import java.security.MessageDigest;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * A CRC as a {@link MessageDigest}, so that the engine hashes files with S3's CRC checksums the way
 * it hashes them with SHA-256. The digest is the CRC's value in big-endian bytes, as S3 encodes it
 * (base64 of those bytes) in {@code x-amz-checksum-crc32}, {@code -crc32c} and {@code -crc64nvme}.
 */
final class ChecksumDigest extends MessageDigest {
  private final Supplier<Checksum> factory;
  private final int bytes;
  private Checksum checksum;

  private ChecksumDigest(String name, Supplier<Checksum> factory, int bytes) {
    super(name);
    this.factory = factory;
    this.bytes = bytes;
    this.checksum = factory.get();
  }

  static ChecksumDigest crc32() {
    return new ChecksumDigest("CRC32", CRC32::new, 4);
  }

  static ChecksumDigest crc32c() {
    return new ChecksumDigest("CRC32C", CRC32C::new, 4);
  }

  static ChecksumDigest crc64nvme() {
    return new ChecksumDigest("CRC64NVME", Crc64Nvme::new, 8);
  }

  @Override
  protected void engineUpdate(byte input) {
    checksum.update(input);
  }

  @Override
  protected void engineUpdate(byte[] input, int offset, int len) {
    checksum.update(input, offset, len);
  }

  @Override
  protected byte[] engineDigest() {
    long value = checksum.getValue();
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      out[i] = (byte) (value >>> (8 * (bytes - 1 - i)));
    }
    engineReset();
    return out;
  }

  @Override
  protected void engineReset() {
    checksum = factory.get();
  }

  @Override
  protected int engineGetDigestLength() {
    return bytes;
  }

  /**
   * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, initial value and final XOR all ones),
   * the checksum S3 adds to objects uploaded without one. Not in the JDK; table-driven, a byte at a
   * time, which is fast enough next to the network.
   */
  static final class Crc64Nvme implements Checksum {
    private static final long POLY = 0x9a6c9329ac4bc9b5L;
    private static final long[] TABLE = table();
    private long crc = -1L;

    private static long[] table() {
      long[] t = new long[256];
      for (int n = 0; n < 256; n++) {
        long c = n;
        for (int k = 0; k < 8; k++) {
          c = (c & 1) != 0 ? (c >>> 1) ^ POLY : c >>> 1;
        }
        t[n] = c;
      }
      return t;
    }

    @Override
    public void update(int b) {
      crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] b, int off, int len) {
      long c = crc;
      for (int i = off; i < off + len; i++) {
        c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
      }
      crc = c;
    }

    @Override
    public long getValue() {
      return ~crc;
    }

    @Override
    public void reset() {
      crc = -1L;
    }
  }
}
