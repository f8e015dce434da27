package io.stowage.serving.credentials;

import io.fabric8.kubernetes.api.model.Secret;
import io.stowage.serving.config.CredentialsConfig;
import java.util.Optional;

/**
 * What a ServiceAccount's Secret is for, decided as KServe does: by the first of these data keys
 * present, in this order. Secrets with none of them are skipped.
 */
public enum SecretKind {
  S3,
  GCS,
  AZURE,
  HTTPS,
  HDFS,
  HUGGING_FACE;

  public static Optional<SecretKind> of(Secret secret, CredentialsConfig config) {
    if (SecretData.has(secret, config.s3().secretAccessKeyName())) {
      return Optional.of(S3);
    }
    if (SecretData.has(secret, config.gcsCredentialFile())) {
      return Optional.of(GCS);
    }
    for (String key :
        new String[] {
          "AZ_CLIENT_ID", "AZURE_CLIENT_ID", "AZURE_ACCESS_TOKEN", "AZURE_STORAGE_ACCESS_KEY"
        }) {
      if (SecretData.has(secret, key)) {
        return Optional.of(AZURE);
      }
    }
    if (SecretData.has(secret, OtherSecrets.HTTPS_HOST)) {
      return Optional.of(HTTPS);
    }
    if (SecretData.has(secret, "HDFS_NAMENODE")) {
      return Optional.of(HDFS);
    }
    if (SecretData.has(secret, OtherSecrets.HF_TOKEN)) {
      return Optional.of(HUGGING_FACE);
    }
    return Optional.empty();
  }
}
