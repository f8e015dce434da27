package io.stowage.serving;

/**
 * One reason an InferenceService cannot be planned: the field at fault, as a path into the manifest
 * ({@code spec.predictor.model.runtime}), and a message that says what to change. Messages KServe
 * defines are KServe's words.
 */
public record PlanError(String field, String message) {
  /**
   * Line breaks and tabs become spaces, other control characters {@code ?}: whatever a message
   * quotes (a JSON mapper's location, a user's value), a plan error stays the one line that a
   * condition, an event and {@code stowage render} show.
   */
  public PlanError {
    StringBuilder out = new StringBuilder(message.length());
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      boolean control = c < 0x20 || c == 0x7f;
      out.append(!control ? c : (c == '\n' || c == '\r' || c == '\t') ? ' ' : '?');
    }
    message = out.toString();
  }

  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
