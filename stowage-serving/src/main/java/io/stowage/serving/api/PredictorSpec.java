package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code spec.predictor}: KServe's component fields on top of an inline core PodSpec ({@code
 * serviceAccountName}, {@code securityContext}, {@code containers}, {@code volumes}, ...), which
 * stay in {@link #otherFields} and are read through {@link #podSpec()}. Legacy framework specs
 * ({@code sklearn:}, {@code pytorch:}, ...) also stay there; see {@link #frameworks()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PredictorSpec(
    @Nullable ModelSpec model,
    @Nullable List<StorageUriSpec> storageUris,
    @Nullable JsonNode workerSpec,
    @Nullable Integer minReplicas,
    @Nullable Integer maxReplicas,
    @Nullable Integer scaleTarget,
    @Nullable String scaleMetric,
    @Nullable Long containerConcurrency,
    @Nullable Long timeout,
    @Nullable Long canaryTrafficPercent,
    @Nullable JsonNode logger,
    @Nullable JsonNode batcher,
    @Nullable Map<String, String> labels,
    @Nullable Map<String, String> annotations,
    @Nullable DeploymentStrategy deploymentStrategy,
    @Nullable JsonNode autoScaling,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {

  /** The legacy framework fields that KServe's webhook turns into {@code model}. */
  public static final List<String> FRAMEWORKS =
      List.of(
          "sklearn",
          "xgboost",
          "tensorflow",
          "pytorch",
          "triton",
          "onnx",
          "pmml",
          "lightgbm",
          "paddle",
          "huggingface");

  static final PredictorSpec EMPTY =
      new PredictorSpec(
          null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, Map.of());

  public PredictorSpec {
    otherFields = ServingJson.otherFields(otherFields);
  }

  /** The inline pod spec: every PodSpec field the manifest sets, nothing else. */
  public PodSpec podSpec() {
    return ServingJson.convertKnown(otherFields, PodSpec.class);
  }

  /** {@code storageUris}, never null. */
  public List<StorageUriSpec> storageUrisOrEmpty() {
    return storageUris == null ? List.of() : storageUris;
  }

  /** {@code labels}, never null. */
  public Map<String, String> labelsOrEmpty() {
    return StringMaps.orEmpty(labels);
  }

  /** {@code annotations}, never null. */
  public Map<String, String> annotationsOrEmpty() {
    return StringMaps.orEmpty(annotations);
  }

  /** The legacy framework specs present, by framework name, in manifest order. */
  public Map<String, JsonNode> frameworks() {
    Map<String, JsonNode> found = new LinkedHashMap<>();
    otherFields.forEach(
        (name, value) -> {
          if (FRAMEWORKS.contains(name) && value != null && value.isObject()) {
            found.put(name, value);
          }
        });
    return found;
  }

  /**
   * {@code storageContainerName} (KServe v0.20): the ClusterStorageContainer to use instead of the
   * first that matches the URI, or null. Kept among {@link #otherFields} so that the record and
   * deploy/'s generated CRD stay as they are (the predictor's schema preserves unknown fields).
   */
  public @Nullable String storageContainerName() {
    JsonNode name = otherFields.get(STORAGE_CONTAINER_NAME);
    return name != null && name.isTextual() && !name.asText().isEmpty() ? name.asText() : null;
  }

  static final String STORAGE_CONTAINER_NAME = "storageContainerName";

  /** Fields that are neither KServe's nor a PodSpec's (KServe's API server prunes them). */
  public Map<String, JsonNode> unknownFields() {
    Map<String, JsonNode> unknown = ServingJson.unknownTo(otherFields, PodSpec.class);
    FRAMEWORKS.forEach(unknown::remove);
    unknown.remove(STORAGE_CONTAINER_NAME);
    return unknown;
  }
}
