package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One of a ClusterStorageContainer's {@code supportedUriFormats}: a prefix or a regex. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SupportedUriFormat(
    @Nullable String prefix,
    @Nullable String regex,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  public SupportedUriFormat {
    otherFields = ServingJson.otherFields(otherFields);
  }
}
