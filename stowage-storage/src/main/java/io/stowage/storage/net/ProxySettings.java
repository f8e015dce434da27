package io.stowage.storage.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Forward proxies as set by {@code HTTP_PROXY}, {@code HTTPS_PROXY} and {@code NO_PROXY}. No-proxy
 * entries are host names (matching the host and its subdomains, with or without a leading dot), IP
 * addresses, CIDR blocks, optionally with {@code :port}, or {@code *} for everything.
 */
public record ProxySettings(
    @Nullable URI httpProxy, @Nullable URI httpsProxy, List<String> noProxy) {

  public ProxySettings {
    noProxy = List.copyOf(noProxy);
  }

  public static ProxySettings none() {
    return new ProxySettings(null, null, List.of());
  }

  /** The proxy to use for the origin, if any. */
  public Optional<URI> proxyFor(Origin origin) {
    URI proxy = origin.isTls() ? httpsProxy : httpProxy;
    if (proxy == null || bypasses(origin)) {
      return Optional.empty();
    }
    return Optional.of(proxy);
  }

  private boolean bypasses(Origin origin) {
    String host = origin.host().toLowerCase(Locale.ROOT);
    for (String raw : noProxy) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        return true;
      }
      int port = -1;
      int colon = entry.lastIndexOf(':');
      if (colon > 0 && entry.indexOf(':') == colon && !entry.contains("/")) {
        try {
          port = Integer.parseInt(entry.substring(colon + 1));
          entry = entry.substring(0, colon);
        } catch (NumberFormatException e) {
          continue;
        }
      }
      if (port >= 0 && port != origin.port()) {
        continue;
      }
      if (entry.contains("/")) {
        if (inCidr(host, entry)) {
          return true;
        }
        continue;
      }
      String domain = entry.startsWith(".") ? entry.substring(1) : entry;
      if (domain.startsWith("*.")) {
        domain = domain.substring(2);
      }
      if (host.equals(domain) || host.endsWith("." + domain)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inCidr(String host, String cidr) {
    if (!isIpLiteral(host)) {
      return false;
    }
    int slash = cidr.indexOf('/');
    try {
      byte[] net = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
      byte[] addr = InetAddress.getByName(host).getAddress();
      int bits = Integer.parseInt(cidr.substring(slash + 1));
      if (net.length != addr.length || bits < 0 || bits > net.length * 8) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >> (i % 8);
        if ((net[i / 8] & mask) != (addr[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException | NumberFormatException e) {
      return false;
    }
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }
}
