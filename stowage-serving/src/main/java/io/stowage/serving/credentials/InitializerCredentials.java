package io.stowage.serving.credentials;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;

/**
 * What credentials add to the storage-initializer: environment (Secret values only as {@code
 * secretKeyRef}s), secret volumes and their mounts. {@code settings} holds the values of the
 * CA-bundle variables ({@code AWS_CA_BUNDLE}, {@code AWS_CA_BUNDLE_CONFIGMAP}) for the wiring that
 * follows, even when the env var itself is a reference; they are not secrets but configuration.
 */
public record InitializerCredentials(
    List<EnvVar> env,
    List<Volume> volumes,
    List<VolumeMount> mounts,
    Map<String, String> settings) {
  public static final InitializerCredentials NONE =
      new InitializerCredentials(List.of(), List.of(), List.of(), Map.of());

  public InitializerCredentials {
    env = List.copyOf(env);
    volumes = List.copyOf(volumes);
    mounts = List.copyOf(mounts);
    settings = Map.copyOf(settings);
  }
}
