package io.stowage.serving.workload;

/** KServe's names for a predictor's objects. */
public final class Names {
  public static final String ISVC_LABEL = "serving.kserve.io/inferenceservice";
  public static final String COMPONENT_LABEL = "component";
  public static final String PREDICTOR = "predictor";
  public static final String APP_LABEL = "app";

  private Names() {}

  /** {@code foo-predictor}: the Deployment, Service and HPA. */
  public static String predictor(String isvcName) {
    return isvcName + "-" + PREDICTOR;
  }

  /** {@code isvc.foo-predictor}: the {@code app} label and the selector. */
  public static String appLabel(String isvcName) {
    return "isvc." + predictor(isvcName);
  }
}
