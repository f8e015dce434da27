package io.stowage.controller.reconcile;

import io.stowage.controller.crd.InferenceServiceResource;
import io.stowage.controller.watch.Watches;
import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.config.InferenceServiceConfig;

/**
 * The planner's input for one InferenceService, read from the informers' caches; the Secrets it may
 * read are fetched by name when their version is not held yet. Secrets and ServiceAccounts come
 * from the InferenceService's namespace only, as the planner requires.
 */
final class SnapshotReader {
  private final Watches watches;
  private final Conversions conversions = new Conversions();

  SnapshotReader(Watches watches) {
    this.watches = watches;
  }

  ClusterSnapshot read(
      InferenceServiceResource isvc, String namespace, InferenceServiceConfig config) {
    ClusterSnapshot.Builder b = ClusterSnapshot.builder().config(config);
    // Only the Secrets this plan may read, with their data (the informer holds none).
    watches
        .secrets()
        .list(namespace)
        .filter(s -> watches.mayUseSecret(isvc, s.getMetadata().getName(), namespace))
        .map(watches.referencedSecrets()::read)
        .flatMap(java.util.Optional::stream)
        .forEach(b::secret);
    watches.serviceAccounts().list(namespace).forEach(b::serviceAccount);
    watches.runtimes().list(namespace).forEach(r -> b.runtime(conversions.runtime(r)));
    watches.clusterRuntimes().list().forEach(r -> b.runtime(conversions.runtime(r)));
    watches
        .storageContainers()
        .list()
        .forEach(c -> b.storageContainer(conversions.storageContainer(c)));
    return b.build();
  }
}
