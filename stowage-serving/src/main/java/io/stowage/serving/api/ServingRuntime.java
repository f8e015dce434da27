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
 * {@code serving.kserve.io/v1alpha1} ServingRuntime (namespaced) or ClusterServingRuntime: one
 * record, told apart by {@link #kind()}, as KServe shares the spec type between them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"apiVersion", "kind", "metadata", "spec"})
public record ServingRuntime(
    @Nullable String apiVersion,
    @Nullable String kind,
    ObjectMeta metadata,
    ServingRuntimeSpec spec,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public static final String API_VERSION = "serving.kserve.io/v1alpha1";
  public static final String KIND = "ServingRuntime";
  public static final String CLUSTER_KIND = "ClusterServingRuntime";

  public ServingRuntime {
    metadata = metadata == null ? new ObjectMeta() : metadata;
    spec = spec == null ? ServingRuntimeSpec.EMPTY : spec;
    otherFields = ServingJson.otherFields(otherFields);
  }

  /** True for a ClusterServingRuntime. */
  public boolean clusterScoped() {
    return CLUSTER_KIND.equals(kind);
  }

  /** {@code metadata.name}, empty when missing. */
  public String name() {
    return Objects.requireNonNullElse(metadata.getName(), "");
  }

  /** {@code metadata.namespace}, empty when missing (always, for a ClusterServingRuntime). */
  public String namespace() {
    return Objects.requireNonNullElse(metadata.getNamespace(), "");
  }
}
