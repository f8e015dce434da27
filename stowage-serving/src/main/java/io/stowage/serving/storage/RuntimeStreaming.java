package io.stowage.serving.storage;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.stowage.serving.credentials.EnvMerge;
import io.stowage.serving.credentials.InitializerCredentials;
import java.util.List;
import java.util.Objects;

/**
 * {@code storage.stowage.io/initializer: disabled}: the runtime reads the model from its URI itself
 * (vLLM's and Triton's S3 or Hugging Face loaders, kserve#4899). No init container, no download
 * volume; each model container gets {@code STORAGE_URI} set to the source and the credentials the
 * initializer would have had (Secret references, secret volumes), so nothing is lost by skipping
 * it. The env the user wrote on the container wins over the credentials' of the same name.
 */
final class RuntimeStreaming {
  static final String STORAGE_URI = "STORAGE_URI";

  private RuntimeStreaming() {}

  static void wire(
      PodSpec pod, ModelUri uri, InitializerCredentials credentials, List<Container> targets) {
    credentials.volumes().forEach(v -> PodEdits.addVolumeIfAbsent(pod, v));
    for (Container t : targets) {
      PodEdits.putEnv(t, STORAGE_URI, uri.text());
      t.setEnv(
          EnvMerge.addIfAbsent(
              Objects.requireNonNullElse(t.getEnv(), List.of()), credentials.env()));
      credentials.mounts().forEach(m -> PodEdits.addMount(t, m));
    }
  }
}
