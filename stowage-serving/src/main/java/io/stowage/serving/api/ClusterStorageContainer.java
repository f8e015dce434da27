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
 * {@code serving.kserve.io/v1alpha1} ClusterStorageContainer: the init container used for the URIs
 * it matches. {@code disabled} sits beside {@code spec}, as in KServe's type.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec", "disabled"})
public record ClusterStorageContainer(
    @Nullable String apiVersion,
    @Nullable String kind,
    ObjectMeta metadata,
    StorageContainerSpec spec,
    @Nullable Boolean disabled,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public static final String KIND = "ClusterStorageContainer";

  public ClusterStorageContainer {
    metadata = metadata == null ? new ObjectMeta() : metadata;
    spec = spec == null ? StorageContainerSpec.EMPTY : spec;
    otherFields = ServingJson.otherFields(otherFields);
  }

  public String name() {
    return Objects.requireNonNullElse(metadata.getName(), "");
  }

  public boolean disabledFlag() {
    return Boolean.TRUE.equals(disabled);
  }
}
