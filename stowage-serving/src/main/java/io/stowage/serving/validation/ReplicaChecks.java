package io.stowage.serving.validation;

import io.stowage.serving.PlanErrors;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.PredictorSpec;
import java.util.Optional;

/**
 * Replica and autoscaling checks, in KServe's words. KServe runs the metric checks only when the
 * class is explicitly {@code hpa}; Stowage runs them whenever it creates an HPA, since an HPA with
 * such a metric would be rejected or never scale.
 */
final class ReplicaChecks {
  private static final String FIELD = "spec.predictor";

  private ReplicaChecks() {}

  static void check(InferenceService isvc, PlanErrors errors) {
    PredictorSpec p = isvc.predictor();
    Integer min = p.minReplicas();
    Integer max = p.maxReplicas();
    if (min != null && min < 0) {
      errors.add(FIELD + ".minReplicas", "'MinReplicas' cannot be less than 0");
    }
    if (max != null && max < 0) {
      errors.add(FIELD + ".maxReplicas", "'MaxReplicas' cannot be less than 0");
    }
    if (min != null && max != null && max != 0 && min > max) {
      errors.add(FIELD + ".minReplicas", "'MinReplicas' cannot be greater than MaxReplicas");
    }
    Long concurrency = p.containerConcurrency();
    if (concurrency != null && concurrency < 0) {
      errors.add(FIELD + ".containerConcurrency", "parallelism cannot be less than 0");
    }
    String annotated = isvc.annotations().get(Autoscaling.ANNOTATION);
    Optional<Autoscaling> parsed =
        annotated == null ? Optional.of(Autoscaling.HPA) : Autoscaling.parse(annotated);
    String field = "metadata.annotations[\"" + Autoscaling.ANNOTATION + "\"]";
    if (parsed.isEmpty()) {
      errors.add(field, "[" + annotated + "] is not a supported autoscaler class type");
      return;
    }
    switch (parsed.get()) {
      case HPA -> metric(p, errors);
      case KEDA -> {
        if (p.scaleMetric() != null) {
          errors.add(FIELD + ".scaleMetric", "ScaleMetric is not supported for KEDA");
        }
        errors.add(
            field,
            "autoscaler class keda is not supported by Stowage yet: use hpa, external or none");
      }
      default -> {}
    }
  }

  private static void metric(PredictorSpec p, PlanErrors errors) {
    String metric = p.scaleMetric() == null ? "cpu" : p.scaleMetric();
    if (!Autoscaling.METRICS.contains(metric)) {
      errors.add(FIELD + ".scaleMetric", "[" + metric + "] is not a supported metric");
      return;
    }
    Integer target = p.scaleTarget();
    if (metric.equals("cpu") && target != null && (target < 1 || target > 100)) {
      errors.add(
          FIELD + ".scaleTarget", "the target utilization percentage should be a [1-100] integer");
    }
  }
}
