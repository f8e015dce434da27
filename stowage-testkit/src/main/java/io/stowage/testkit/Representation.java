package io.stowage.testkit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A body the test servers answer GET and HEAD with, and the validators that go with it, served the
 * way RFC 9110 describes: {@code If-Match} (412 when no listed tag matches), {@code Range} (206, or
 * 416 when it starts past the end) and {@code If-Range} (a stale validator turns a range request
 * into a 200 with the whole body).
 *
 * @param etag a strong entity tag with its quotes, or null to send none
 * @param lastModified an IMF-fixdate, or null to send none
 * @param contentMd5 sent on answers carrying the whole body (not on 206s), or null
 */
record Representation(
    ServedContent content,
    String contentType,
    @Nullable String etag,
    @Nullable String lastModified,
    @Nullable String contentMd5) {

  /**
   * Answers the exchange, whose extra headers the caller has already set.
   *
   * @param ranges whether {@code Range} is honoured; when not, every answer is a 200 with the whole
   *     body and no {@code Accept-Ranges}
   * @param chunked send bodies with {@code Transfer-Encoding: chunked} instead of a length
   */
  void serve(HttpExchange exchange, boolean ranges, boolean chunked) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", contentType);
    if (etag != null) {
      headers.set("ETag", etag);
    }
    if (lastModified != null) {
      headers.set("Last-Modified", lastModified);
    }
    String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
    if (ifMatch != null && !ifMatchHolds(ifMatch)) {
      Exchanges.sendEmpty(exchange, 412);
      return;
    }
    long size = content.size();
    ByteRange range = ByteRange.whole();
    if (ranges) {
      headers.set("Accept-Ranges", "bytes");
      String requested = exchange.getRequestHeaders().getFirst("Range");
      if (requested != null && ifRangeHolds(exchange.getRequestHeaders().getFirst("If-Range"))) {
        range = ByteRange.parse(requested, size);
      }
    }
    switch (range.kind()) {
      case UNSATISFIABLE -> {
        headers.remove("Content-Type");
        headers.set("Content-Range", "bytes */" + size);
        Exchanges.sendEmpty(exchange, 416);
      }
      case PARTIAL -> {
        headers.set("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + size);
        sendBody(exchange, 206, range.first(), range.length(), chunked);
      }
      case WHOLE -> {
        if (contentMd5 != null) {
          headers.set("Content-MD5", contentMd5);
        }
        sendBody(exchange, 200, 0, size, chunked);
      }
    }
  }

  private void sendBody(
      HttpExchange exchange, int status, long offset, long length, boolean chunked)
      throws IOException {
    Exchanges.sendHeadersForBody(exchange, status, length, chunked);
    if (!Exchanges.isHead(exchange) && length > 0) {
      content.write(exchange.getResponseBody(), offset, length);
    }
  }

  /** {@code *} or a list of strong tags, one of which must equal ours; weak tags never match. */
  private boolean ifMatchHolds(String ifMatch) {
    if (ifMatch.trim().equals("*")) {
      return true;
    }
    for (String tag : ifMatch.split(",", -1)) {
      if (etag != null && tag.trim().equals(etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Absent, or a strong entity tag equal to ours, or a date equal to our {@code Last-Modified}:
   * then the range applies. Anything else means the client's copy is stale.
   */
  private boolean ifRangeHolds(@Nullable String ifRange) {
    if (ifRange == null) {
      return true;
    }
    String value = ifRange.trim();
    if (value.startsWith("\"") || value.startsWith("W/")) {
      return etag != null && value.equals(etag);
    }
    return lastModified != null && value.equals(lastModified);
  }
}
