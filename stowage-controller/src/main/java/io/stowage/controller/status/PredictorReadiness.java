package io.stowage.controller.status;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.stowage.controller.crd.Condition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code PredictorReady} from the Deployment's conditions, as KServe's Standard mode derives it
 * (reference §4.3): {@code Available=True} or a finished rollout is ready; a failed replica set or
 * a rollout past its deadline is not; a rollout in progress is unknown.
 */
public final class PredictorReadiness {
  private PredictorReadiness() {}

  public static Condition of(Deployment deployment) {
    List<DeploymentCondition> conditions =
        deployment.getStatus() == null
            ? List.of()
            : Objects.requireNonNullElse(deployment.getStatus().getConditions(), List.of());
    Optional<DeploymentCondition> failure = find(conditions, "ReplicaFailure", "True");
    if (failure.isPresent()) {
      return from(failure.get(), Condition.FALSE);
    }
    Optional<DeploymentCondition> stalled = find(conditions, "Progressing", "False");
    if (stalled.isPresent()) {
      return from(stalled.get(), Condition.FALSE);
    }
    Optional<DeploymentCondition> available = find(conditions, "Available", "True");
    if (available.isPresent()) {
      return from(available.get(), Condition.TRUE);
    }
    Optional<DeploymentCondition> progressing = find(conditions, "Progressing", "True");
    if (progressing.isPresent()) {
      boolean done = "NewReplicaSetAvailable".equals(progressing.get().getReason());
      return from(progressing.get(), done ? Condition.TRUE : Condition.UNKNOWN);
    }
    Optional<DeploymentCondition> unavailable = find(conditions, "Available", "False");
    if (unavailable.isPresent()) {
      return from(unavailable.get(), Condition.FALSE);
    }
    return Conditions.of(
        Conditions.PREDICTOR_READY,
        Condition.UNKNOWN,
        "DeploymentPending",
        "Deployment " + deployment.getMetadata().getName() + " reports no conditions yet");
  }

  private static Optional<DeploymentCondition> find(
      List<DeploymentCondition> conditions, String type, String status) {
    return conditions.stream()
        .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .findFirst();
  }

  private static Condition from(DeploymentCondition c, String status) {
    return Conditions.of(
        Conditions.PREDICTOR_READY,
        status,
        Objects.requireNonNullElse(c.getReason(), c.getType()),
        Objects.requireNonNullElse(c.getMessage(), ""));
  }
}
