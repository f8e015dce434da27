package io.stowage.storage.net;

import io.stowage.common.UriRedaction;
import java.net.URI;
import java.util.Locale;

/**
 * Scheme, host and port of an HTTP server: what a connection is opened to and pooled by, and the
 * scope of credentials (headers meant for one origin go to an equal origin only).
 */
public record Origin(String scheme, String host, int port) {
  public Origin {
    scheme = scheme.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("Unsupported scheme '" + scheme + "' (http or https)");
    }
    // Host names are case-insensitive: one origin, one pool, one credential scope.
    host = host.toLowerCase(Locale.ROOT);
    if (host.isEmpty()) {
      throw new IllegalArgumentException("Empty host");
    }
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("Invalid port " + port);
    }
  }

  /** The origin of an absolute http(s) URI; the port defaults to the scheme's. */
  public static Origin of(URI uri) {
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null) {
      throw new IllegalArgumentException(
          "Not an absolute http(s) URI: " + UriRedaction.redact(uri.toString()));
    }
    int port = uri.getPort();
    if (port < 0) {
      port = scheme.equalsIgnoreCase("https") ? 443 : 80;
    }
    return new Origin(scheme, stripBrackets(host), port);
  }

  public boolean isTls() {
    return scheme.equals("https");
  }

  /** The value of the {@code Host} header: the port is left out when it is the scheme's default. */
  public String hostHeader() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    boolean defaultPort = isTls() ? port == 443 : port == 80;
    return defaultPort ? h : h + ":" + port;
  }

  /** {@code scheme://host[:port]}. */
  @Override
  public String toString() {
    return scheme + "://" + hostHeader();
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
