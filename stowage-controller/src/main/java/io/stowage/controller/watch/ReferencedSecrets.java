package io.stowage.controller.watch;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Secrets plans read, with their data: read by name from the API server when the informer
 * announces a version not held yet, and kept (a bounded number, least recently used first out)
 * until it announces another. Only Secrets a plan names are ever read, so only they are held.
 */
public final class ReferencedSecrets {
  /** Far more than the Secrets the InferenceServices of one controller name, in practice. */
  static final int MAX_HELD = 512;

  private final KubernetesClient client;
  private final Map<String, Secret> held =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Secret> eldest) {
          return size() > MAX_HELD;
        }
      };

  ReferencedSecrets(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The Secret {@code announced} (the informer's copy, without data) describes, with its data;
   * empty when it no longer exists.
   */
  public Optional<Secret> read(Secret announced) {
    String namespace = Objects.requireNonNullElse(announced.getMetadata().getNamespace(), "");
    String name = Objects.requireNonNullElse(announced.getMetadata().getName(), "");
    String key = namespace + "/" + name;
    String version = announced.getMetadata().getResourceVersion();
    synchronized (held) {
      Secret secret = held.get(key);
      if (secret != null && Objects.equals(secret.getMetadata().getResourceVersion(), version)) {
        return Optional.of(secret);
      }
    }
    // Outside the lock: other reconciles go on while this one waits for the API server.
    Secret live = client.secrets().inNamespace(namespace).withName(name).get();
    synchronized (held) {
      if (live == null) {
        held.remove(key);
        return Optional.empty();
      }
      held.put(key, live);
      return Optional.of(live);
    }
  }

  /** How many Secrets are held with their data. */
  public int held() {
    synchronized (held) {
      return held.size();
    }
  }
}
