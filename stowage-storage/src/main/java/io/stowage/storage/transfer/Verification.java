package io.stowage.storage.transfer;

import java.util.HexFormat;
import java.util.Locale;

/** What a file's bytes are checked against before the file is published. */
public sealed interface Verification {

  /** The MD5 of the content, as single-part S3 ETags carry it. */
  record Md5(String hex) implements Verification {
    public Md5 {
      hex = hex.toLowerCase(Locale.ROOT);
      if (hex.length() != 32 || !hex.chars().allMatch(HexFormat::isHexDigit)) {
        throw new IllegalArgumentException("Not an MD5 hex digest: " + hex);
      }
    }
  }

  /** Only the size can be checked (multipart ETags, stores whose ETags are not content hashes). */
  record SizeOnly(String reason) implements Verification {}
}
