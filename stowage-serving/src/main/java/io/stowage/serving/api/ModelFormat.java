package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code predictor.model.modelFormat}: the framework name and an optional version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelFormat(
    @Nullable String name,
    @Nullable String version,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public ModelFormat {
    otherFields = ServingJson.otherFields(otherFields);
  }

  public static ModelFormat named(String name) {
    return new ModelFormat(name, null, Map.of());
  }
}
