package io.stowage.storage.net;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Percent-encoding as SigV4 defines it: every byte but the unreserved characters is encoded. */
public final class PercentEncoding {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private PercentEncoding() {}

  /** Encodes a path, keeping {@code /} separators. */
  public static String path(String s) {
    return encode(s, true);
  }

  /** Encodes a query name or value ({@code /} included). */
  public static String query(String s) {
    return encode(s, false);
  }

  private static String encode(String s, boolean keepSlash) {
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      boolean unreserved =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == '~';
      if (unreserved || (keepSlash && c == '/')) {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  /**
   * Decodes {@code encoding-type=url} values from S3 listings ({@code +} stays a plus).
   *
   * @throws IllegalArgumentException when a {@code %} is not followed by two hex digits
   */
  public static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    int i = 0;
    while (i < s.length()) {
      int escape = s.indexOf('%', i);
      int end = escape < 0 ? s.length() : escape;
      // Unescaped runs are encoded whole, so that surrogate pairs stay one character.
      out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
      if (escape < 0) {
        break;
      }
      int high = escape + 2 < s.length() ? Character.digit(s.charAt(escape + 1), 16) : -1;
      int low = high >= 0 ? Character.digit(s.charAt(escape + 2), 16) : -1;
      if (low < 0) {
        throw new IllegalArgumentException("malformed percent-encoding at index " + escape);
      }
      out.write(high << 4 | low);
      i = escape + 3;
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
