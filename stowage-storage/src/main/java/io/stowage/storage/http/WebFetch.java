package io.stowage.storage.http;

import io.stowage.storage.net.Headers;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.HttpRequest;
import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.net.Origin;
import io.stowage.storage.net.RedirectException;
import io.stowage.storage.net.Redirects;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * GET and HEAD with redirects, for web sources. Headers meant for the origin (credentials) are sent
 * only to that origin, scheme, host and port alike: a redirect elsewhere (a CDN, a signed storage
 * URL) does not get them. Where a redirect may lead at all is {@link Redirects}' rule.
 */
public final class WebFetch {
  private static final int MAX_REDIRECTS = 10;

  private final HttpClient http;

  public WebFetch(HttpClient http) {
    this.http = http;
  }

  /** A response and the URI that finally answered it (after redirects). */
  public record Answer(HttpResponse response, URI finalUri) {}

  /**
   * Sends {@code method} to {@code uri}, following redirects.
   *
   * @param originHeaders headers only for {@code uri}'s origin (e.g. Authorization)
   * @param anyHostHeaders headers for every hop (e.g. Range)
   */
  public Answer send(
      String method, URI uri, Map<String, String> originHeaders, Map<String, String> anyHostHeaders)
      throws IOException {
    URI current = uri;
    Origin origin = Origin.of(uri);
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      Headers.Builder headers = Headers.builder();
      anyHostHeaders.forEach(headers::set);
      if (Origin.of(current).equals(origin)) {
        originHeaders.forEach(headers::set);
      }
      HttpResponse response =
          http.send(
              new HttpRequest(method, Origin.of(current), target(current), headers.build(), null));
      if (!Redirects.isRedirect(response.status())) {
        return new Answer(response, current);
      }
      String location = response.headers().first("Location").orElse("");
      response.close();
      current = Redirects.follow(current, location);
    }
    throw new RedirectException("more than " + MAX_REDIRECTS + " redirects from " + origin);
  }

  /** The origin-form request target of {@code uri}, percent-encoded. */
  static String target(URI uri) {
    URI ascii = URI.create(uri.toASCIIString());
    String path =
        ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
    return ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
  }
}
