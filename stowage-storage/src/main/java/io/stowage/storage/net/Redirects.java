package io.stowage.storage.net;

import java.net.URI;
import java.util.Set;

/**
 * What a redirect may lead to: the one rule every Stowage client follows. The target must be
 * http(s), and a request that went out over https never continues over plain http, whatever it
 * carries: the bytes of a model are as worth protecting as its credentials, and a downgrade would
 * be silent otherwise. Whether headers follow is a separate, narrower question ({@link
 * Origin#equals}: same scheme, host and port).
 */
public final class Redirects {
  /** The statuses that carry a {@code Location} to follow. */
  public static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);

  private Redirects() {}

  public static boolean isRedirect(int status) {
    return STATUSES.contains(status);
  }

  /**
   * The absolute URI a redirect from {@code from} to {@code location} leads to.
   *
   * @throws RedirectException when the location is missing or invalid
   * @throws UnsafeLocationException when it is not http(s), or downgrades https to http
   */
  public static URI follow(URI from, String location)
      throws RedirectException, UnsafeLocationException {
    Origin origin = Origin.of(from);
    if (location.isBlank()) {
      throw new RedirectException("redirect from " + origin + " without a Location");
    }
    URI next;
    try {
      next = from.resolve(URI.create(location.strip()));
    } catch (IllegalArgumentException e) {
      throw new RedirectException("redirect from " + origin + " to an invalid location");
    }
    Origin target;
    try {
      target = Origin.of(next);
    } catch (IllegalArgumentException e) {
      throw new UnsafeLocationException(
          "Refusing the redirect from " + origin + " to a location that is not http(s)");
    }
    if (origin.isTls() && !target.isTls()) {
      throw new UnsafeLocationException(
          "Refusing the redirect from "
              + origin
              + " to "
              + target
              + ": it would downgrade https to plain http (the server must redirect to an"
              + " https:// location)");
    }
    return next;
  }
}
