package io.stowage.serving.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.stowage.serving.PlanErrors;
import io.stowage.serving.api.ModelSpec;

/** Checks on {@code predictor.model}. */
final class ModelChecks {
  private static final String FIELD = "spec.predictor.model";

  private ModelChecks() {}

  static void check(ModelSpec model, PlanErrors errors) {
    JsonNode name = model.otherFields().get("name");
    if (name != null && !name.asText().isEmpty()) {
      errors.add(FIELD + ".name", "the 'name' field is not allowed in standard predictor");
    }
    if (model.formatName().isEmpty()) {
      errors.add(
          FIELD + ".modelFormat.name",
          "required: name the model's format (e.g. transformers), which selects the runtime");
    }
    String uri = model.storageUri();
    if (uri != null && !uri.isEmpty()) {
      UriChecks.check(FIELD + ".storageUri", uri, errors);
    }
    JsonNode resources = model.otherFields().get("resources");
    if (resources != null) {
      InferenceServiceValidator.resources(FIELD + ".resources", resources, errors);
    }
  }
}
