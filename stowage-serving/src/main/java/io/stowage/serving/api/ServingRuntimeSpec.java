package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The spec shared by ServingRuntime and ClusterServingRuntime: formats, protocols and switches
 * typed, the inline pod parts ({@code containers}, {@code volumes}, {@code nodeSelector}, ...) in
 * {@link #otherFields}, read through {@link #podSpec()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServingRuntimeSpec(
    @Nullable List<SupportedModelFormat> supportedModelFormats,
    @Nullable List<String> protocolVersions,
    @Nullable Boolean multiModel,
    @Nullable Boolean disabled,
    @Nullable JsonNode workerSpec,
    @Nullable Map<String, String> labels,
    @Nullable Map<String, String> annotations,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  static final ServingRuntimeSpec EMPTY =
      new ServingRuntimeSpec(null, null, null, null, null, null, null, Map.of());

  public ServingRuntimeSpec {
    otherFields = ServingJson.otherFields(otherFields);
  }

  /** The inline pod parts as a PodSpec (KServe ignores {@code hostIPC} in Standard mode). */
  public PodSpec podSpec() {
    return ServingJson.convertKnown(otherFields, PodSpec.class);
  }

  public List<SupportedModelFormat> formatsOrEmpty() {
    return supportedModelFormats == null ? List.of() : supportedModelFormats;
  }

  public List<String> protocolsOrEmpty() {
    return protocolVersions == null ? List.of() : protocolVersions;
  }

  public Map<String, String> labelsOrEmpty() {
    return StringMaps.orEmpty(labels);
  }

  public Map<String, String> annotationsOrEmpty() {
    return StringMaps.orEmpty(annotations);
  }

  public boolean disabledFlag() {
    return Boolean.TRUE.equals(disabled);
  }

  public boolean multiModelFlag() {
    return Boolean.TRUE.equals(multiModel);
  }
}
