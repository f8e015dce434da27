package io.stowage.serving.config;

import java.util.Optional;

/** KServe's deployment modes, with the legacy names normalized as its v0.19 webhook does. */
public enum DeploymentMode {
  STANDARD("Standard"),
  KNATIVE("Knative"),
  MODEL_MESH("ModelMesh");

  public static final String ANNOTATION = "serving.kserve.io/deploymentMode";
  public static final String INVALID =
      "invalid deployment mode. Supported modes are Knative, Standard and ModelMesh";

  private final String label;

  DeploymentMode(String label) {
    this.label = label;
  }

  /** The name as KServe writes it to {@code status.deploymentMode}. */
  public String label() {
    return label;
  }

  /**
   * {@code Standard}/{@code RawDeployment}, {@code Knative}/{@code Serverless}, {@code ModelMesh}.
   */
  public static Optional<DeploymentMode> parse(String value) {
    return switch (value) {
      case "Standard", "RawDeployment" -> Optional.of(STANDARD);
      case "Knative", "Serverless" -> Optional.of(KNATIVE);
      case "ModelMesh" -> Optional.of(MODEL_MESH);
      default -> Optional.empty();
    };
  }
}
