package io.stowage.serving.storage;

import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.PlanErrors;
import io.stowage.serving.config.StorageInitializerConfig;
import io.stowage.serving.credentials.InitializerCredentials;
import io.stowage.serving.credentials.ServiceAccountCredentials;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What storage wiring needs to know about the InferenceService besides its URIs. {@code
 * credentials} is asked only when an init container is created: PVC and OCI sources get none, so
 * their ServiceAccount is never read. {@code policy} is the InferenceService's {@code
 * storage.stowage.io/} annotations, already validated; {@code storageContainerName} the
 * ClusterStorageContainer the predictor names, or null.
 */
public record WiringContext(
    String namespace,
    Map<String, String> annotations,
    @Nullable String storageContainerName,
    StoragePolicy policy,
    ClusterSnapshot snapshot,
    PlanErrors errors,
    Supplier<InitializerCredentials> credentials) {

  /** Credentials from the ServiceAccount's secrets, computed on first use. */
  public static WiringContext forServiceAccount(
      String namespace,
      String serviceAccount,
      Map<String, String> annotations,
      @Nullable String storageContainerName,
      StoragePolicy policy,
      ClusterSnapshot snapshot,
      PlanErrors errors) {
    Supplier<InitializerCredentials> lazy =
        new Supplier<>() {
          private @Nullable InitializerCredentials value;

          @Override
          public InitializerCredentials get() {
            if (value == null) {
              value =
                  ServiceAccountCredentials.build(
                      namespace, serviceAccount, annotations, snapshot, errors);
            }
            return value;
          }
        };
    return new WiringContext(
        namespace, annotations, storageContainerName, policy, snapshot, errors, lazy);
  }

  /** The ClusterStorageContainer for {@code uri} ({@link StorageContainers#select}). */
  java.util.Optional<io.stowage.serving.api.ClusterStorageContainer> storageContainer(String uri) {
    return StorageContainers.select(
        uri, storageContainerName, snapshot.storageContainers(), errors);
  }

  StorageInitializerConfig config() {
    return snapshot.config().storageInitializer();
  }

  /** {@code storage.kserve.io/readonly}: true unless the annotation is exactly {@code "false"}. */
  boolean readOnlyModel() {
    return !"false".equals(annotations.get(StorageWiring.READONLY_ANNOTATION));
  }
}
