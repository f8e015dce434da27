package io.stowage.serving.workload;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTargetBuilder;
import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.PredictorSpec;
import java.util.Objects;

/**
 * The predictor HPA (autoscaling/v2, reference §4.2): {@code minReplicas} at least 1, {@code
 * maxReplicas} at least {@code minReplicas}, one resource metric at {@code Utilization} ({@code
 * cpu} at 80 % unless set; {@code memory} only with a target).
 */
public final class AutoscalerPlanner {
  static final int DEFAULT_CPU_TARGET = 80;

  private AutoscalerPlanner() {}

  public static HorizontalPodAutoscaler plan(InferenceService isvc, ComponentMeta meta) {
    PredictorSpec p = isvc.predictor();
    int min = Math.max(Objects.requireNonNullElse(p.minReplicas(), 1), 1);
    int max = Math.max(Objects.requireNonNullElse(p.maxReplicas(), 0), min);
    return new HorizontalPodAutoscalerBuilder()
        .withMetadata(DeploymentPlanner.objectMeta(isvc, meta))
        .withNewSpec()
        .withNewScaleTargetRef()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(Names.predictor(isvc.name()))
        .endScaleTargetRef()
        .withMinReplicas(min)
        .withMaxReplicas(max)
        .withMetrics(metric(p))
        .withBehavior(new HorizontalPodAutoscalerBehavior())
        .endSpec()
        .build();
  }

  private static MetricSpec metric(PredictorSpec p) {
    String name = p.scaleMetric() == null ? "cpu" : p.scaleMetric();
    Integer target = p.scaleTarget();
    if (target == null && name.equals("cpu")) {
      target = DEFAULT_CPU_TARGET;
    }
    MetricTargetBuilder t = new MetricTargetBuilder().withType("Utilization");
    if (target != null) {
      t.withAverageUtilization(target);
    }
    return new MetricSpecBuilder()
        .withType("Resource")
        .withNewResource()
        .withName(name)
        .withTarget(t.build())
        .endResource()
        .build();
  }
}
