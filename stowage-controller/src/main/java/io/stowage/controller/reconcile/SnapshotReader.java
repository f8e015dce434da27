package io.stowage.controller.reconcile;

import io.stowage.controller.watch.Watches;
import io.stowage.serving.ClusterSnapshot;
import io.stowage.serving.config.InferenceServiceConfig;

/**
 * The planner's input for one namespace, read from the informers' caches: no API call. Secrets and
 * ServiceAccounts come from the InferenceService's namespace only, as the planner requires.
 */
final class SnapshotReader {
  private final Watches watches;
  private final Conversions conversions = new Conversions();

  SnapshotReader(Watches watches) {
    this.watches = watches;
  }

  ClusterSnapshot read(String namespace, InferenceServiceConfig config) {
    ClusterSnapshot.Builder b = ClusterSnapshot.builder().config(config);
    watches.secrets().list(namespace).forEach(b::secret);
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
