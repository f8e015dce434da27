package io.stowage.serving.manifest;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.config.ConfigException;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The objects read from an operator's manifests, by kind, in reading order. */
public record Manifests(
    List<InferenceService> inferenceServices,
    List<Secret> secrets,
    List<ServiceAccount> serviceAccounts,
    List<ServingRuntime> runtimes,
    List<ClusterStorageContainer> storageContainers,
    Optional<ConfigMap> config,
    List<String> skipped) {

  public Manifests {
    inferenceServices = List.copyOf(inferenceServices);
    secrets = List.copyOf(secrets);
    serviceAccounts = List.copyOf(serviceAccounts);
    runtimes = List.copyOf(runtimes);
    storageContainers = List.copyOf(storageContainers);
    skipped = List.copyOf(skipped);
  }

  public static Manifests empty() {
    return new Manifests(
        List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty(), List.of());
  }

  /** Both sets of objects; the later config map wins. */
  public Manifests plus(Manifests other) {
    return new Manifests(
        concat(inferenceServices, other.inferenceServices),
        concat(secrets, other.secrets),
        concat(serviceAccounts, other.serviceAccounts),
        concat(runtimes, other.runtimes),
        concat(storageContainers, other.storageContainers),
        other.config.isPresent() ? other.config : config,
        concat(skipped, other.skipped));
  }

  /**
   * The snapshot the planner reads: everything but the InferenceServices.
   *
   * @throws ConfigException when the {@code inferenceservice-config} ConfigMap is unusable
   */
  public ClusterSnapshot snapshot() throws ConfigException {
    ClusterSnapshot.Builder b = ClusterSnapshot.builder();
    secrets.forEach(b::secret);
    serviceAccounts.forEach(b::serviceAccount);
    runtimes.forEach(b::runtime);
    storageContainers.forEach(b::storageContainer);
    if (config.isPresent()) {
      Map<String, String> data = Objects.requireNonNullElse(config.get().getData(), Map.of());
      b.config(InferenceServiceConfig.fromConfigMapData(data));
    }
    return b.build();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
