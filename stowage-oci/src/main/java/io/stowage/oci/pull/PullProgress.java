package io.stowage.oci.pull;

import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import java.util.List;

/**
 * What a pull reports while it runs, for a display: the layers it will fetch, bytes as they arrive
 * per layer, and each layer once it is verified and extracted. Called from worker threads.
 */
public interface PullProgress {
  PullProgress NONE = new PullProgress() {};

  /**
   * The pull begins fetching.
   *
   * @param layers every layer of the image
   * @param toFetch those not already extracted by an earlier run
   */
  default void planned(List<Descriptor> layers, List<Descriptor> toFetch) {}

  default void fetched(Digest layer, long bytes) {}

  default void retried() {}

  default void layerDone(Descriptor layer) {}
}
