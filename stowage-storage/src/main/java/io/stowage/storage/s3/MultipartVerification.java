package io.stowage.storage.s3;

import io.stowage.storage.net.Headers;
import io.stowage.storage.transfer.Verification;
import io.stowage.storage.transfer.Verification.Algorithm;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a multipart object is verified against. Its ETag is no content MD5, so the object's HEAD is
 * read with {@code x-amz-checksum-mode: ENABLED}; in this order of preference:
 *
 * <ol>
 *   <li>a full-object checksum (SHA-256, SHA-1, CRC64NVME, CRC32C, CRC32), over the content;
 *   <li>a composite checksum ({@code <base64>-N}), when {@code stowage push} recorded the part size
 *       ({@code x-amz-meta-stowage-part-size}): the checksum of the parts' checksums;
 *   <li>the multipart ETag itself with that part size: MD5 of the parts' MD5s;
 *   <li>otherwise the size only, with the reason: composite values and multipart ETags of unknown
 *       part boundaries cannot be recomputed without guessing, and a wrong guess would fail good
 *       content.
 * </ol>
 */
final class MultipartVerification {
  static final String PART_SIZE_HEADER = "x-amz-meta-stowage-part-size";
  private static final Pattern MULTIPART_ETAG = Pattern.compile("([0-9a-f]{32})-([0-9]{1,5})");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9+/=]+)(?:-([0-9]{1,5}))?");
  private static final List<Algorithm> PREFERENCE =
      List.of(
          Algorithm.SHA256, Algorithm.SHA1, Algorithm.CRC64NVME, Algorithm.CRC32C, Algorithm.CRC32);

  private MultipartVerification() {}

  /** The part count of a multipart ETag, empty for any other ETag. */
  static Optional<Integer> parts(String etag) {
    Matcher m = MULTIPART_ETAG.matcher(S3Layout.unquote(etag).toLowerCase(Locale.ROOT));
    return m.matches() ? Optional.of(Integer.parseInt(m.group(2))) : Optional.empty();
  }

  /**
   * @param etag the listed multipart ETag
   * @param head the object's HEAD answer, requested with checksum mode enabled
   * @param verifyEtag false when STOWAGE_S3_VERIFY_ETAG says this store's ETags are no MD5s
   */
  static Verification choose(long size, String etag, Headers head, boolean verifyEtag) {
    Matcher m = MULTIPART_ETAG.matcher(S3Layout.unquote(etag).toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a multipart ETag: " + etag);
    }
    int parts = Integer.parseInt(m.group(2));
    boolean composite = head.first("x-amz-checksum-type").orElse("").equalsIgnoreCase("COMPOSITE");
    Optional<Long> partSize = partSize(head, size, parts);
    Optional<Checksum> compositeChecksum = Optional.empty();
    for (Algorithm a : PREFERENCE) {
      Optional<Checksum> c = checksum(head, a);
      if (c.isEmpty()) {
        continue;
      }
      if (c.get().parts().isEmpty() && !composite) {
        return new Verification.Digest(
            a, c.get().hex(), "the object's full-object x-amz-checksum-" + a.prefix());
      }
      if (compositeChecksum.isEmpty() && c.get().parts().orElse(parts) == parts) {
        compositeChecksum = c;
      }
    }
    if (partSize.isPresent() && compositeChecksum.isPresent()) {
      Checksum c = compositeChecksum.get();
      return new Verification.Digest(
          c.algorithm(),
          c.hex(),
          "the object's composite x-amz-checksum-" + c.algorithm().prefix(),
          "",
          partSize.get());
    }
    if (partSize.isPresent() && verifyEtag) {
      return new Verification.Digest(
          Algorithm.MD5,
          m.group(1),
          "the object's multipart ETag (parts of " + partSize.get() + " bytes, as pushed)",
          "if this store's ETags are not content MD5s, set STOWAGE_S3_VERIFY_ETAG=false",
          partSize.get());
    }
    String why =
        compositeChecksum
            .map(
                c ->
                    "its composite x-amz-checksum-"
                        + c.algorithm().prefix()
                        + " covers parts of unknown size")
            .orElse("the store gives no full-object checksum");
    return new Verification.SizeOnly("multipart ETag (" + parts + " parts) and " + why);
  }

  /** The part size {@code stowage push} recorded, when it splits {@code size} into the parts. */
  private static Optional<Long> partSize(Headers head, long size, int parts) {
    try {
      long p = Long.parseLong(head.first(PART_SIZE_HEADER).orElse("").strip());
      return p > 0 && (size + p - 1) / p == parts ? Optional.of(p) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private record Checksum(Algorithm algorithm, String hex, Optional<Integer> parts) {}

  private static Optional<Checksum> checksum(Headers head, Algorithm a) {
    Optional<String> value = head.first("x-amz-checksum-" + a.prefix()).map(String::strip);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Matcher m = VALUE.matcher(value.get());
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      String hex = HexFormat.of().formatHex(Base64.getDecoder().decode(m.group(1)));
      new Verification.Digest(a, hex, "check"); // validates the length
      Optional<Integer> parts =
          m.group(2) == null ? Optional.empty() : Optional.of(Integer.parseInt(m.group(2)));
      return Optional.of(new Checksum(a, hex, parts));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
