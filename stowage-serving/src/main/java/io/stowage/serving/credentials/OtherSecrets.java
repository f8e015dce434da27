package io.stowage.serving.credentials;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.stowage.serving.config.CredentialsConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The non-S3 credential secrets: GCS and HDFS as secret volumes, HF and https as references. */
final class OtherSecrets {
  static final String HTTPS_HOST = "https-host";
  static final String HTTPS_HEADERS = "headers";
  static final String HF_TOKEN = "HF_TOKEN";
  static final String GCS_VOLUME = "user-gcp-sa";
  static final String GCS_MOUNT = "/var/secrets/";
  static final String HDFS_VOLUME = "hdfs-secrets";
  static final String HDFS_MOUNT = "/var/secrets/kserve-hdfscreds";

  private OtherSecrets() {}

  static InitializerCredentials gcs(Secret secret, CredentialsConfig config) {
    String file = config.gcsCredentialFile();
    return new InitializerCredentials(
        List.of(Env.plain("GOOGLE_APPLICATION_CREDENTIALS", GCS_MOUNT + file)),
        List.of(secretVolume(GCS_VOLUME, SecretData.name(secret))),
        List.of(readOnlyMount(GCS_VOLUME, GCS_MOUNT)),
        Map.of());
  }

  static InitializerCredentials hdfs(Secret secret) {
    return new InitializerCredentials(
        List.of(),
        List.of(secretVolume(HDFS_VOLUME, SecretData.name(secret))),
        List.of(readOnlyMount(HDFS_VOLUME, HDFS_MOUNT)),
        Map.of());
  }

  static InitializerCredentials huggingFace(Secret secret) {
    return new InitializerCredentials(
        List.of(Env.secretRef(HF_TOKEN, SecretData.name(secret), HF_TOKEN)),
        List.of(),
        List.of(),
        Map.of());
  }

  /**
   * {@code <host>-headers}: KServe copies the {@code headers} value out of the Secret; Stowage
   * refers to it instead. The host is read to name the variable.
   */
  static InitializerCredentials https(Secret secret) {
    Optional<String> host = SecretData.value(secret, HTTPS_HOST);
    if (host.isEmpty() || !SecretData.has(secret, HTTPS_HEADERS)) {
      return InitializerCredentials.NONE;
    }
    List<EnvVar> env =
        List.of(
            Env.secretRef(host.get().strip() + "-headers", SecretData.name(secret), HTTPS_HEADERS));
    return new InitializerCredentials(env, List.of(), List.of(), Map.of());
  }

  private static Volume secretVolume(String name, String secretName) {
    return new VolumeBuilder()
        .withName(name)
        .withNewSecret()
        .withSecretName(secretName)
        .endSecret()
        .build();
  }

  private static VolumeMount readOnlyMount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(true).build();
  }
}
