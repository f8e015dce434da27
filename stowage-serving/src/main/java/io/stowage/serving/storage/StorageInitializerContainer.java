package io.stowage.serving.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.stowage.serving.api.ClusterStorageContainer;
import io.stowage.serving.api.ServingJson;
import io.stowage.serving.config.InferenceServiceConfig;
import io.stowage.serving.config.StorageInitializerConfig;
import io.stowage.serving.credentials.EnvMerge;
import io.stowage.serving.credentials.InitializerCredentials;
import io.stowage.serving.credentials.S3Env;
import io.stowage.serving.pod.StrategicMerge;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code storage-initializer} init container as KServe's injector builds it (§1.3 of the
 * reference): config image, args, resources; then credentials; then the matching
 * ClusterStorageContainer merged over it; then the CA bundle and the Hugging Face transfer
 * settings, each only if not already set.
 */
final class StorageInitializerContainer {
  static final String CA_VOLUME = GlobalCaBundle.VOLUME;
  static final String GLOBAL_CA_BUNDLE = GlobalCaBundle.COPY_NAME;
  static final String UID_ANNOTATION = "serving.kserve.io/storage-initializer-uid";
  private static final List<EnvVar> HF_ENV =
      List.of(
          new EnvVar("HF_HUB_ENABLE_HF_TRANSFER", "1", null),
          new EnvVar("HF_XET_HIGH_PERFORMANCE", "1", null),
          new EnvVar("HF_XET_NUM_CONCURRENT_RANGE_GETS", "8", null));

  private StorageInitializerContainer() {}

  /**
   * Builds the container, adds the volumes it needs to {@code pod} and appends it after the pod's
   * init containers.
   */
  static void add(
      PodSpec pod,
      List<String> args,
      List<VolumeMount> modelMounts,
      Optional<ClusterStorageContainer> storageContainer,
      InitializerCredentials credentials,
      WiringContext ctx) {
    StorageInitializerConfig config = ctx.config();
    Container c =
        new ContainerBuilder()
            .withName(StorageWiring.INIT_CONTAINER)
            .withImage(config.image())
            .withArgs(args)
            .withTerminationMessagePolicy("FallbackToLogsOnError")
            .withNewResources()
            .addToLimits("cpu", new Quantity(config.cpuLimit()))
            .addToLimits("memory", new Quantity(config.memoryLimit()))
            .addToRequests("cpu", new Quantity(config.cpuRequest()))
            .addToRequests("memory", new Quantity(config.memoryRequest()))
            .endResources()
            .withVolumeMounts(modelMounts)
            .build();
    c.setEnv(new ArrayList<>(credentials.env()));
    credentials.volumes().forEach(v -> PodEdits.addVolumeIfAbsent(pod, v));
    credentials.mounts().forEach(m -> PodEdits.addMount(c, m));
    Optional<CaBundle> ca = caBundle(credentials.settings(), ctx);
    Container merged = storageContainer.map(sc -> mergeStorageContainer(c, sc)).orElse(c);
    ca.ifPresent(bundle -> bundle.applyTo(pod, merged));
    merged.setEnv(
        EnvMerge.addIfAbsent(Objects.requireNonNullElse(merged.getEnv(), List.of()), HF_ENV));
    uidFromAnnotation(ctx.annotations(), merged);
    ctx.policy().applyTo(merged, pod, ctx.errors());
    PodEdits.appendInitContainer(pod, merged);
  }

  /** The ClusterStorageContainer's container, strategic-merged over the built one (it wins). */
  private static Container mergeStorageContainer(Container built, ClusterStorageContainer sc) {
    Container overlay = sc.spec().container();
    if (overlay == null) {
      return built;
    }
    ObjectNode merged =
        StrategicMerge.standard()
            .merge((ObjectNode) ServingJson.tree(built), (ObjectNode) ServingJson.tree(overlay));
    return ServingJson.fromTree(merged, Container.class);
  }

  /** The CA bundle to mount, when the config or the credentials ask for one. */
  private record CaBundle(String configMap, String mountPath) {
    void applyTo(PodSpec pod, Container c) {
      List<EnvVar> env =
          EnvMerge.addIfAbsent(
              Objects.requireNonNullElse(c.getEnv(), List.of()),
              List.of(
                  new EnvVar("CA_BUNDLE_CONFIGMAP_NAME", configMap, null),
                  new EnvVar("CA_BUNDLE_VOLUME_MOUNT_POINT", mountPath, null)));
      c.setEnv(env);
      Volume volume =
          new VolumeBuilder()
              .withName(CA_VOLUME)
              .withNewConfigMap()
              .withName(configMap)
              .endConfigMap()
              .build();
      PodEdits.addVolumeIfAbsent(pod, volume);
      PodEdits.addMount(c, PodEdits.mount(CA_VOLUME, mountPath, true, null));
    }
  }

  private static Optional<CaBundle> caBundle(Map<String, String> settings, WiringContext ctx) {
    StorageInitializerConfig config = ctx.config();
    String fromCredentials = settings.getOrDefault(S3Env.CA_BUNDLE_CONFIGMAP, "");
    if (config.caBundleConfigMapName().isEmpty() && fromCredentials.isEmpty()) {
      return Optional.empty();
    }
    String name = config.caBundleConfigMapName();
    if (!InferenceServiceConfig.CONTROLLER_NAMESPACE.equals(ctx.namespace())) {
      // The controller copies the global bundle into each namespace under this name.
      name = GLOBAL_CA_BUNDLE;
    }
    if (!fromCredentials.isEmpty()) {
      name = fromCredentials;
    }
    String mountPath = config.caBundleVolumeMountPath();
    String bundleFile = settings.getOrDefault(S3Env.CA_BUNDLE, "");
    int slash = bundleFile.lastIndexOf('/');
    if (slash > 0) {
      mountPath = bundleFile.substring(0, slash);
    }
    return Optional.of(new CaBundle(name, mountPath));
  }

  private static void uidFromAnnotation(Map<String, String> annotations, Container c) {
    String uid = annotations.get(UID_ANNOTATION);
    if (uid == null) {
      return;
    }
    try {
      long value = Long.parseLong(uid.strip());
      SecurityContext s =
          Objects.requireNonNullElseGet(c.getSecurityContext(), SecurityContext::new);
      s.setRunAsUser(value);
      c.setSecurityContext(s);
    } catch (NumberFormatException e) {
      // Validation reports the annotation; nothing to set here.
    }
  }
}
