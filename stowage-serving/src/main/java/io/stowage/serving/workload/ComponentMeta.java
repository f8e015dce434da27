package io.stowage.serving.workload;

import io.stowage.serving.api.InferenceService;
import io.stowage.serving.api.ServingRuntime;
import io.stowage.serving.config.InferenceServiceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The labels and annotations of the predictor's objects and pods (reference §4.2): the runtime's
 * {@code spec.labels}/{@code spec.annotations}, then the InferenceService's, then the predictor's,
 * then KServe's own; annotations lose KServe's disallowed list and gain the internal ones.
 */
public record ComponentMeta(Map<String, String> labels, Map<String, String> annotations) {
  public static final String SOURCE_URI_ANNOTATION =
      "internal.serving.kserve.io/storage-initializer-sourceuri";

  /** Never copied from the InferenceService. */
  static final List<String> DISALLOWED_ANNOTATIONS =
      List.of(
          "autoscaling.knative.dev/min-scale",
          "autoscaling.knative.dev/max-scale",
          SOURCE_URI_ANNOTATION,
          "kubectl.kubernetes.io/last-applied-configuration",
          "modelFormat");

  public ComponentMeta {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public static ComponentMeta of(
      InferenceService isvc,
      Optional<ServingRuntime> runtime,
      Map<String, String> internalAnnotations,
      InferenceServiceConfig config) {
    Map<String, String> labels = new LinkedHashMap<>();
    runtime.ifPresent(r -> labels.putAll(r.spec().labelsOrEmpty()));
    labels.putAll(isvc.labels());
    labels.putAll(isvc.predictor().labelsOrEmpty());
    labels.put(Names.ISVC_LABEL, isvc.name());
    labels.put(Names.COMPONENT_LABEL, Names.PREDICTOR);
    labels.put(Names.APP_LABEL, Names.appLabel(isvc.name()));

    Map<String, String> annotations = new LinkedHashMap<>();
    runtime.ifPresent(r -> annotations.putAll(r.spec().annotationsOrEmpty()));
    annotations.putAll(isvc.annotations());
    annotations.putAll(isvc.predictor().annotationsOrEmpty());
    DISALLOWED_ANNOTATIONS.forEach(annotations::remove);
    config.inferenceService().serviceAnnotationDisallowedList().forEach(annotations::remove);
    annotations.putAll(internalAnnotations);
    return new ComponentMeta(labels, annotations);
  }
}
