package io.stowage.storage.s3;

import org.jspecify.annotations.Nullable;

/** AWS credentials; {@link #toString()} never shows the secret parts. */
public record S3Credentials(
    String accessKeyId, String secretAccessKey, @Nullable String sessionToken) {

  public S3Credentials {
    if (accessKeyId.isEmpty() || secretAccessKey.isEmpty()) {
      throw new IllegalArgumentException("access key ID and secret access key must not be empty");
    }
  }

  @Override
  public String toString() {
    return "S3Credentials[accessKeyId=***, secretAccessKey=***"
        + (sessionToken == null ? "" : ", sessionToken=***")
        + "]";
  }
}
