package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The volume a storage-initializer downloads into ({@code storage.stowage.io/download-volume}):
 * KServe's emptyDir, optionally with a {@code sizeLimit}; a generic ephemeral volume of a
 * StorageClass, so that a big model lands on a provisioned disk and not the node's root disk; or an
 * existing PersistentVolumeClaim.
 */
public sealed interface DownloadTarget {
  DownloadTarget DEFAULT = new EmptyDir(null);

  /** The volume named {@code name} this target stands for. */
  Volume volume(String name);

  record EmptyDir(@Nullable String sizeLimit) implements DownloadTarget {
    @Override
    public Volume volume(String name) {
      VolumeBuilder b = new VolumeBuilder().withName(name);
      return sizeLimit == null
          ? b.withNewEmptyDir().endEmptyDir().build()
          : b.withNewEmptyDir().withSizeLimit(new Quantity(sizeLimit)).endEmptyDir().build();
    }
  }

  /** A PVC created and deleted with each pod; {@code storageClass} null is the cluster default. */
  record Ephemeral(String size, @Nullable String storageClass) implements DownloadTarget {
    @Override
    public Volume volume(String name) {
      return new VolumeBuilder()
          .withName(name)
          .withNewEphemeral()
          .withNewVolumeClaimTemplate()
          .withNewSpec()
          .withAccessModes("ReadWriteOnce")
          .withStorageClassName(storageClass)
          .withNewResources()
          .addToRequests("storage", new Quantity(size))
          .endResources()
          .endSpec()
          .endVolumeClaimTemplate()
          .endEphemeral()
          .build();
    }
  }

  /**
   * An existing claim, shared by every replica: it must allow that access (ReadWriteMany, or one
   * replica), which the cluster checks when the pod is scheduled.
   */
  record Claim(String claimName) implements DownloadTarget {
    @Override
    public Volume volume(String name) {
      return new VolumeBuilder()
          .withName(name)
          .withNewPersistentVolumeClaim()
          .withClaimName(claimName)
          .endPersistentVolumeClaim()
          .build();
    }
  }
}
