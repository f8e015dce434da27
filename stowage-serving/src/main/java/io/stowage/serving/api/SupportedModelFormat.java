package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One of a runtime's {@code supportedModelFormats}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SupportedModelFormat(
    @Nullable String name,
    @Nullable String version,
    @Nullable Boolean autoSelect,
    @Nullable Integer priority,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public SupportedModelFormat {
    otherFields = ServingJson.otherFields(otherFields);
  }

  public boolean autoSelectable() {
    return Boolean.TRUE.equals(autoSelect);
  }
}
