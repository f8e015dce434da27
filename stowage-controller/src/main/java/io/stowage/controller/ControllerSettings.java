package io.stowage.controller;

import java.time.Duration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How the controller runs.
 *
 * @param namespaces where InferenceServices live: the controller watches them, their Secrets,
 *     ServiceAccounts, ServingRuntimes, Deployments, Services, HPAs and Pods there, and nowhere
 *     else; empty means every namespace (which needs cluster-wide Secret reads)
 * @param configNamespace where the {@code inferenceservice-config} ConfigMap is read
 * @param serverSideApply apply objects with server-side apply: always on in {@code stowage
 *     controller}; off only in tests on fabric8's mock API server, which has no server-side apply
 *     (objects are then created and replaced)
 * @param leaderElection how replicas elect the active one, or null for a single replica
 * @param reconcileThreads InferenceServices reconciled at once
 * @param httpPort port of {@code /healthz}, {@code /readyz} and {@code /metrics}; 0 picks one, -1
 *     serves none
 * @param cacheSyncTimeout how long the informers may take to fill their caches at start
 */
public record ControllerSettings(
    Set<String> namespaces,
    String configNamespace,
    boolean serverSideApply,
    @Nullable LeaderElection leaderElection,
    int reconcileThreads,
    int httpPort,
    Duration cacheSyncTimeout) {
  public static final String LEASE_NAME = "stowage-controller";
  public static final String FIELD_MANAGER = "stowage-controller";

  public ControllerSettings {
    namespaces = Set.copyOf(namespaces);
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException(
          "reconcile threads must be at least 1 (got " + reconcileThreads + ")");
    }
  }

  /**
   * One active replica, through the Lease {@value #LEASE_NAME}.
   *
   * @param leaseNamespace the Lease's namespace, normally the controller's own
   * @param identity this replica's name in the Lease (the pod name)
   * @param exitWhenLost end the process when the lease is lost (production: no two replicas may
   *     reconcile at once); tests stop the controller instead
   */
  public record LeaderElection(String leaseNamespace, String identity, boolean exitWhenLost) {}

  /** True when the controller watches every namespace. */
  public boolean allNamespaces() {
    return namespaces.isEmpty();
  }
}
