package io.stowage.serving;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the planner may read besides the InferenceService: Secrets and ServiceAccounts (looked up
 * only in the InferenceService's own namespace), runtimes, storage containers and the config. An
 * immutable value; the controller fills it from informers, {@code stowage render} from files.
 */
public final class ClusterSnapshot {
  private final Map<String, Secret> secrets = new HashMap<>();
  private final Map<String, ServiceAccount> serviceAccounts = new HashMap<>();
  private final Map<String, List<ServingRuntime>> runtimesByNamespace = new HashMap<>();
  private final Map<String, ServingRuntime> runtimesByKey = new HashMap<>();
  private final List<ServingRuntime> clusterRuntimes;
  private final List<ClusterStorageContainer> storageContainers;
  private final InferenceServiceConfig config;

  /** Values derived from one runtime once per snapshot (planning 1,000 services reuses them). */
  private final Map<String, Object> runtimeDerived = new java.util.concurrent.ConcurrentHashMap<>();

  private ClusterSnapshot(Builder b) {
    b.secrets.forEach(
        s -> secrets.put(key(namespaceOf(s.getMetadata()), nameOf(s.getMetadata())), s));
    b.serviceAccounts.forEach(
        a -> serviceAccounts.put(key(namespaceOf(a.getMetadata()), nameOf(a.getMetadata())), a));
    List<ServingRuntime> cluster = new ArrayList<>();
    for (ServingRuntime r : b.runtimes) {
      if (r.clusterScoped()) {
        cluster.add(r);
      } else {
        runtimesByNamespace.computeIfAbsent(r.namespace(), n -> new ArrayList<>()).add(r);
        runtimesByKey.put(key(r.namespace(), r.name()), r);
      }
    }
    this.clusterRuntimes = List.copyOf(cluster);
    List<ClusterStorageContainer> containers = new ArrayList<>(b.storageContainers);
    // The API server lists cluster-scoped objects by name; KServe takes the first match.
    containers.sort(Comparator.comparing(ClusterStorageContainer::name));
    this.storageContainers = List.copyOf(containers);
    this.config = b.config;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static ClusterSnapshot empty() {
    return builder().build();
  }

  public InferenceServiceConfig config() {
    return config;
  }

  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(secrets.get(key(namespace, name)));
  }

  public Optional<ServiceAccount> serviceAccount(String namespace, String name) {
    return Optional.ofNullable(serviceAccounts.get(key(namespace, name)));
  }

  /** The namespaced ServingRuntime {@code name} in {@code namespace}. */
  public Optional<ServingRuntime> servingRuntime(String namespace, String name) {
    return Optional.ofNullable(runtimesByKey.get(key(namespace, name)));
  }

  /** The ClusterServingRuntime {@code name}. */
  public Optional<ServingRuntime> clusterServingRuntime(String name) {
    return clusterRuntimes.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  /** The ServingRuntimes of {@code namespace}, in input order. */
  public List<ServingRuntime> servingRuntimes(String namespace) {
    return List.copyOf(runtimesByNamespace.getOrDefault(namespace, List.of()));
  }

  public List<ServingRuntime> clusterServingRuntimes() {
    return clusterRuntimes;
  }

  /** ClusterStorageContainers, by name as the API server lists them. */
  public List<ClusterStorageContainer> storageContainers() {
    return storageContainers;
  }

  /**
   * {@code compute(runtime)}, computed once per runtime and snapshot. The result is shared between
   * callers (and threads): treat it as immutable.
   */
  @SuppressWarnings("unchecked")
  public <T> T derivedFrom(
      ServingRuntime runtime, Class<T> type, Function<ServingRuntime, T> compute) {
    String key =
        type.getName() + "|" + runtime.kind() + "|" + runtime.namespace() + "/" + runtime.name();
    return (T) runtimeDerived.computeIfAbsent(key, k -> compute.apply(runtime));
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private static String namespaceOf(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
    return meta == null ? "" : Objects.requireNonNullElse(meta.getNamespace(), "");
  }

  private static String nameOf(io.fabric8.kubernetes.api.model.ObjectMeta meta) {
    return meta == null ? "" : Objects.requireNonNullElse(meta.getName(), "");
  }

  /** Collects the snapshot's objects. */
  public static final class Builder {
    private final List<Secret> secrets = new ArrayList<>();
    private final List<ServiceAccount> serviceAccounts = new ArrayList<>();
    private final List<ServingRuntime> runtimes = new ArrayList<>();
    private final List<ClusterStorageContainer> storageContainers = new ArrayList<>();
    private InferenceServiceConfig config = InferenceServiceConfig.FRESH_INSTALL;

    private Builder() {}

    public Builder secret(Secret secret) {
      secrets.add(secret);
      return this;
    }

    public Builder serviceAccount(ServiceAccount account) {
      serviceAccounts.add(account);
      return this;
    }

    /** A ServingRuntime or ClusterServingRuntime. */
    public Builder runtime(ServingRuntime runtime) {
      runtimes.add(runtime);
      return this;
    }

    public Builder storageContainer(ClusterStorageContainer container) {
      storageContainers.add(container);
      return this;
    }

    public Builder config(InferenceServiceConfig config) {
      this.config = config;
      return this;
    }

    public ClusterSnapshot build() {
      return new ClusterSnapshot(this);
    }
  }
}
