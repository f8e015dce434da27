package io.stowage.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.stowage.controller.crd.InferenceServiceStatus;
import io.stowage.controller.crd.ModelStatus;
import io.stowage.controller.status.ModelStatuses;
import io.stowage.serving.PlannedWorkload;
import io.stowage.serving.workload.PodRevision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Stops the restart loop of a permanent initializer failure (kserve#4187: CrashLoopBackOff hides an
 * auth or not-found error for half an hour while the pod retries something that cannot succeed).
 *
 * <p>Each planned pod template carries its revision ({@link PodRevision}, the planner's digest of
 * the template and of the InferenceService's {@code storage.stowage.io/retry} annotation). When a
 * pod of the current revision has a storage-initializer that exited with a permanent code (2 usage,
 * 3 auth, 4 not found, 6 integrity, 8 unsafe source), the Deployment is scaled to zero and the
 * failure is kept in {@code status.modelStatus.lastFailureInfo}, with the revision as its {@code
 * modelRevisionName}. It stays stopped while the revision stays; any change of the
 * InferenceService's predictor, or a new value of {@code storage.stowage.io/retry}, makes a new
 * revision, which runs again. Network (5), disk (7) and unknown failures keep Kubernetes' restart
 * with backoff.
 */
final class FailFast {
  static final String REVISION = PodRevision.ANNOTATION;
  static final String RETRY = PodRevision.RETRY_ANNOTATION;
  static final String STOPPED = "storage.stowage.io/stopped";
  static final Set<Integer> PERMANENT = Set.of(2, 3, 4, 6, 8);

  private FailFast() {}

  /** The failure this revision is stopped for, if any. */
  record Decision(String revision, Optional<ModelStatus.FailureInfo> stopped) {}

  static Decision decide(PlannedWorkload plan, InferenceServiceStatus previous, List<Pod> pods) {
    String revision =
        Objects.requireNonNullElse(
            PodRevision.of(
                plan.deployment().getSpec().getTemplate().getMetadata().getAnnotations()),
            "");
    ModelStatus.FailureInfo kept =
        previous.modelStatus() == null ? null : previous.modelStatus().lastFailureInfo();
    if (kept != null && revision.equals(kept.modelRevisionName()) && permanent(kept)) {
      return new Decision(revision, Optional.of(kept));
    }
    Optional<ModelStatus.FailureInfo> found =
        pods.stream()
            .filter(p -> revision.equals(annotation(p, REVISION)))
            .map(ModelStatuses::initializerFailure)
            .flatMap(Optional::stream)
            .filter(FailFast::permanent)
            .findFirst()
            .map(f -> withRevision(f, revision));
    return new Decision(revision, found);
  }

  /**
   * Writes the decision into the planned Deployment: when stopped, zero replicas and the {@code
   * stopped} mark. A Deployment leaving a stop gets the planned replica count back explicitly: the
   * HPA does not scale a Deployment up from zero.
   */
  static void apply(PlannedWorkload plan, Decision decision, Optional<Deployment> live) {
    Deployment d = plan.deployment();
    if (decision.stopped().isPresent()) {
      d.getSpec().setReplicas(0);
      d.getMetadata()
          .setAnnotations(with(d.getMetadata().getAnnotations(), STOPPED, decision.revision()));
      return;
    }
    boolean wasStopped =
        live.map(l -> annotation(l.getMetadata().getAnnotations(), STOPPED) != null).orElse(false);
    if (wasStopped && d.getSpec().getReplicas() == null) {
      Integer min = plan.hpa().map(h -> h.getSpec().getMinReplicas()).orElse(null);
      d.getSpec().setReplicas(Math.max(1, Objects.requireNonNullElse(min, 1)));
    }
  }

  static boolean permanent(ModelStatus.FailureInfo f) {
    return ModelStatuses.MODEL_LOAD_FAILED.equals(f.reason())
        && f.exitCode() != null
        && PERMANENT.contains(f.exitCode());
  }

  private static ModelStatus.FailureInfo withRevision(ModelStatus.FailureInfo f, String revision) {
    return new ModelStatus.FailureInfo(
        f.location(), f.reason(), f.message(), revision, f.time(), f.exitCode());
  }

  private static @org.jspecify.annotations.Nullable String annotation(Pod p, String name) {
    return annotation(p.getMetadata().getAnnotations(), name);
  }

  private static @org.jspecify.annotations.Nullable String annotation(
      @org.jspecify.annotations.Nullable Map<String, String> annotations, String name) {
    return annotations == null ? null : annotations.get(name);
  }

  private static Map<String, String> with(
      @org.jspecify.annotations.Nullable Map<String, String> annotations, String k, String v) {
    Map<String, String> out = new HashMap<>(Objects.requireNonNullElse(annotations, Map.of()));
    out.put(k, v);
    return new java.util.TreeMap<>(out);
  }
}
