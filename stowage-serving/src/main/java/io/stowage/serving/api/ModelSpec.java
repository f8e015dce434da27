package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code predictor.model}: KServe's model fields on top of an inline core Container ({@code
 * resources}, {@code args}, {@code env}, {@code image}, ...), which stay in {@link #otherFields}
 * and are read through {@link #container()}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelSpec(
    @Nullable ModelFormat modelFormat,
    @Nullable String runtime,
    @Nullable String runtimeVersion,
    @Nullable String protocolVersion,
    @Nullable String storageUri,
    @Nullable StorageSpec storage,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public ModelSpec {
    otherFields = ServingJson.otherFields(otherFields);
  }

  /** The inline container: every Container field the manifest sets, nothing else. */
  public Container container() {
    return ServingJson.convertKnown(otherFields, Container.class);
  }

  /** Fields that are neither KServe's nor a Container's (KServe's API server prunes them). */
  public Map<String, JsonNode> unknownFields() {
    return ServingJson.unknownTo(otherFields, Container.class);
  }

  /** {@code modelFormat.name}, empty when missing. */
  public String formatName() {
    return modelFormat == null || modelFormat.name() == null ? "" : modelFormat.name();
  }
}
