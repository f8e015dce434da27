package io.stowage.storage.s3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ETag S3 would give a local file: the MD5 of its content for a single PUT, or the MD5 of its
 * parts' MD5s with {@code -N} for a multipart upload of a given part size.
 */
public final class LocalEtag {
  private static final long MIB = 1024 * 1024;

  /**
   * Part sizes common clients use: aws cli and boto3 (8 MiB), rclone and minio (5 MiB, 16 MiB),
   * ours.
   */
  private static final List<Long> COMMON_PART_SIZES =
      List.of(8 * MIB, 5 * MIB, 16 * MIB, 64 * MIB, 32 * MIB, 10 * MIB, 100 * MIB);

  private LocalEtag() {}

  /** Hex MD5 of [position, position+length) of the file, read through {@code buffer}. */
  static byte[] md5(FileChannel ch, long position, long length, ByteBuffer buffer)
      throws IOException {
    MessageDigest md5 = newMd5();
    long pos = position;
    long end = position + length;
    while (pos < end) {
      buffer.clear();
      if (buffer.remaining() > end - pos) {
        buffer.limit((int) (end - pos));
      }
      int n = ch.read(buffer, pos);
      if (n < 0) {
        throw new IOException("file shorter than expected while hashing");
      }
      buffer.flip();
      md5.update(buffer);
      pos += n;
    }
    return md5.digest();
  }

  /** The multipart ETag of a file uploaded with {@code partSize}, without quotes. */
  static String multipart(Path file, long size, long partSize, ByteBuffer buffer)
      throws IOException {
    MessageDigest ofParts = newMd5();
    int parts = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (long pos = 0; pos < size; pos += partSize) {
        ofParts.update(md5(ch, pos, Math.min(partSize, size - pos), buffer));
        parts++;
      }
    }
    return HexFormat.of().formatHex(ofParts.digest()) + "-" + parts;
  }

  static String single(Path file, long size, ByteBuffer buffer) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return HexFormat.of().formatHex(md5(ch, 0, size, buffer));
    }
  }

  /**
   * Whether the local file has the content behind a remote ETag. A single-part ETag is compared
   * with the file's MD5; a multipart one by recomputing it for the part sizes that give its part
   * count, common client defaults first. Empty when the ETag says nothing about content (SSE-KMS).
   */
  static Optional<Boolean> matches(
      Path file, long size, String remoteEtag, long preferredPartSize, ByteBuffer buffer)
      throws IOException {
    String etag = S3Layout.unquote(remoteEtag).toLowerCase(Locale.ROOT);
    if (etag.matches("[0-9a-f]{32}")) {
      return Optional.of(single(file, size, buffer).equals(etag));
    }
    if (!etag.matches("[0-9a-f]{32}-[0-9]+")) {
      return Optional.empty();
    }
    int parts = Integer.parseInt(etag.substring(33));
    for (long p : candidates(size, parts, preferredPartSize)) {
      if (multipart(file, size, p, buffer).equals(etag)) {
        return Optional.of(true);
      }
    }
    return Optional.of(false);
  }

  /** Part sizes that split {@code size} into exactly {@code parts} parts. */
  static List<Long> candidates(long size, int parts, long preferred) {
    java.util.LinkedHashSet<Long> out = new java.util.LinkedHashSet<>();
    java.util.List<Long> tried = new java.util.ArrayList<>();
    tried.add(preferred);
    tried.addAll(COMMON_PART_SIZES);
    long perPart = (size + parts - 1) / parts;
    tried.add(((perPart + MIB - 1) / MIB) * MIB);
    for (long p : tried) {
      if (p > 0 && (size + p - 1) / p == parts) {
        out.add(p);
      }
    }
    return List.copyOf(out).subList(0, Math.min(3, out.size()));
  }

  /**
   * Whether a local file has the content an S3 ETag names, for {@code stowage verify}; empty when
   * the ETag is no content hash.
   */
  public static Optional<Boolean> matches(Path file, long size, String etag) throws IOException {
    return matches(file, size, etag, 64 * MIB, ByteBuffer.allocate(1024 * 1024));
  }

  private static MessageDigest newMd5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
