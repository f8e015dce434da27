package io.stowage.storage.net;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 request. {@code target} is the origin-form request target ({@code /path?query}),
 * already percent-encoded; {@code Host}, {@code Content-Length} and connection management headers
 * are added by the client.
 */
public record HttpRequest(
    String method, Origin origin, String target, Headers headers, @Nullable RequestBody body) {

  public HttpRequest {
    method = method.toUpperCase(Locale.ROOT);
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("Request target must start with '/': " + target);
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException("Request target must be percent-encoded: " + target);
      }
    }
  }

  public static HttpRequest get(Origin origin, String target, Headers headers) {
    return new HttpRequest("GET", origin, target, headers, null);
  }

  /**
   * GET, HEAD, PUT and DELETE can be sent again on a fresh connection when a pooled one turns out
   * dead (PUT and DELETE leave the same state however often they are repeated).
   */
  public boolean isIdempotent() {
    return method.equals("GET")
        || method.equals("HEAD")
        || method.equals("PUT")
        || method.equals("DELETE");
  }

  public boolean expectsBody() {
    return !method.equals("HEAD");
  }

  @Override
  public String toString() {
    return method + " " + origin + target;
  }
}
