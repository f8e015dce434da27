package io.stowage.controller.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * A Knative-style condition, as KServe writes them: {@code status} is {@code True}, {@code False}
 * or {@code Unknown}; {@code lastTransitionTime} changes only when {@code status} does.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "status", "severity", "lastTransitionTime", "reason", "message"})
public record Condition(
    String type,
    String status,
    @Nullable String severity,
    @Nullable String lastTransitionTime,
    @Nullable String reason,
    @Nullable String message) {
  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  /** The same condition observed at another time: equal but for {@code lastTransitionTime}. */
  public boolean sameAs(Condition other) {
    return type.equals(other.type)
        && status.equals(other.status)
        && java.util.Objects.equals(severity, other.severity)
        && java.util.Objects.equals(reason, other.reason)
        && java.util.Objects.equals(message, other.message);
  }
}
