package io.stowage.storage.s3;

import java.io.IOException;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** S3 answered with an error status; {@code code} is the error document's {@code <Code>}. */
final class S3ResponseException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String serverMessage;
  private final @Nullable String bucketRegion;

  S3ResponseException(
      int status, String code, String serverMessage, @Nullable String bucketRegion) {
    super(
        "HTTP "
            + status
            + (code.isEmpty() ? "" : " " + code)
            + (serverMessage.isEmpty() ? "" : ": " + serverMessage));
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
    this.bucketRegion = bucketRegion;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  String serverMessage() {
    return serverMessage;
  }

  Optional<String> bucketRegion() {
    return Optional.ofNullable(bucketRegion);
  }

  /** Throttling and server-side failures are worth another attempt; client errors are not. */
  boolean isRetryable() {
    return status >= 500
        || status == 429
        || code.equals("SlowDown")
        || code.equals("RequestTimeout")
        || code.equals("InternalError");
  }
}
