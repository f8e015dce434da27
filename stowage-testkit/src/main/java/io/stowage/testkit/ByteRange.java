package io.stowage.testkit;

import java.util.Locale;

/**
 * How a server answers a {@code Range} header against a body of known size (RFC 9110 section 14):
 * one satisfiable range gives a 206, a range that starts at or beyond the end gives a 416, and
 * anything else (a malformed header, another unit, several ranges) is ignored, giving a 200 with
 * the whole body, as the RFC allows.
 */
record ByteRange(ByteRange.Kind kind, long first, long last) {

  enum Kind {
    WHOLE,
    PARTIAL,
    UNSATISFIABLE
  }

  private static final ByteRange WHOLE = new ByteRange(Kind.WHOLE, 0, -1);
  private static final ByteRange UNSATISFIABLE = new ByteRange(Kind.UNSATISFIABLE, 0, -1);

  /** Bytes a partial answer carries. */
  long length() {
    return last - first + 1;
  }

  static ByteRange whole() {
    return WHOLE;
  }

  static ByteRange parse(String header, long size) {
    String value = header.trim();
    if (!value.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
      return WHOLE;
    }
    String spec = value.substring("bytes=".length()).trim();
    int dash = spec.indexOf('-');
    if (spec.indexOf(',') >= 0 || dash < 0) {
      return WHOLE;
    }
    String from = spec.substring(0, dash).trim();
    String to = spec.substring(dash + 1).trim();
    if (from.isEmpty()) {
      long suffix = number(to);
      if (suffix < 0) {
        return WHOLE;
      }
      if (suffix == 0 || size == 0) {
        return UNSATISFIABLE;
      }
      return new ByteRange(Kind.PARTIAL, Math.max(0, size - suffix), size - 1);
    }
    long first = number(from);
    long last = to.isEmpty() ? Long.MAX_VALUE : number(to);
    if (first < 0 || last < 0 || last < first) {
      return WHOLE;
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    return new ByteRange(Kind.PARTIAL, first, Math.min(last, size - 1));
  }

  /** A non-negative decimal, or -1 when the text is not one (or does not fit a long). */
  private static long number(String digits) {
    if (digits.isEmpty() || digits.length() > 18) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(digits);
  }
}
