package io.stowage.controller;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;

/**
 * Writes a Pod's status through the {@code pods/status} subresource as a kubelet would, for a
 * control plane without a node: what the storage-initializer's termination left in {@code
 * initContainerStatuses} (its exit code and termination message), and the Ready condition that the
 * ReplicaSet and Deployment controllers of kube-controller-manager turn into an available
 * Deployment. Everything after the write (ReplicaSet and Deployment status, the InferenceService's
 * status) is done by the real controllers.
 */
final class KubeletStandIn {
  private final KubernetesClient client;

  KubeletStandIn(KubernetesClient client) {
    this.client = client;
  }

  /** The initializer exited 0 with {@code message}; the model server runs and is ready. */
  void modelServerReady(Pod pod, String initializerMessage) {
    String now = Instant.now().toString();
    write(
        pod,
        new PodStatusBuilder()
            .withPhase("Running")
            .withPodIP("10.88.0.10")
            .withStartTime(now)
            .withConditions(
                condition("Initialized", "True", now),
                condition("ContainersReady", "True", now),
                condition("Ready", "True", now))
            .withInitContainerStatuses(initializer(0, "Completed", initializerMessage))
            .withContainerStatuses(
                pod.getSpec().getContainers().stream()
                    .map(
                        c ->
                            new ContainerStatusBuilder()
                                .withName(c.getName())
                                .withImage(c.getImage())
                                .withReady(true)
                                .withStarted(true)
                                .withNewState()
                                .withNewRunning()
                                .withStartedAt(now)
                                .endRunning()
                                .endState()
                                .build())
                    .toList())
            .build());
  }

  /** The initializer exited with {@code exitCode} and {@code message}; the Pod cannot start. */
  void initializerFailed(Pod pod, int exitCode, String message) {
    String now = Instant.now().toString();
    write(
        pod,
        new PodStatusBuilder()
            .withPhase("Pending")
            .withStartTime(now)
            .withConditions(
                condition("Initialized", "False", now),
                condition("ContainersReady", "False", now),
                condition("Ready", "False", now))
            .withInitContainerStatuses(initializer(exitCode, "Error", message))
            .build());
  }

  private void write(Pod pod, PodStatus status) {
    Pod live =
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .get();
    live.setStatus(status);
    client.resource(live).updateStatus();
  }

  private static ContainerStatus initializer(int exitCode, String reason, String message) {
    return new ContainerStatusBuilder()
        .withName("storage-initializer")
        .withReady(exitCode == 0)
        .withRestartCount(0)
        .withNewState()
        .withNewTerminated()
        .withExitCode(exitCode)
        .withReason(reason)
        .withMessage(message)
        .withFinishedAt(Instant.now().toString())
        .endTerminated()
        .endState()
        .build();
  }

  private static PodCondition condition(String type, String status, String now) {
    return new PodConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withLastTransitionTime(now)
        .build();
  }

  /** The Pods of an InferenceService's predictor, as its ReplicaSet created them. */
  static List<Pod> predictorPods(KubernetesClient client, String namespace, String isvc) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("serving.kserve.io/inferenceservice", isvc)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }
}
