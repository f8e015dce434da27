package io.stowage.serving.workload;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.config.DeployConfig;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The predictor Deployment of Standard mode (reference §4.2). */
public final class DeploymentPlanner {
  static final int DEFAULT_PORT = 8080;
  private static final Set<String> PROBED = Set.of("kserve-container", "transformer-container");

  private DeploymentPlanner() {}

  /**
   * {@code replicas} is the HPA's to set, except with the {@code none} autoscaler class, where it
   * is {@code minReplicas}.
   */
  public static Deployment plan(
      InferenceService isvc,
      PodSpec pod,
      ComponentMeta meta,
      @Nullable Integer replicas,
      InferenceServiceConfig config) {
    defaultReadinessProbes(pod);
    if (!config.security().autoMountServiceAccountToken()
        && pod.getAutomountServiceAccountToken() == null) {
      pod.setAutomountServiceAccountToken(false);
    }
    Deployment deployment =
        new DeploymentBuilder()
            .withMetadata(objectMeta(isvc, meta))
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels(Names.APP_LABEL, Names.appLabel(isvc.name()))
            .endSelector()
            .withStrategy(strategy(isvc, config))
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(meta.labels())
            .withAnnotations(meta.annotations())
            .endMetadata()
            .endTemplate()
            .endSpec()
            .build();
    // Set, not built: a builder would deep-copy the whole pod spec once more.
    deployment.getSpec().getTemplate().setSpec(pod);
    return deployment;
  }

  static ObjectMeta objectMeta(InferenceService isvc, ComponentMeta meta) {
    return new ObjectMetaBuilder()
        .withName(Names.predictor(isvc.name()))
        .withNamespace(isvc.namespace())
        .withLabels(meta.labels())
        .withAnnotations(meta.annotations())
        .withOwnerReferences(Owner.of(isvc))
        .build();
  }

  private static DeploymentStrategy strategy(InferenceService isvc, InferenceServiceConfig config) {
    DeploymentStrategy own = isvc.predictor().deploymentStrategy();
    if (own != null) {
      return own;
    }
    String surge = "25%";
    String unavailable = "25%";
    DeployConfig.Rollout rollout = config.deploy().defaultRollout();
    if (rollout != null) {
      surge = Objects.requireNonNullElse(rollout.maxSurge(), surge);
      unavailable = Objects.requireNonNullElse(rollout.maxUnavailable(), unavailable);
    }
    return new DeploymentStrategyBuilder()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withMaxSurge(new IntOrString(surge))
        .withMaxUnavailable(new IntOrString(unavailable))
        .endRollingUpdate()
        .build();
  }

  /** KServe gives the model container a TCP readiness probe on its first port when it has none. */
  private static void defaultReadinessProbes(PodSpec pod) {
    for (Container c : Objects.requireNonNullElse(pod.getContainers(), List.<Container>of())) {
      // A container without a name is refused by validation; the planner must not fall over it.
      if (c.getName() == null || !PROBED.contains(c.getName()) || c.getReadinessProbe() != null) {
        continue;
      }
      c.setReadinessProbe(
          new ProbeBuilder()
              .withNewTcpSocket()
              .withPort(new IntOrString(firstPort(c)))
              .endTcpSocket()
              .withTimeoutSeconds(1)
              .withPeriodSeconds(10)
              .withFailureThreshold(3)
              .build());
    }
  }

  static int firstPort(Container c) {
    List<ContainerPort> ports = Objects.requireNonNullElse(c.getPorts(), List.of());
    return ports.isEmpty() || ports.get(0).getContainerPort() == null
        ? DEFAULT_PORT
        : ports.get(0).getContainerPort();
  }
}
