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
    GIT_BLOB_SHA1("SHA-1", "git blob SHA-1", 40, "git-blob-sha1");

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
  }

  /**
   * The expected digest of the content.
   *
   * @param origin where the expected value comes from, for messages ("the S3 ETag")
   * @param hint what to do if the source's value cannot be trusted, or empty
   */
  record Digest(Algorithm algorithm, String hex, String origin, String hint)
      implements Verification {
    public Digest {
      hex = hex.toLowerCase(Locale.ROOT);
      if (hex.length() != algorithm.hexLength() || !hex.chars().allMatch(HexFormat::isHexDigit)) {
        throw new IllegalArgumentException("Not a " + algorithm.label() + " hex digest: " + hex);
      }
    }

    public Digest(Algorithm algorithm, String hex, String origin) {
      this(algorithm, hex, origin, "");
    }
  }

  /** {@code name:hex}, the form the manifest records. */
  static String label(Digest d) {
    return d.algorithm().prefix() + ":" + d.hex();
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
