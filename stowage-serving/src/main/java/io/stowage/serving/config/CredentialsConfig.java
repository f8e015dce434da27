package io.stowage.serving.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/** The {@code credentials} section (KServe's {@code CredentialConfig}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialsConfig(
    @Nullable String storageSpecSecretName,
    @Nullable String storageSecretNameAnnotation,
    @JsonProperty("gcs") @Nullable Gcs gcs,
    @JsonProperty("s3") S3CredentialConfig s3) {
  public static final String DEFAULT_STORAGE_SPEC_SECRET = "storage-config";
  public static final String DEFAULT_GCS_CREDENTIAL_FILE = "gcloud-application-credentials.json";

  public static final CredentialsConfig FRESH_INSTALL =
      new CredentialsConfig(
          DEFAULT_STORAGE_SPEC_SECRET,
          "serving.kserve.io/storageSecretName",
          new Gcs(DEFAULT_GCS_CREDENTIAL_FILE),
          S3CredentialConfig.FRESH_INSTALL);

  public CredentialsConfig {
    s3 = s3 == null ? S3CredentialConfig.EMPTY : s3;
  }

  /** {@code credentials.gcs}. */
  public record Gcs(@Nullable String gcsCredentialFileName) {}

  /** The Secret the {@code storage:} spec reads, {@code storage-config} unless configured. */
  public String storageSpecSecret() {
    return storageSpecSecretName == null || storageSpecSecretName.isEmpty()
        ? DEFAULT_STORAGE_SPEC_SECRET
        : storageSpecSecretName;
  }

  /** The annotation naming the one Secret to use, empty when the feature is off. */
  public String secretNameAnnotation() {
    return storageSecretNameAnnotation == null ? "" : storageSecretNameAnnotation;
  }

  /** The data key that marks a GCS secret. */
  public String gcsCredentialFile() {
    String file = gcs == null ? null : gcs.gcsCredentialFileName();
    return file == null || file.isEmpty() ? DEFAULT_GCS_CREDENTIAL_FILE : file;
  }
}
