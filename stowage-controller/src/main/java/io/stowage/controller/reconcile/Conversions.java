package io.stowage.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.stowage.controller.crd.ClusterStorageContainerResource;
import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.api.ServingRuntime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The cluster's objects as the planner's records. Runtimes and storage containers are converted
 * once per resource version: every reconcile reads them, and they rarely change.
 */
final class Conversions {
  private final Map<String, Converted<ServingRuntime>> runtimes = new ConcurrentHashMap<>();
  private final Map<String, Converted<ClusterStorageContainer>> containers =
      new ConcurrentHashMap<>();

  private record Converted<T>(String resourceVersion, T value) {}

  static InferenceService inferenceService(InferenceServiceResource resource) {
    return ServingJson.mapper().convertValue(resource, InferenceService.class);
  }

  ServingRuntime runtime(HasMetadata resource) {
    return cached(
        runtimes, resource, r -> ServingJson.fromTree(ServingJson.tree(r), ServingRuntime.class));
  }

  ClusterStorageContainer storageContainer(ClusterStorageContainerResource resource) {
    return cached(
        containers,
        resource,
        r -> ServingJson.fromTree(ServingJson.tree(r), ClusterStorageContainer.class));
  }

  private static <T> T cached(
      Map<String, Converted<T>> cache, HasMetadata resource, Function<HasMetadata, T> convert) {
    String key =
        resource.getKind()
            + "/"
            + Objects.requireNonNullElse(resource.getMetadata().getNamespace(), "")
            + "/"
            + resource.getMetadata().getName();
    String version = Objects.requireNonNullElse(resource.getMetadata().getResourceVersion(), "");
    Converted<T> hit = cache.get(key);
    if (hit != null && hit.resourceVersion().equals(version)) {
      return hit.value();
    }
    T value = convert.apply(resource);
    cache.put(key, new Converted<>(version, value));
    return value;
  }
}
