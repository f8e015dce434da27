package io.stowage.storage.http;

import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.transfer.ObjectChangedException;
import io.stowage.storage.transfer.RemoteFile;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checks the answer to a GET of {@code [start, end)} of a listed file before its bytes are used:
 * every HTTP-based source (web servers, S3, the Hub) goes through here. Conditional headers ({@code
 * If-Range}, {@code If-Match}) ask the server to refuse a changed object, but some servers and
 * caches ignore them; so each answer's own validator and Content-Range total are compared with what
 * was listed, and a mismatch is an {@link ObjectChangedException} instead of bytes of another
 * version in the file.
 *
 * @param what the object, safe to print, for messages
 * @param validator what the source listed as the version reads from a response (a strong ETag, else
 *     Last-Modified); empty when the listed version is not a response header (the content-addressed
 *     Hub files), then only sizes are compared
 */
public record RangeAnswer(String what, Optional<Function<HttpResponse, String>> validator) {

  /**
   * Whether {@code r} may be read as {@code [start, end)} of {@code file}: a 206 with exactly that
   * range, or a 200 with the whole body when the whole file was asked for.
   *
   * @return false when the status is neither (the caller turns it into its status failure)
   * @throws ObjectChangedException when the answer is for another version of the object
   * @throws IOException when the server answered another range than the one asked for
   */
  public boolean accepts(HttpResponse r, RemoteFile file, long start, long end) throws IOException {
    boolean whole = start == 0 && end == file.size();
    if (r.status() == 206) {
      String want = "bytes " + start + "-" + (end - 1) + "/";
      String got = r.headers().first("Content-Range").orElse("");
      if (!got.startsWith(want)) {
        throw new IOException("server sent range '" + got + "' for '" + want + "...'");
      }
      String total = got.substring(want.length()).strip();
      if (!total.equals(Long.toString(file.size()))) {
        throw new ObjectChangedException(
            what + " (" + file.path() + ")",
            "a range of a " + total + "-byte object, listed with " + file.size());
      }
    } else if (r.status() == 200 && (whole || !file.seekable())) {
      Optional<Long> length = r.contentLength();
      if (file.sizeKnown() && length.isPresent() && length.get() != file.size()) {
        throw new ObjectChangedException(what, length.get() + " bytes, listed with " + file.size());
      }
    } else {
      return false;
    }
    checkValidator(r, file);
    return true;
  }

  private void checkValidator(HttpResponse r, RemoteFile file) throws ObjectChangedException {
    if (validator.isEmpty() || file.version().isEmpty()) {
      return;
    }
    String got = validator.get().apply(r);
    if (!unquoted(got).equals(unquoted(file.version()))) {
      throw new ObjectChangedException(
          what + " (" + file.path() + ")",
          (got.isEmpty() ? "an answer without its validator" : "version " + got)
              + ", listed as "
              + file.version());
    }
  }

  /** ETags are compared without their quotes: S3 listings give them either way. */
  private static String unquoted(String v) {
    String s = v.strip();
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")
        ? s.substring(1, s.length() - 1)
        : s;
  }
}
