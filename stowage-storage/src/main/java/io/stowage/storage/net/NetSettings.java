package io.stowage.storage.net;

import java.time.Duration;

/**
 * Connection settings shared by every HTTP exchange.
 *
 * @param connectTimeout how long opening a TCP connection may take
 * @param readTimeout how long an exchange may go without moving a byte before it is aborted
 * @param tls how server certificates are checked
 * @param proxy forward proxies and their exceptions
 */
public record NetSettings(
    Duration connectTimeout, Duration readTimeout, TlsSettings tls, ProxySettings proxy) {

  public NetSettings {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connect timeout must be positive");
    }
    if (readTimeout.isNegative() || readTimeout.isZero()) {
      throw new IllegalArgumentException("read timeout must be positive");
    }
  }

  public static NetSettings defaults() {
    return new NetSettings(
        Duration.ofSeconds(15), Duration.ofSeconds(30), TlsSettings.system(), ProxySettings.none());
  }
}
