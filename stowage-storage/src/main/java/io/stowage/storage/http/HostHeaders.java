package io.stowage.storage.http;

import java.util.Locale;
import java.util.Map;

/**
 * Extra request headers per host, from KServe's {@code <host>-headers} variables (a JSON object of
 * header names and values, typically credentials). They are sent only to that host, never across a
 * redirect to another one.
 */
public record HostHeaders(Map<String, Map<String, String>> byHost) {
  public HostHeaders {
    byHost = Map.copyOf(byHost);
  }

  public static HostHeaders none() {
    return new HostHeaders(Map.of());
  }

  /** The headers for {@code host} (case-insensitive), or none. */
  public Map<String, String> forHost(String host) {
    Map<String, String> h = byHost.get(host.toLowerCase(Locale.ROOT));
    return h == null ? Map.of() : h;
  }

  @Override
  public String toString() {
    return "HostHeaders" + byHost.keySet();
  }
}
