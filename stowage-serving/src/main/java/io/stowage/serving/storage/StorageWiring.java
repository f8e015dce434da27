package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.stowage.common.UriRedaction;
import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.credentials.InitializerCredentials;
import java.util.List;
import java.util.Optional;

/**
 * Writes a model source into a pod spec, per URI kind, as KServe's pod webhook and controller would
 * (reference §1): a download into an emptyDir by the {@code storage-initializer}, a PVC mounted
 * directly, an OCI image as a modelcar sidecar or an image volume. Stowage writes all of it into
 * the Deployment's pod template: what runs is what the Deployment shows.
 */
public final class StorageWiring {
  public static final String INIT_CONTAINER = "storage-initializer";
  public static final String MODEL_VOLUME = "kserve-provision-location";
  public static final String PVC_VOLUME = "kserve-pvc-source";
  public static final String IMAGE_VOLUME = "kserve-model-image";
  public static final String MODEL_PATH = "/mnt/models";
  public static final String READONLY_ANNOTATION = "storage.kserve.io/readonly";

  private StorageWiring() {}

  /**
   * Wires one {@code storageUri}. {@code presetCredentials} replaces the ServiceAccount's (the
   * {@code storage:} spec path).
   */
  public static void single(
      PodSpec pod,
      ModelUri uri,
      Optional<InitializerCredentials> presetCredentials,
      WiringContext ctx) {
    List<Container> targets = PodEdits.modelContainers(pod);
    if (targets.isEmpty()) {
      ctx.errors().add("spec.predictor", "Invalid configuration: cannot find container");
      return;
    }
    boolean restricted = RestrictedPodSecurity.passes(pod);
    if (uri instanceof ModelUri.Pvc pvc) {
      ignoredPolicy(uri, "is mounted directly", ctx);
      pvc(pod, pvc, targets, ctx);
    } else if (uri instanceof ModelUri.Oci oci
        && (oci.imageVolume() || ctx.config().ociImageVolumes())) {
      ignoredPolicy(uri, "is mounted as an image volume", ctx);
      imageVolume(pod, oci, targets);
    } else if (uri instanceof ModelUri.Oci oci && ctx.config().enableModelcar()) {
      ignoredPolicy(uri, "is served by a modelcar", ctx);
      Modelcar.wire(pod, oci.image(), restricted, ctx);
    } else if (!ctx.policy().initializer()) {
      RuntimeStreaming.wire(pod, uri, presetCredentials.orElseGet(ctx.credentials()), targets);
      return;
    } else {
      download(pod, uri, presetCredentials, targets, restricted, ctx);
    }
    targets.forEach(t -> PodEdits.rewriteStorageUriEnv(t, MODEL_PATH));
  }

  private static void download(
      PodSpec pod,
      ModelUri uri,
      Optional<InitializerCredentials> presetCredentials,
      List<Container> targets,
      boolean restricted,
      WiringContext ctx) {
    if (PodEdits.hasInitContainer(pod, INIT_CONTAINER)) {
      ctx.errors().warn("the pod already has an init container " + INIT_CONTAINER + "; kept as is");
      return;
    }
    PodEdits.addVolumeIfAbsent(pod, ctx.policy().target().volume(MODEL_VOLUME));
    for (Container t : targets) {
      PodEdits.addMount(t, PodEdits.mount(MODEL_VOLUME, MODEL_PATH, ctx.readOnlyModel(), null));
    }
    Optional<ClusterStorageContainer> sc = ctx.storageContainer(uri.text());
    InitializerCredentials credentials = presetCredentials.orElseGet(ctx.credentials());
    StorageInitializerContainer.add(
        pod,
        List.of(uri.text(), MODEL_PATH),
        List.of(PodEdits.mount(MODEL_VOLUME, MODEL_PATH, false, null)),
        sc,
        credentials,
        ctx);
    if (restricted) {
      Hardening.harden(pod, INIT_CONTAINER, null, ctx);
    }
  }

  private static void pvc(
      PodSpec pod, ModelUri.Pvc pvc, List<Container> targets, WiringContext ctx) {
    PodEdits.addVolumeIfAbsent(
        pod,
        new VolumeBuilder()
            .withName(PVC_VOLUME)
            .withNewPersistentVolumeClaim()
            .withClaimName(pvc.claim())
            .endPersistentVolumeClaim()
            .build());
    for (Container t : targets) {
      PodEdits.addMount(t, PodEdits.mount(PVC_VOLUME, MODEL_PATH, ctx.readOnlyModel(), pvc.path()));
    }
  }

  /**
   * A Kubernetes image volume (1.33+: {@code subPath} into image volumes): the image's {@code
   * /models} at the model path, read-only by nature; no sidecar, no process-namespace sharing.
   */
  private static void imageVolume(PodSpec pod, ModelUri.Oci oci, List<Container> targets) {
    Volume volume =
        new VolumeBuilder()
            .withName(IMAGE_VOLUME)
            .withNewImage()
            .withReference(oci.image())
            .withPullPolicy("IfNotPresent")
            .endImage()
            .build();
    PodEdits.addVolumeIfAbsent(pod, volume);
    for (Container t : targets) {
      PodEdits.addMount(t, PodEdits.mount(IMAGE_VOLUME, MODEL_PATH, true, "models"));
    }
  }

  /** The storage.stowage.io/ annotations concern downloads; say when a source has none. */
  private static void ignoredPolicy(ModelUri uri, String how, WiringContext ctx) {
    if (!ctx.policy().given().isEmpty()) {
      ctx.errors()
          .warn(
              String.join(", ", new java.util.TreeSet<>(ctx.policy().given()))
                  + " ignored: "
                  + UriRedaction.redact(uri.text())
                  + " "
                  + how
                  + ", nothing is downloaded");
    }
  }

  static VolumeMount writable(String volume, String path) {
    return PodEdits.mount(volume, path, false, null);
  }
}
