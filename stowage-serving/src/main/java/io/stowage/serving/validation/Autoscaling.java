package io.stowage.serving.validation;

import java.util.List;
import java.util.Optional;

/** KServe's {@code serving.kserve.io/autoscalerClass} values. */
public enum Autoscaling {
  HPA("hpa"),
  EXTERNAL("external"),
  KEDA("keda"),
  NONE("none");

  public static final String ANNOTATION = "serving.kserve.io/autoscalerClass";
  public static final List<String> METRICS = List.of("cpu", "memory");

  private final String value;

  Autoscaling(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<Autoscaling> parse(String value) {
    for (Autoscaling a : values()) {
      if (a.value.equals(value)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
