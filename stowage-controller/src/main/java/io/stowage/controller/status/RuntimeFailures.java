package io.stowage.controller.status;

import io.stowage.controller.crd.ModelStatus;
import io.stowage.serving.PlanError;
import java.util.Optional;

/**
 * KServe's {@code lastFailureInfo} for a runtime that cannot serve the model (reference §3.2): the
 * planner's error says which case it is.
 */
final class RuntimeFailures {
  private RuntimeFailures() {}

  static Optional<ModelStatus.FailureInfo> of(PlanError error) {
    String m = error.message();
    if (m.startsWith("No ServingRuntimes or ClusterServingRuntimes with the name")) {
      return info("RuntimeNotRecognized", "Waiting for runtime to become available");
    }
    if (m.startsWith("specified runtime ") && m.endsWith(" is disabled")) {
      return info("RuntimeDisabled", "Specified runtime is disabled");
    }
    if (m.endsWith("does not support specified protocol version")) {
      return info(
          "NoSupportingRuntime", "Specified runtime does not support specified protocol version");
    }
    if (m.endsWith("does not support specified framework/version")) {
      return info(
          "NoSupportingRuntime", "Specified runtime does not support specified framework/version");
    }
    if (m.startsWith("no runtime found to support predictor")) {
      return info("NoSupportingRuntime", "No runtime found to support specified framework/version");
    }
    return Optional.empty();
  }

  private static Optional<ModelStatus.FailureInfo> info(String reason, String message) {
    return Optional.of(new ModelStatus.FailureInfo(null, reason, message, null, null, null));
  }
}
