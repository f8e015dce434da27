package io.stowage.storage.s3;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * S3's checksums computed the slow, obvious way, independently of the production digests: what a
 * store would put in {@code x-amz-checksum-*}.
 */
final class Checksums {
  private Checksums() {}

  static String base64(String algorithm, byte[] content) {
    return Base64.getEncoder().encodeToString(digest(algorithm, content));
  }

  /** The checksum of the parts' checksums, as S3 gives it for COMPOSITE objects. */
  static String compositeBase64(String algorithm, byte[] content, int partSize) {
    ByteArrayOutputStream parts = new ByteArrayOutputStream();
    for (int p = 0; p < content.length; p += partSize) {
      parts.writeBytes(
          digest(
              algorithm, Arrays.copyOfRange(content, p, Math.min(content.length, p + partSize))));
    }
    return base64(algorithm, parts.toByteArray());
  }

  static byte[] partsDigest(String jca, byte[] content, int partSize) {
    try {
      ByteArrayOutputStream parts = new ByteArrayOutputStream();
      for (int p = 0; p < content.length; p += partSize) {
        parts.writeBytes(
            MessageDigest.getInstance(jca)
                .digest(Arrays.copyOfRange(content, p, Math.min(content.length, p + partSize))));
      }
      return MessageDigest.getInstance(jca).digest(parts.toByteArray());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] digest(String algorithm, byte[] content) {
    try {
      return switch (algorithm) {
        case "sha256" -> MessageDigest.getInstance("SHA-256").digest(content);
        case "sha1" -> MessageDigest.getInstance("SHA-1").digest(content);
        case "crc32" -> bigEndian(update(new CRC32(), content), 4);
        case "crc32c" -> bigEndian(update(new CRC32C(), content), 4);
        case "crc64nvme" -> bigEndian(crc64nvme(content), 8);
        default -> throw new IllegalArgumentException(algorithm);
      };
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** CRC-64/NVME bit by bit, from its definition (reflected, init and xorout all ones). */
  static long crc64nvme(byte[] content) {
    long crc = -1L;
    for (byte b : content) {
      crc ^= b & 0xffL;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
      }
    }
    return ~crc;
  }

  private static long update(Checksum c, byte[] content) {
    c.update(content, 0, content.length);
    return c.getValue();
  }

  private static byte[] bigEndian(long value, int bytes) {
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      out[i] = (byte) (value >>> (8 * (bytes - 1 - i)));
    }
    return out;
  }
}
