package io.stowage.controller.crd;

/** Names of KServe's API shared by the resource types. */
public final class KServe {
  public static final String GROUP = "serving.kserve.io";

  private KServe() {}
}
