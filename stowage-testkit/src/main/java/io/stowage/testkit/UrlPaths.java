package io.stowage.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Percent-encoding of URL paths, done by hand: {@link java.net.URLDecoder} and {@link
 * java.net.URLEncoder} are for HTML forms and get {@code +} and spaces wrong in paths.
 */
final class UrlPaths {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private UrlPaths() {}

  /** Encodes every byte except unreserved characters and {@code /}. */
  static String encodePath(String path) {
    return encode(path, true);
  }

  /** Encodes every byte except unreserved characters, {@code /} included. */
  static String encodeSegment(String segment) {
    return encode(segment, false);
  }

  /**
   * Decodes {@code %XX} escapes as UTF-8; {@code +} stays a plus.
   *
   * @throws IllegalArgumentException on a truncated or non-hex escape
   */
  static String decode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '%') {
        byte[] plain = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        bytes.write(plain, 0, plain.length);
        continue;
      }
      if (i + 2 >= raw.length()) {
        throw new IllegalArgumentException("truncated percent-escape in " + raw);
      }
      int high = Character.digit(raw.charAt(i + 1), 16);
      int low = Character.digit(raw.charAt(i + 2), 16);
      if (high < 0 || low < 0) {
        throw new IllegalArgumentException("bad percent-escape in " + raw);
      }
      bytes.write((high << 4) | low);
      i += 2;
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * The raw segments of an absolute path, without the leading empty one: "/a/b/" gives a, b, "".
   */
  static List<String> rawSegments(String rawPath) {
    String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/", -1)) {
      segments.add(segment);
    }
    return segments;
  }

  /**
   * Decodes each raw segment and joins them with {@code /}, so that {@code %2F} and {@code /}
   * agree.
   */
  static String decodeJoined(List<String> rawSegments) {
    List<String> decoded = new ArrayList<>(rawSegments.size());
    for (String segment : rawSegments) {
      decoded.add(decode(segment));
    }
    return String.join("/", decoded);
  }

  private static String encode(String text, boolean keepSlash) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (isUnreserved(c) || (keepSlash && c == '/')) {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >>> 4]).append(HEX[c & 0x0F]);
      }
    }
    return out.toString();
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
