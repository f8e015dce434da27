package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.config.StorageInitializerConfig;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * KServe's modelcar ({@code ConfigureModelcarToContainer}): the image runs as a sidecar whose
 * {@code /models} the model container reaches through the shared process namespace, a {@code
 * modelcar-init} init container pre-pulls and checks it, and the model container is told the model
 * appears asynchronously.
 */
final class Modelcar {
  static final String SIDECAR = "modelcar";
  static final String INIT = "modelcar-init";
  static final String MODEL_INIT_MODE = "MODEL_INIT_MODE";

  private Modelcar() {}

  /** The sidecar's script; {@code $$$$} reaches the shell as {@code $$}, its own PID. */
  static String sidecarScript(String modelPath) {
    return "ln -sf /proc/$$$$/root/models " + modelPath + " && sleep infinity";
  }

  static String initScript(String image) {
    return "echo 'Pre-fetching modelcar "
        + image
        + ": ' && [ -d /models ] && [ \"$$(ls -A /models)\" ] && echo 'OK ... Prefetched and"
        + " valid (/models exists)' || (echo 'NOK ... Prefetched but modelcar is invalid"
        + " (/models does not exist or is empty)' && exit 1)";
  }

  /**
   * Wires {@code image} into {@code pod} for the model containers. {@code hardened}: the pod passed
   * the restricted profile, so the added containers get security contexts that keep it passing.
   */
  static void wire(PodSpec pod, String image, boolean hardened, WiringContext ctx) {
    StorageInitializerConfig config = ctx.config();
    @Nullable Long uid = config.uidModelcar();
    String parent = parentOf(StorageWiring.MODEL_PATH);
    PodEdits.addVolumeIfAbsent(
        pod,
        new VolumeBuilder()
            .withName(StorageWiring.MODEL_VOLUME)
            .withNewEmptyDir()
            .endEmptyDir()
            .build());
    for (Container target : PodEdits.modelContainers(pod)) {
      PodEdits.putEnv(target, MODEL_INIT_MODE, "async");
      PodEdits.addMount(target, PodEdits.mount(StorageWiring.MODEL_VOLUME, parent, false, null));
      if (uid != null) {
        // KServe 0.18+: only runAsUser changes; the runtime's other settings stay.
        SecurityContext s =
            Objects.requireNonNullElseGet(target.getSecurityContext(), SecurityContext::new);
        s.setRunAsUser(uid);
        target.setSecurityContext(s);
      }
    }
    pod.setShareProcessNamespace(true);
    ResourceRequirements resources =
        new ResourceRequirementsBuilder()
            .addToLimits("cpu", new Quantity(config.cpuModelcar()))
            .addToLimits("memory", new Quantity(config.memoryModelcar()))
            .addToRequests("cpu", new Quantity(config.cpuModelcar()))
            .addToRequests("memory", new Quantity(config.memoryModelcar()))
            .build();
    if (PodEdits.containerNamed(pod, SIDECAR).isEmpty()) {
      Container sidecar =
          new ContainerBuilder()
              .withName(SIDECAR)
              .withImage(image)
              .withArgs("sh", "-c", sidecarScript(StorageWiring.MODEL_PATH))
              .withResources(resources)
              .withTerminationMessagePolicy("FallbackToLogsOnError")
              .withVolumeMounts(PodEdits.mount(StorageWiring.MODEL_VOLUME, parent, false, null))
              .build();
      if (hardened) {
        sidecar.setSecurityContext(RestrictedPodSecurity.hardened(uid, pod));
      } else if (uid != null) {
        sidecar.setSecurityContext(new SecurityContextBuilder().withRunAsUser(uid).build());
      }
      PodEdits.appendContainer(pod, sidecar);
    }
    if (!PodEdits.hasInitContainer(pod, INIT)) {
      Container init =
          new ContainerBuilder()
              .withName(INIT)
              .withImage(image)
              .withArgs("sh", "-c", initScript(image))
              .withResources(ServingJson.copy(resources, ResourceRequirements.class))
              .withTerminationMessagePolicy("FallbackToLogsOnError")
              .build();
      if (hardened) {
        init.setSecurityContext(RestrictedPodSecurity.hardened(uid, pod));
      }
      PodEdits.appendInitContainer(pod, init);
    }
  }

  /** {@code /mnt} for {@code /mnt/models}. */
  static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
