package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Small edits of a pod spec under construction; each keeps lists in order and never duplicates. */
final class PodEdits {
  static final String MODEL_CONTAINER = "kserve-container";
  static final String WORKER_CONTAINER = "worker-container";
  static final String TRANSFORMER_CONTAINER = "transformer-container";

  private PodEdits() {}

  /**
   * The containers that get the model: {@code kserve-container} (else the worker) and any
   * transformer.
   */
  static List<Container> modelContainers(PodSpec pod) {
    List<Container> targets = new ArrayList<>();
    containerNamed(pod, MODEL_CONTAINER)
        .or(() -> containerNamed(pod, WORKER_CONTAINER))
        .ifPresent(targets::add);
    containerNamed(pod, TRANSFORMER_CONTAINER).ifPresent(targets::add);
    return targets;
  }

  static Optional<Container> containerNamed(PodSpec pod, String name) {
    return containers(pod).stream().filter(c -> name.equals(c.getName())).findFirst();
  }

  static List<Container> containers(PodSpec pod) {
    return Objects.requireNonNullElse(pod.getContainers(), List.of());
  }

  static List<Container> initContainers(PodSpec pod) {
    return Objects.requireNonNullElse(pod.getInitContainers(), List.of());
  }

  static boolean hasInitContainer(PodSpec pod, String name) {
    return initContainers(pod).stream().anyMatch(c -> name.equals(c.getName()));
  }

  static void appendInitContainer(PodSpec pod, Container c) {
    List<Container> list = new ArrayList<>(initContainers(pod));
    list.add(c);
    pod.setInitContainers(list);
  }

  static void appendContainer(PodSpec pod, Container c) {
    List<Container> list = new ArrayList<>(containers(pod));
    list.add(c);
    pod.setContainers(list);
  }

  static boolean hasVolume(PodSpec pod, String name) {
    return Objects.requireNonNullElse(pod.getVolumes(), List.<Volume>of()).stream()
        .anyMatch(v -> name.equals(v.getName()));
  }

  static void addVolumeIfAbsent(PodSpec pod, Volume volume) {
    if (!hasVolume(pod, volume.getName())) {
      List<Volume> list = new ArrayList<>(Objects.requireNonNullElse(pod.getVolumes(), List.of()));
      list.add(volume);
      pod.setVolumes(list);
    }
  }

  static void addMount(Container c, VolumeMount mount) {
    List<VolumeMount> list =
        new ArrayList<>(Objects.requireNonNullElse(c.getVolumeMounts(), List.of()));
    list.add(mount);
    c.setVolumeMounts(list);
  }

  /**
   * A mount; {@code readOnly} false is left out, as Go's {@code omitempty} leaves it out of what
   * KServe writes.
   */
  static VolumeMount mount(String volume, String path, boolean readOnly, @Nullable String subPath) {
    VolumeMountBuilder b = new VolumeMountBuilder().withName(volume).withMountPath(path);
    if (readOnly) {
      b.withReadOnly(true);
    }
    if (subPath != null && !subPath.isEmpty()) {
      b.withSubPath(subPath);
    }
    return b.build();
  }

  /** Sets {@code name} to {@code value}, replacing an entry of that name in place. */
  static void putEnv(Container c, String name, String value) {
    List<EnvVar> env = new ArrayList<>(Objects.requireNonNullElse(c.getEnv(), List.of()));
    EnvVar entry = new EnvVar(name, value, null);
    for (int i = 0; i < env.size(); i++) {
      if (name.equals(env.get(i).getName())) {
        env.set(i, entry);
        c.setEnv(env);
        return;
      }
    }
    env.add(entry);
    c.setEnv(env);
  }

  /**
   * KServe's custom-predictor convention: a non-empty {@code STORAGE_URI} becomes the model path.
   */
  static void rewriteStorageUriEnv(Container c, String modelPath) {
    List<EnvVar> env = new ArrayList<>(Objects.requireNonNullElse(c.getEnv(), List.of()));
    for (int i = 0; i < env.size(); i++) {
      EnvVar e = env.get(i);
      if ("STORAGE_URI".equals(e.getName()) && e.getValue() != null && !e.getValue().isEmpty()) {
        env.set(i, new EnvVar("STORAGE_URI", modelPath, null));
      }
    }
    c.setEnv(env);
  }
}
