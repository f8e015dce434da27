package io.stowage.serving;

/**
 * One reason an InferenceService cannot be planned: the field at fault, as a path into the manifest
 * ({@code spec.predictor.model.runtime}), and a message that says what to change. Messages KServe
 * defines are KServe's words.
 */
public record PlanError(String field, String message) {
  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
