package io.stowage.serving;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The objects the controller creates for one InferenceService, and what it reports: the URLs and
 * the runtime ({@code status.clusterServingRuntimeName} or {@code status.servingRuntimeName}).
 */
public record PlannedWorkload(
    Deployment deployment,
    Service service,
    @Nullable HorizontalPodAutoscaler autoscaler,
    String url,
    String addressUrl,
    @Nullable String runtimeKind,
    @Nullable String runtimeName) {

  public Optional<HorizontalPodAutoscaler> hpa() {
    return Optional.ofNullable(autoscaler);
  }

  /** Deployment, Service, then the HPA if any: the order {@code render} prints them in. */
  public List<HasMetadata> objects() {
    List<HasMetadata> all = new ArrayList<>();
    all.add(deployment);
    all.add(service);
    if (autoscaler != null) {
      all.add(autoscaler);
    }
    return all;
  }
}
