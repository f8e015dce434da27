package io.stowage.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A content digest as OCI spells it, {@code sha256:<64 hex>}. Only SHA-256 is accepted: it is what
 * every registry uses, and a digest we cannot compute is a digest we cannot verify.
 */
public record Digest(String hex) {
  public static final String PREFIX = "sha256:";

  public Digest {
    if (hex.length() != 64
        || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException("not a lower-case SHA-256 hex digest: " + hex);
    }
  }

  /**
   * Parses {@code sha256:<hex>}.
   *
   * @throws IllegalArgumentException for other algorithms or malformed values
   */
  public static Digest parse(String s) {
    if (!s.startsWith(PREFIX)) {
      int colon = s.indexOf(':');
      throw new IllegalArgumentException(
          colon > 0
              ? "unsupported digest algorithm '" + s.substring(0, colon) + "' (only sha256)"
              : "not a digest: " + s);
    }
    return new Digest(s.substring(PREFIX.length()));
  }

  public static Digest of(byte[] bytes) {
    MessageDigest md = sha256();
    return new Digest(HexFormat.of().formatHex(md.digest(bytes)));
  }

  public static Digest of(MessageDigest finished) {
    return new Digest(HexFormat.of().formatHex(finished.digest()));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  /** A short form for names and messages: the first 12 hex digits. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return PREFIX + hex.toLowerCase(Locale.ROOT);
  }
}
