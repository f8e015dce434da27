package io.stowage.serving.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An InferenceService's spec: the predictor, and the components Stowage does not plan yet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InferenceServiceSpec(
    @Nullable PredictorSpec predictor,
    @Nullable JsonNode transformer,
    @Nullable JsonNode explainer,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> otherFields) {
  static final InferenceServiceSpec EMPTY = new InferenceServiceSpec(null, null, null, Map.of());

  public InferenceServiceSpec {
    otherFields = ServingJson.otherFields(otherFields);
  }
}
