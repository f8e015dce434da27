package io.stowage.serving.runtime;

import io.stowage.serving.api.ServingRuntime;

/**
 * The runtime that serves an InferenceService, and the protocol in effect: the InferenceService's,
 * or, when it names none, the runtime's preferred one (KServe sets it in memory the same way).
 */
public record ResolvedRuntime(ServingRuntime runtime, String protocolVersion) {
  public String name() {
    return runtime.name();
  }

  /** {@code ClusterServingRuntime} or {@code ServingRuntime}. */
  public String kind() {
    return runtime.clusterScoped() ? ServingRuntime.CLUSTER_KIND : ServingRuntime.KIND;
  }
}
