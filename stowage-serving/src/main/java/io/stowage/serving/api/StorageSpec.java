package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code predictor.model.storage}: an entry of the {@code storage-config} Secret ({@code key}),
 * overridden by {@code parameters}, and the path inside the bucket.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StorageSpec(
    @Nullable String path,
    @Nullable String schemaPath,
    @Nullable Map<String, String> parameters,
    @Nullable String key,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public StorageSpec {
    otherFields = ServingJson.otherFields(otherFields);
  }

  /** {@code parameters}, never null. */
  public Map<String, String> parametersOrEmpty() {
    return parameters == null ? Map.of() : parameters;
  }
}
