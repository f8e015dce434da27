package io.stowage.serving.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * {@code credentials.s3}: the Secret data keys holding S3 keys, and cluster-wide fallbacks for the
 * {@code serving.kserve.io/s3-*} annotations.
 *
 * <p>A fresh install names the keys {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}. A
 * {@code credentials} section that leaves them out gets KServe's code defaults instead, {@code
 * awsAccessKeyID} / {@code awsSecretAccessKey}, exactly as KServe does: with such a config the
 * reference document's Secret is not recognised as S3.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record S3CredentialConfig(
    @Nullable String s3AccessKeyIDName,
    @Nullable String s3SecretAccessKeyName,
    @Nullable String s3Endpoint,
    @Nullable String s3UseHttps,
    @Nullable String s3Region,
    @Nullable String s3VerifySSL,
    @Nullable String s3UseVirtualBucket,
    @Nullable String s3UseAccelerate,
    @Nullable String s3UseAnonymousCredential,
    @Nullable String s3CABundleConfigMap,
    @Nullable String s3CABundle) {
  public static final String CODE_DEFAULT_ACCESS_KEY_ID_NAME = "awsAccessKeyID";
  public static final String CODE_DEFAULT_SECRET_ACCESS_KEY_NAME = "awsSecretAccessKey";

  public static final S3CredentialConfig FRESH_INSTALL =
      new S3CredentialConfig(
          "AWS_ACCESS_KEY_ID",
          "AWS_SECRET_ACCESS_KEY",
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  public static final S3CredentialConfig EMPTY =
      new S3CredentialConfig(null, null, null, null, null, null, null, null, null, null, null);

  /** The data key of the access key id. */
  public String accessKeyIdName() {
    return orElse(s3AccessKeyIDName, CODE_DEFAULT_ACCESS_KEY_ID_NAME);
  }

  /** The data key of the secret access key; a Secret with this key is an S3 secret. */
  public String secretAccessKeyName() {
    return orElse(s3SecretAccessKeyName, CODE_DEFAULT_SECRET_ACCESS_KEY_NAME);
  }

  private static String orElse(@Nullable String value, String fallback) {
    return value == null || value.isEmpty() ? fallback : value;
  }
}
