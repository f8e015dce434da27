package io.stowage.oci.registry;

import io.stowage.storage.net.HttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One client per registry, all on one HTTP client (one connection pool, one stall watchdog). */
public final class Registries implements AutoCloseable {
  private final RegistrySettings settings;
  private final HttpClient http;
  private final Map<String, RegistryClient> clients = new ConcurrentHashMap<>();

  public Registries(RegistrySettings settings) {
    this.settings = settings;
    this.http = new HttpClient(settings.net());
  }

  public RegistrySettings settings() {
    return settings;
  }

  public RegistryClient client(String registry) {
    return clients.computeIfAbsent(registry, r -> new RegistryClient(r, http, settings));
  }

  @Override
  public void close() {
    http.close();
  }
}
