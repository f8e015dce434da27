package io.stowage.controller.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.stowage.controller.crd.Condition;
import io.stowage.controller.crd.ModelStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code PredictorReady} and {@code modelStatus} as the reference's §4.3 derives them. */
class StatusRulesTest {
  @Test
  void predictorReadinessFollowsTheDeploymentsConditions() {
    assertThat(ready(cond("Available", "True", "MinimumReplicasAvailable")).status())
        .isEqualTo("True");
    assertThat(ready(cond("Progressing", "True", "NewReplicaSetAvailable")).status())
        .isEqualTo("True");
    assertThat(ready(cond("Progressing", "True", "ReplicaSetUpdated")).status())
        .isEqualTo("Unknown");
    assertThat(ready(cond("Progressing", "False", "ProgressDeadlineExceeded")).status())
        .isEqualTo("False");
    assertThat(ready(cond("Available", "False", "MinimumReplicasUnavailable")).status())
        .isEqualTo("False");
    Condition failed =
        ready(
            cond("Available", "True", "MinimumReplicasAvailable"),
            cond("ReplicaFailure", "True", "FailedCreate"));
    assertThat(failed.status()).isEqualTo("False");
    assertThat(failed.reason()).isEqualTo("FailedCreate");
    assertThat(ready().status()).isEqualTo("Unknown");
  }

  @Test
  void aCrashLoopingInitializerReportsItsLastTerminationMessage() {
    Pod pod =
        pod(
            "p1",
            new ContainerStatusBuilder()
                .withName("storage-initializer")
                .withState(
                    new ContainerStateBuilder()
                        .withNewWaiting()
                        .withReason("CrashLoopBackOff")
                        .endWaiting()
                        .build())
                .withLastState(
                    new ContainerStateBuilder()
                        .withNewTerminated()
                        .withExitCode(4)
                        .withMessage("No model found in s3://models/missing.\n")
                        .endTerminated()
                        .build())
                .build());
    ModelStatus status = ModelStatuses.of(List.of(pod), false);
    assertThat(status.transitionStatus()).isEqualTo("BlockedByFailedLoad");
    ModelStatus.FailureInfo failure = java.util.Objects.requireNonNull(status.lastFailureInfo());
    assertThat(failure.reason()).isEqualTo("ModelLoadFailed");
    assertThat(failure.message()).isEqualTo("No model found in s3://models/missing.");
    assertThat(failure.exitCode()).isEqualTo(4);
    assertThat(failure.location()).isEqualTo("p1");
  }

  @Test
  void aRunningInitializerIsLoadingAndASuccessfulOneIsNotAFailure() {
    Pod running =
        pod(
            "p1",
            new ContainerStatusBuilder()
                .withName("storage-initializer")
                .withState(new ContainerStateBuilder().withNewRunning().endRunning().build())
                .build());
    assertThat(
            java.util.Objects.requireNonNull(ModelStatuses.of(List.of(running), false).states())
                .targetModelState())
        .isEqualTo("Loading");
    Pod done =
        pod(
            "p2",
            new ContainerStatusBuilder()
                .withName("storage-initializer")
                .withState(
                    new ContainerStateBuilder()
                        .withNewTerminated()
                        .withExitCode(0)
                        .endTerminated()
                        .build())
                .build());
    ModelStatus status = ModelStatuses.of(List.of(done), true);
    assertThat(status.lastFailureInfo()).isNull();
    assertThat(status.transitionStatus()).isEqualTo("UpToDate");
  }

  static Pod succeeded(String name, String created, String message) {
    Pod p =
        pod(
            name,
            new ContainerStatusBuilder()
                .withName("storage-initializer")
                .withState(
                    new ContainerStateBuilder()
                        .withNewTerminated()
                        .withExitCode(0)
                        .withMessage(message)
                        .endTerminated()
                        .build())
                .build());
    p.getMetadata().setCreationTimestamp(created);
    return p;
  }

  @Test
  void theNewestSuccessfulInitializersSummaryIsWhatWasDeployed() {
    Pod old =
        succeeded(
            "p1",
            "2026-01-01T00:00:00Z",
            "{\"deployed\":[{\"source\":\"s3://b/m\",\"files\":1,\"bytes\":2,"
                + "\"manifestDigest\":\"sha256:old\"}]}");
    Pod newer =
        succeeded(
            "p2",
            "2026-01-02T00:00:00Z",
            "{\"deployed\":[{\"source\":\"https://u:pw@h/m?sig=secret\",\"files\":3,"
                + "\"bytes\":4096,\"manifestDigest\":\"sha256:new\"}],\"more\":2}");
    ModelStatus status = ModelStatuses.of(List.of(old, newer), true);
    assertThat(status.deployed())
        .containsExactly(
            new ModelStatus.Deployed("https://***@h/m?sig=***", 3, 4096L, "sha256:new"));
  }

  @Test
  void aMessageThatIsNoSummaryDeploysNothingKnown() {
    assertThat(
            ModelStatuses.of(List.of(succeeded("p", "2026-01-01T00:00:00Z", "done")), true)
                .deployed())
        .isNull();
    assertThat(
            ModelStatuses.of(
                    List.of(succeeded("p", "2026-01-01T00:00:00Z", "{\"deployed\": 3}")), true)
                .deployed())
        .isNull();
  }

  @Test
  void conditionsKeepTheirTransitionTimeWhileTheirStatusStays() {
    Condition before = new Condition("Ready", "False", null, "2026-01-01T00:00:00Z", "A", "a");
    Condition foreign =
        new Condition("IngressReady", "True", null, "2026-01-01T00:00:00Z", null, null);
    List<Condition> merged =
        Conditions.merge(
            List.of(before, foreign),
            List.of(Conditions.of("Ready", "False", "B", "b")),
            "2026-02-02T00:00:00Z");
    assertThat(merged.get(0).lastTransitionTime()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(merged.get(0).reason()).isEqualTo("B");
    assertThat(merged).contains(foreign);
    List<Condition> flipped =
        Conditions.merge(
            List.of(before),
            List.of(Conditions.of("Ready", "True", "C", "c")),
            "2026-02-02T00:00:00Z");
    assertThat(flipped.get(0).lastTransitionTime()).isEqualTo("2026-02-02T00:00:00Z");
  }

  private static Condition ready(
      io.fabric8.kubernetes.api.model.apps.DeploymentCondition... conditions) {
    Deployment d =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("x-predictor")
            .endMetadata()
            .withNewStatus()
            .withConditions(conditions)
            .endStatus()
            .build();
    return PredictorReadiness.of(d);
  }

  private static io.fabric8.kubernetes.api.model.apps.DeploymentCondition cond(
      String type, String status, String reason) {
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(reason)
        .build();
  }

  private static Pod pod(String name, io.fabric8.kubernetes.api.model.ContainerStatus initializer) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp("2026-01-01T00:00:00Z")
        .endMetadata()
        .withNewStatus()
        .withInitContainerStatuses(initializer)
        .endStatus()
        .build();
  }
}
