package io.stowage.storage.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
  private final URI proxy = URI.create("http://proxy:3128");

  @Test
  void wildcardBypassesEverything() {
    assertThat(
            new ProxySettings(proxy, proxy, List.of("*")).proxyFor(new Origin("https", "x", 443)))
        .isEmpty();
  }

  @Test
  void domainEntriesMatchSubdomainsOnly() {
    ProxySettings p = new ProxySettings(proxy, proxy, List.of("example.com"));
    assertThat(p.proxyFor(new Origin("http", "a.example.com", 80))).isEmpty();
    assertThat(p.proxyFor(new Origin("http", "example.com", 80))).isEmpty();
    assertThat(p.proxyFor(new Origin("http", "badexample.com", 80))).isPresent();
  }

  @Test
  void portSpecificEntries() {
    ProxySettings p = new ProxySettings(proxy, proxy, List.of("minio:9000"));
    assertThat(p.proxyFor(new Origin("http", "minio", 9000))).isEmpty();
    assertThat(p.proxyFor(new Origin("http", "minio", 9001))).isPresent();
  }

  @Test
  void cidrBlocksMatchIpLiterals() {
    ProxySettings p = new ProxySettings(proxy, proxy, List.of("192.168.0.0/16", "::1/128"));
    assertThat(p.proxyFor(new Origin("http", "192.168.7.7", 80))).isEmpty();
    assertThat(p.proxyFor(new Origin("http", "192.169.7.7", 80))).isPresent();
    assertThat(p.proxyFor(new Origin("http", "::1", 80))).isEmpty();
  }
}
