package io.stowage.controller.status;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.stowage.common.UriRedaction;
import io.stowage.controller.crd.ModelStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code status.modelStatus} from the predictor's pods (reference §4.3): the newest pod decides. A
 * {@code storage-initializer} that terminated with an error, or crash-loops, blocks the model with
 * {@code lastFailureInfo.reason: ModelLoadFailed} and the initializer's termination message.
 */
public final class ModelStatuses {
  public static final String INITIALIZER = "storage-initializer";
  public static final String MODEL_LOAD_FAILED = "ModelLoadFailed";

  static final String IN_PROGRESS = "InProgress";
  static final String UP_TO_DATE = "UpToDate";
  static final String BLOCKED = "BlockedByFailedLoad";
  static final String INVALID_SPEC = "InvalidSpec";
  static final String PENDING = "Pending";
  static final String LOADING = "Loading";
  static final String LOADED = "Loaded";
  static final String FAILED_TO_LOAD = "FailedToLoad";

  private ModelStatuses() {}

  public static ModelStatus of(List<Pod> pods, boolean predictorReady) {
    int ready = (int) pods.stream().filter(ModelStatuses::ready).count();
    int failed = (int) pods.stream().filter(p -> initializerFailure(p).isPresent()).count();
    ModelStatus.Copies copies = new ModelStatus.Copies(failed, ready);
    Optional<Pod> newest =
        pods.stream()
            .max(
                Comparator.comparing(
                        (Pod p) ->
                            Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
                    .thenComparing(p -> p.getMetadata().getName()));
    Optional<ModelStatus.FailureInfo> failure = newest.flatMap(ModelStatuses::initializerFailure);
    if (failure.isPresent()) {
      return new ModelStatus(BLOCKED, states("", FAILED_TO_LOAD), failure.get(), copies, null);
    }
    // What the newest finished initializer put in place: during a rollout, the new revision's.
    List<ModelStatus.Deployed> deployed = DeployedSummary.newest(pods).orElse(null);
    if (predictorReady) {
      return new ModelStatus(UP_TO_DATE, states(LOADED, LOADED), null, copies, deployed);
    }
    if (newest.isEmpty()) {
      return new ModelStatus(IN_PROGRESS, states("", PENDING), null, copies, null);
    }
    boolean loading =
        initializer(newest.get())
            .map(s -> s.getState() != null && s.getState().getRunning() != null)
            .orElse(false);
    return new ModelStatus(
        IN_PROGRESS, states("", loading ? LOADING : PENDING), null, copies, deployed);
  }

  /** The current revision was stopped for {@code failure}: its pods are gone, the failure stays. */
  public static ModelStatus stopped(ModelStatus.FailureInfo failure) {
    return new ModelStatus(BLOCKED, states("", FAILED_TO_LOAD), failure, null, null);
  }

  /** The model cannot load because the spec is wrong; {@code failure} names a runtime problem. */
  public static ModelStatus invalidSpec(Optional<ModelStatus.FailureInfo> failure) {
    return new ModelStatus(
        INVALID_SPEC, states("", FAILED_TO_LOAD), failure.orElse(null), null, null);
  }

  private static ModelStatus.States states(String active, String target) {
    return new ModelStatus.States(active, target);
  }

  static Optional<ContainerStatus> initializer(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    return Objects.requireNonNullElse(
            pod.getStatus().getInitContainerStatuses(), List.<ContainerStatus>of())
        .stream()
        .filter(s -> INITIALIZER.equals(s.getName()))
        .findFirst();
  }

  public static Optional<ModelStatus.FailureInfo> initializerFailure(Pod pod) {
    Optional<ContainerStatus> status = initializer(pod);
    if (status.isEmpty()) {
      return Optional.empty();
    }
    ContainerStatus s = status.get();
    ContainerStateTerminated terminated = failed(s.getState());
    if (terminated == null
        && s.getState() != null
        && s.getState().getWaiting() != null
        && "CrashLoopBackOff".equals(s.getState().getWaiting().getReason())) {
      terminated = failed(s.getLastState());
    }
    if (terminated == null) {
      return Optional.empty();
    }
    // Another initializer (or FallbackToLogsOnError's log tail) may quote a URI with its secrets.
    String message =
        UriRedaction.redactUrisIn(Objects.requireNonNullElse(terminated.getMessage(), "").strip());
    if (message.isEmpty()) {
      message =
          "storage-initializer exited with code "
              + terminated.getExitCode()
              + " ("
              + Objects.requireNonNullElse(terminated.getReason(), "Error")
              + ") and left no termination message";
    }
    return Optional.of(
        new ModelStatus.FailureInfo(
            pod.getMetadata().getName(),
            MODEL_LOAD_FAILED,
            message,
            null,
            terminated.getFinishedAt(),
            terminated.getExitCode()));
  }

  private static @org.jspecify.annotations.Nullable ContainerStateTerminated failed(
      @org.jspecify.annotations.Nullable ContainerState state) {
    if (state == null || state.getTerminated() == null) {
      return null;
    }
    Integer code = state.getTerminated().getExitCode();
    return code != null && code != 0 ? state.getTerminated() : null;
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null
        && Objects.requireNonNullElse(
                pod.getStatus().getConditions(),
                List.<io.fabric8.kubernetes.api.model.PodCondition>of())
            .stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
