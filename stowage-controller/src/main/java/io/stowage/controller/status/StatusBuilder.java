package io.stowage.controller.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.stowage.controller.crd.Condition;
import io.stowage.controller.crd.InferenceServiceStatus;
import io.stowage.controller.crd.ModelStatus;
import io.stowage.serving.PlanError;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.config.DeploymentMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The whole status for each outcome of a reconcile. Pure: the previous status, what happened, and
 * the time in; the next status out.
 */
public final class StatusBuilder {
  /** Reason of both conditions when the planner rejects the InferenceService. */
  public static final String INVALID_SPEC = "InvalidSpec";

  private final InferenceServiceStatus previous;
  private final long generation;
  private final String now;

  public StatusBuilder(InferenceServiceStatus previous, long generation, String now) {
    this.previous = previous;
    this.generation = generation;
    this.now = now;
  }

  /** The objects are in place: readiness from the Deployment, the model's state from its pods. */
  public InferenceServiceStatus planned(
      PlannedWorkload plan, Deployment deployment, List<Pod> pods, String predictorUrl) {
    Condition predictor = PredictorReadiness.of(deployment);
    boolean ready = Condition.TRUE.equals(predictor.status());
    List<Condition> conditions = List.of(predictor, readyFrom(predictor));
    boolean cluster = ServingRuntime.CLUSTER_KIND.equals(plan.runtimeKind());
    return new InferenceServiceStatus(
        generation,
        Conditions.merge(previous.conditionList(), conditions, now),
        plan.url(),
        new InferenceServiceStatus.Address(plan.addressUrl()),
        ready
            ? Map.of("predictor", new InferenceServiceStatus.ComponentStatus(predictorUrl))
            : Map.of(),
        ModelStatuses.of(pods, ready),
        DeploymentMode.STANDARD.label(),
        cluster ? null : plan.runtimeName(),
        cluster ? plan.runtimeName() : null);
  }

  /** The planner rejected the InferenceService: nothing was applied; the errors are the message. */
  public InferenceServiceStatus rejected(List<PlanError> errors) {
    String message = errors.stream().map(PlanError::toString).collect(Collectors.joining("; "));
    Optional<ModelStatus.FailureInfo> runtime =
        errors.stream().map(RuntimeFailures::of).flatMap(Optional::stream).findFirst();
    return failed(INVALID_SPEC, message, ModelStatuses.invalidSpec(runtime));
  }

  /**
   * The objects are in place, scaled to zero: the initializer failed in a way no restart fixes
   * ({@code message} says how to retry).
   */
  public InferenceServiceStatus stopped(ModelStatus.FailureInfo failure, String message) {
    return failed(ModelStatuses.MODEL_LOAD_FAILED, message, ModelStatuses.stopped(failure));
  }

  /** Nothing could be applied: a broken config, an API failure, an object in the way. */
  public InferenceServiceStatus failed(String reason, String message) {
    return failed(reason, message, previous.modelStatus());
  }

  private InferenceServiceStatus failed(
      String reason, String message, @org.jspecify.annotations.Nullable ModelStatus model) {
    Condition predictor =
        Conditions.of(Conditions.PREDICTOR_READY, Condition.FALSE, reason, message);
    return new InferenceServiceStatus(
        generation,
        Conditions.merge(previous.conditionList(), List.of(predictor, readyFrom(predictor)), now),
        previous.url(),
        previous.address(),
        previous.components(),
        model,
        previous.deploymentMode(),
        previous.servingRuntimeName(),
        previous.clusterServingRuntimeName());
  }

  /**
   * An InferenceService of a mode Stowage leaves to another controller: only the {@code
   * StowageManaged} condition is added; whatever else its status says stays.
   */
  public InferenceServiceStatus notManaged(String reason, String message) {
    Condition managed = Conditions.of(Conditions.STOWAGE_MANAGED, Condition.FALSE, reason, message);
    List<Condition> conditions = new ArrayList<>();
    conditions.addAll(Conditions.merge(previous.conditionList(), List.of(managed), now));
    previous.conditionList().stream()
        .filter(c -> !c.type().equals(Conditions.STOWAGE_MANAGED))
        .filter(c -> conditions.stream().noneMatch(k -> k.type().equals(c.type())))
        .forEach(conditions::add);
    return new InferenceServiceStatus(
        previous.observedGeneration(),
        conditions,
        previous.url(),
        previous.address(),
        previous.components(),
        previous.modelStatus(),
        previous.deploymentMode(),
        previous.servingRuntimeName(),
        previous.clusterServingRuntimeName());
  }

  private static Condition readyFrom(Condition predictor) {
    return new Condition(
        Conditions.READY, predictor.status(), null, null, predictor.reason(), predictor.message());
  }
}
