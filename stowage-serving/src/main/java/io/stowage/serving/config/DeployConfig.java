package io.stowage.serving.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The {@code deploy} section: the mode for InferenceServices without the {@code
 * serving.kserve.io/deploymentMode} annotation, and the default rollout. A fresh kustomize install
 * says {@code Serverless} (Knative); Alauda sets {@code RawDeployment} (Standard).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeployConfig(
    @Nullable String defaultDeploymentMode, @Nullable RolloutStrategy deploymentRolloutStrategy) {
  public static final DeployConfig FRESH_INSTALL = new DeployConfig("Serverless", null);

  /** {@code deploymentRolloutStrategy}. */
  public record RolloutStrategy(@Nullable Rollout defaultRollout) {}

  /** {@code deploymentRolloutStrategy.defaultRollout}. */
  public record Rollout(@Nullable String maxSurge, @Nullable String maxUnavailable) {}

  /** The configured default rollout, or null. */
  public @Nullable Rollout defaultRollout() {
    return deploymentRolloutStrategy == null ? null : deploymentRolloutStrategy.defaultRollout();
  }
}
