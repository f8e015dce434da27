package io.stowage.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * How the body after an HTTP head is delimited (RFC 9112 section 6), so that a proxy can copy
 * exactly one message and no more.
 */
sealed interface BodyFraming
    permits BodyFraming.Empty,
        BodyFraming.FixedLength,
        BodyFraming.Chunked,
        BodyFraming.UntilClose {

  record Empty() implements BodyFraming {}

  record FixedLength(long bytes) implements BodyFraming {}

  record Chunked() implements BodyFraming {}

  /** Only for responses: the body runs until the server closes the connection. */
  record UntilClose() implements BodyFraming {}

  static BodyFraming ofRequest(HttpHead request) throws IOException {
    BodyFraming declared = declared(request);
    return declared == null ? new Empty() : declared;
  }

  static BodyFraming ofResponse(HttpHead response, String requestMethod, int status)
      throws IOException {
    if (requestMethod.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1) {
      return new Empty();
    }
    BodyFraming declared = declared(response);
    return declared == null ? new UntilClose() : declared;
  }

  /** Copies one body, in its wire form (chunk framing included), from {@code in} to {@code out}. */
  static void copy(BodyFraming framing, InputStream in, OutputStream out) throws IOException {
    if (framing instanceof FixedLength fixed) {
      copyExactly(in, out, fixed.bytes());
    } else if (framing instanceof Chunked) {
      copyChunked(in, out);
    } else if (framing instanceof UntilClose) {
      in.transferTo(out);
    }
  }

  private static @Nullable BodyFraming declared(HttpHead head) throws IOException {
    if (head.value("Transfer-Encoding") != null) {
      if (!head.hasToken("Transfer-Encoding", "chunked")) {
        throw new IOException("unsupported Transfer-Encoding: " + head.value("Transfer-Encoding"));
      }
      return new Chunked();
    }
    String length = head.value("Content-Length");
    if (length == null) {
      return null;
    }
    try {
      long bytes = Long.parseLong(length.trim());
      if (bytes < 0) {
        throw new IOException("negative Content-Length: " + length);
      }
      return bytes == 0 ? new Empty() : new FixedLength(bytes);
    } catch (NumberFormatException e) {
      throw new IOException("malformed Content-Length: " + length, e);
    }
  }

  private static void copyChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String sizeLine = requireLine(in);
      writeLine(out, sizeLine);
      long size = chunkSize(sizeLine);
      if (size == 0) {
        // Trailer fields, then the empty line that ends the message.
        String trailer;
        do {
          trailer = requireLine(in);
          writeLine(out, trailer);
        } while (!trailer.isEmpty());
        return;
      }
      copyExactly(in, out, size);
      String end = requireLine(in);
      if (!end.isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
      writeLine(out, end);
    }
  }

  private static long chunkSize(String sizeLine) throws IOException {
    int extension = sizeLine.indexOf(';');
    String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
    try {
      return Long.parseLong(hex, 16);
    } catch (NumberFormatException e) {
      throw new IOException("malformed chunk size: " + sizeLine, e);
    }
  }

  private static void copyExactly(InputStream in, OutputStream out, long bytes) throws IOException {
    byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(1, bytes))];
    long remaining = bytes;
    while (remaining > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new IOException("body ended " + remaining + " bytes early");
      }
      out.write(buffer, 0, n);
      remaining -= n;
    }
  }

  private static String requireLine(InputStream in) throws IOException {
    String line = HttpHead.readLine(in, HttpHead.MAX_HEAD_BYTES);
    if (line == null) {
      throw new IOException("connection closed inside a chunked body");
    }
    return line;
  }

  private static void writeLine(OutputStream out, String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }
}
