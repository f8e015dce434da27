package io.stowage.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The head of an HTTP/1.1 message: start line plus header fields, in their original order and
 * spelling, which is what a proxy must pass on.
 */
record HttpHead(String startLine, List<HttpHead.Field> fields) {

  /** Generous for tests; a longer head means a broken or hostile client. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  record Field(String name, String value) {}

  HttpHead {
    fields = List.copyOf(fields);
  }

  /**
   * Reads a head up to and including its empty line, accepting bare LF line ends as RFC 9112
   * allows. Returns null if the stream ends before the first byte (an idle connection closed).
   */
  static @Nullable HttpHead read(InputStream in) throws IOException {
    String startLine = readLine(in, MAX_HEAD_BYTES);
    if (startLine == null) {
      return null;
    }
    List<Field> fields = new ArrayList<>();
    int budget = MAX_HEAD_BYTES - startLine.length();
    while (true) {
      String line = readLine(in, budget);
      if (line == null) {
        throw new IOException("connection closed inside an HTTP head");
      }
      if (line.isEmpty()) {
        return new HttpHead(startLine, fields);
      }
      budget -= line.length();
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line: " + line);
      }
      fields.add(new Field(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
    }
  }

  /**
   * One line without its CR LF, decoded as ISO-8859-1 so that every byte survives a round trip.
   * Null at end of stream before any byte.
   */
  static @Nullable String readLine(InputStream in, int maxLength) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= maxLength) {
        throw new IOException("HTTP line longer than " + maxLength + " bytes");
      }
      line.write(b);
    }
    if (line.size() == 0) {
      return null;
    }
    throw new IOException("connection closed inside an HTTP line");
  }

  /** The first value of a field, matched case-insensitively as HTTP field names are. */
  @Nullable String value(String name) {
    for (Field field : fields) {
      if (field.name().equalsIgnoreCase(name)) {
        return field.value();
      }
    }
    return null;
  }

  /** Whether any value of the comma-separated field contains {@code token} (case-insensitive). */
  boolean hasToken(String name, String token) {
    return tokens(name).contains(token.toLowerCase(Locale.ROOT));
  }

  /** The lower-cased comma-separated tokens of all values of a field. */
  Set<String> tokens(String name) {
    return fields.stream()
        .filter(field -> field.name().equalsIgnoreCase(name))
        .flatMap(field -> List.of(field.value().split(",", -1)).stream())
        .map(token -> token.trim().toLowerCase(Locale.ROOT))
        .filter(token -> !token.isEmpty())
        .collect(Collectors.toSet());
  }

  HttpHead withStartLine(String line) {
    return new HttpHead(line, fields);
  }

  /** Without the named fields (case-insensitive). */
  HttpHead without(Set<String> lowerCaseNames) {
    return new HttpHead(
        startLine,
        fields.stream()
            .filter(field -> !lowerCaseNames.contains(field.name().toLowerCase(Locale.ROOT)))
            .toList());
  }

  /** With {@code name} set to exactly one value, replacing any it had, at the end of the head. */
  HttpHead with(String name, String value) {
    List<Field> replaced = new ArrayList<>(without(Set.of(name.toLowerCase(Locale.ROOT))).fields());
    replaced.add(new Field(name, value));
    return new HttpHead(startLine, replaced);
  }

  void writeTo(OutputStream out) throws IOException {
    StringBuilder head = new StringBuilder(startLine).append("\r\n");
    for (Field field : fields) {
      head.append(field.name()).append(": ").append(field.value()).append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }
}
