package io.stowage.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

/** When a live object already is what the plan wants, and when a replacement must keep fields. */
class DesiredStateTest {
  @Test
  void defaultsAddedByTheApiServerStillMatchButChangedOrMissingFieldsDoNot() {
    Deployment desired = deployment("img:1", null);
    Deployment live = deployment("img:1", null);
    live.getMetadata().setResourceVersion("7");
    live.getSpec().setRevisionHistoryLimit(10);
    live.getSpec().getTemplate().getSpec().setDnsPolicy("ClusterFirst");
    assertThat(DesiredState.isContainedIn(desired, live)).isTrue();
    assertThat(DesiredState.isContainedIn(desired, deployment("img:2", null))).isFalse();
    Deployment extraContainer = deployment("img:1", null);
    extraContainer
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .add(new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("sidecar").build());
    assertThat(DesiredState.isContainedIn(desired, extraContainer)).isFalse();
    assertThat(DesiredState.digest(desired))
        .isEqualTo(DesiredState.digest(deployment("img:1", null)));
    assertThat(DesiredState.digest(desired))
        .isNotEqualTo(DesiredState.digest(deployment("img:2", null)));
  }

  @Test
  void aReplacementKeepsTheReplicasAnHpaSetAndTheResourceVersion() {
    Deployment live = deployment("img:1", 5);
    live.getMetadata().setResourceVersion("42");
    Deployment replacement = ClusterOwnedFields.carryOver(deployment("img:2", null), live);
    assertThat(replacement.getSpec().getReplicas()).isEqualTo(5);
    assertThat(replacement.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(replacement.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("img:2");
  }

  private static Deployment deployment(
      String image, @org.jspecify.annotations.Nullable Integer replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("x-predictor")
        .withNamespace("ns")
        .addToLabels("app", "isvc.x-predictor")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("kserve-container")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
