package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Objects;

/**
 * KServe's global CA bundle (reference §1.3): the config's {@code caBundleConfigMapName} names a
 * ConfigMap in the controller's namespace; outside KServe's namespace the planner mounts a copy of
 * it named {@link #COPY_NAME}, which the controller makes (KServe's {@code
 * reconcilers/cabundleconfigmap}), holding the certificates under {@link #KEY}.
 */
public final class GlobalCaBundle {
  /** The copy's name in a model namespace. */
  public static final String COPY_NAME = "global-ca-bundle";

  /** The key the certificates are read from, in the original and in the copy. */
  public static final String KEY = "cabundle.crt";

  /** The init container's volume for the bundle. */
  static final String VOLUME = "cabundle-cert";

  private GlobalCaBundle() {}

  /** True when {@code pod} mounts the copy, which then must exist in its namespace. */
  public static boolean mountsCopy(PodSpec pod) {
    for (Volume v : Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of())) {
      if (VOLUME.equals(v.getName())
          && v.getConfigMap() != null
          && COPY_NAME.equals(v.getConfigMap().getName())) {
        return true;
      }
    }
    return false;
  }
}
