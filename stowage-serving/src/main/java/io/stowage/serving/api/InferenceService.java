package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code serving.kserve.io/v1beta1} InferenceService. {@code status} is kept as JSON: the planner
 * never reads it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "status"})
public record InferenceService(
    @Nullable String apiVersion,
    @Nullable String kind,
    ObjectMeta metadata,
    InferenceServiceSpec spec,
    @Nullable JsonNode status,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public static final String API_VERSION = "serving.kserve.io/v1beta1";
  public static final String KIND = "InferenceService";

  public InferenceService {
    metadata = metadata == null ? new ObjectMeta() : metadata;
    spec = spec == null ? InferenceServiceSpec.EMPTY : spec;
    otherFields = ServingJson.otherFields(otherFields);
  }

  /** {@code metadata.name}, empty when missing. */
  public String name() {
    return Objects.requireNonNullElse(metadata.getName(), "");
  }

  /** {@code metadata.namespace}, empty when missing. */
  public String namespace() {
    return Objects.requireNonNullElse(metadata.getNamespace(), "");
  }

  /** {@code metadata.annotations}, never null. */
  public Map<String, String> annotations() {
    return StringMaps.orEmpty(metadata.getAnnotations());
  }

  /** {@code metadata.labels}, never null. */
  public Map<String, String> labels() {
    return StringMaps.orEmpty(metadata.getLabels());
  }

  /** {@code spec.predictor}, empty when missing. */
  public PredictorSpec predictor() {
    return Objects.requireNonNullElse(spec.predictor(), PredictorSpec.EMPTY);
  }
}
