package io.stowage.storage.http;

import io.stowage.storage.net.Headers;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.HttpRequest;
import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.net.Origin;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * GET and HEAD with redirects, for web sources. Headers meant for the origin host (credentials) are
 * sent only to that host: a redirect elsewhere (a CDN, a signed storage URL) does not get them.
 */
public final class WebFetch {
  private static final int MAX_REDIRECTS = 10;

  private final HttpClient http;

  public WebFetch(HttpClient http) {
    this.http = http;
  }

  /** A response and the URI that finally answered it (after redirects). */
  public record Answer(HttpResponse response, URI finalUri) {}

  /** Too many redirects, or a redirect without a usable location. */
  public static final class RedirectException extends IOException {
    private static final long serialVersionUID = 1L;

    RedirectException(String message) {
      super(message);
    }
  }

  /**
   * Sends {@code method} to {@code uri}, following redirects.
   *
   * @param originHeaders headers only for {@code uri}'s host (e.g. Authorization)
   * @param anyHostHeaders headers for every hop (e.g. Range)
   */
  public Answer send(
      String method, URI uri, Map<String, String> originHeaders, Map<String, String> anyHostHeaders)
      throws IOException {
    URI current = uri;
    String originHost = host(uri);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Headers.Builder headers = Headers.builder();
      anyHostHeaders.forEach(headers::set);
      if (host(current).equals(originHost)) {
        originHeaders.forEach(headers::set);
      }
      HttpResponse response =
          http.send(
              new HttpRequest(method, Origin.of(current), target(current), headers.build(), null));
      int status = response.status();
      if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
        return new Answer(response, current);
      }
      String location = response.headers().first("Location").orElse("");
      response.close();
      if (location.isEmpty()) {
        throw new RedirectException(
            "redirect " + status + " from " + Origin.of(current) + " without a Location");
      }
      try {
        current = current.resolve(URI.create(location.strip()));
      } catch (IllegalArgumentException e) {
        throw new RedirectException(
            "redirect from " + Origin.of(current) + " to an invalid location");
      }
      String scheme =
          current.getScheme() == null ? "" : current.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw new RedirectException("redirect from " + Origin.of(uri) + " to a non-HTTP location");
      }
    }
    throw new RedirectException("more than " + MAX_REDIRECTS + " redirects from " + Origin.of(uri));
  }

  /** The origin-form request target of {@code uri}, percent-encoded. */
  static String target(URI uri) {
    URI ascii = URI.create(uri.toASCIIString());
    String path =
        ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
    return ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
  }

  private static String host(URI uri) {
    return String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT) + ":" + Origin.of(uri).port();
  }
}
