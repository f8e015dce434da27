package io.stowage.storage.transfer;

import java.util.HexFormat;
import java.util.Locale;

/** What a file's bytes are checked against before the file is published. */
public sealed interface Verification {

  /** How a digest is computed over the file's bytes. */
  enum Algorithm {
    /** MD5 of the content, as single-part S3 ETags carry it. */
    MD5("MD5", "MD5", 32, "md5"),
    /** SHA-256 of the content (Hugging Face LFS oids, OCI digests, HTTP Repr-Digest). */
    SHA256("SHA-256", "SHA-256", 64, "sha256"),
    /** Git's blob id: SHA-1 over {@code "blob <size>\0"} and the content (Hugging Face oids). */
    GIT_BLOB_SHA1("SHA-1", "git blob SHA-1", 40, "git-blob-sha1"),
    /** SHA-1 of the content (S3 {@code x-amz-checksum-sha1}). */
    SHA1("SHA-1", "SHA-1", 40, "sha1"),
    /** S3 {@code x-amz-checksum-crc32}. */
    CRC32("CRC32", "CRC32", 8, "crc32"),
    /** S3 {@code x-amz-checksum-crc32c}. */
    CRC32C("CRC32C", "CRC32C", 8, "crc32c"),
    /** S3 {@code x-amz-checksum-crc64nvme}, the checksum S3 adds to objects by default. */
    CRC64NVME("CRC64NVME", "CRC64NVME", 16, "crc64nvme");

    private final String jcaName;
    private final String label;
    private final int hexLength;
    private final String prefix;

    Algorithm(String jcaName, String label, int hexLength, String prefix) {
      this.jcaName = jcaName;
      this.label = label;
      this.hexLength = hexLength;
      this.prefix = prefix;
    }

    /** The name in a {@code name:hex} digest string, as the manifest writes it. */
    public String prefix() {
      return prefix;
    }

    public String jcaName() {
      return jcaName;
    }

    public String label() {
      return label;
    }

    int hexLength() {
      return hexLength;
    }

    /**
     * A fresh digest of this algorithm over a file of {@code size} bytes (git blob ids hash the
     * size first); the one place digests are made, for downloads and for {@code verify}.
     */
    public java.security.MessageDigest newDigest(long size) {
      return switch (this) {
        case CRC32 -> ChecksumDigest.crc32();
        case CRC32C -> ChecksumDigest.crc32c();
        case CRC64NVME -> ChecksumDigest.crc64nvme();
        default -> jca(size);
      };
    }

    private java.security.MessageDigest jca(long size) {
      try {
        java.security.MessageDigest d = java.security.MessageDigest.getInstance(jcaName);
        if (this == GIT_BLOB_SHA1) {
          d.update(("blob " + size + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return d;
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(jcaName + " unavailable", e);
      }
    }
  }

  /**
   * The expected digest of the content.
   *
   * @param origin where the expected value comes from, for messages ("the S3 ETag")
   * @param hint what to do if the source's value cannot be trusted, or empty
   * @param partSize 0 for a digest of the content; otherwise the digest of the digests of each
   *     {@code partSize} bytes (S3 multipart ETags and composite checksums, see {@link
   *     PartDigests})
   */
  record Digest(Algorithm algorithm, String hex, String origin, String hint, long partSize)
      implements Verification {
    public Digest {
      hex = hex.toLowerCase(Locale.ROOT);
      if (hex.length() != algorithm.hexLength() || !hex.chars().allMatch(HexFormat::isHexDigit)) {
        throw new IllegalArgumentException("Not a " + algorithm.label() + " hex digest: " + hex);
      }
      if (partSize < 0) {
        throw new IllegalArgumentException("negative part size " + partSize);
      }
    }

    public Digest(Algorithm algorithm, String hex, String origin, String hint) {
      this(algorithm, hex, origin, hint, 0);
    }

    public Digest(Algorithm algorithm, String hex, String origin) {
      this(algorithm, hex, origin, "", 0);
    }

    /** Whether this is a digest of part digests rather than of the content itself. */
    public boolean ofParts() {
      return partSize > 0;
    }

    /** A fresh digest computing what this one expects, over a file of {@code size} bytes. */
    public java.security.MessageDigest newDigest(long size) {
      return ofParts() ? new PartDigests(algorithm, partSize) : algorithm.newDigest(size);
    }

    /** What is compared, for messages ("SHA-256", "MD5 of 8388608-byte parts"). */
    public String describe() {
      return ofParts()
          ? algorithm.label() + " of the " + partSize + "-byte parts' " + algorithm.label() + "s"
          : algorithm.label();
    }
  }

  /**
   * {@code name:hex}, the form the manifest records; empty for digests of parts, which {@code
   * verify} checks through the version tag instead.
   */
  static String label(Digest d) {
    return d.ofParts() ? "" : d.algorithm().prefix() + ":" + d.hex();
  }

  /** Parses {@code name:hex}; empty for anything else. */
  static java.util.Optional<Digest> parse(String label, String origin) {
    int colon = label.indexOf(':');
    if (colon < 0) {
      return java.util.Optional.empty();
    }
    for (Algorithm a : Algorithm.values()) {
      if (a.prefix().equals(label.substring(0, colon))) {
        try {
          return java.util.Optional.of(new Digest(a, label.substring(colon + 1), origin));
        } catch (IllegalArgumentException e) {
          return java.util.Optional.empty();
        }
      }
    }
    return java.util.Optional.empty();
  }

  /** Only the size can be checked (multipart ETags, stores whose ETags are not content hashes). */
  record SizeOnly(String reason) implements Verification {}
}
