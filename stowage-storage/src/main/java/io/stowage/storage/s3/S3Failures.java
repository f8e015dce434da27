package io.stowage.storage.s3;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.TransportFailures;
import io.stowage.storage.net.TransportHints;
import java.io.IOException;

/**
 * Turns what went wrong talking to S3 into one line that says what to fix. The wording follows the
 * settings KServe users touch: the Secret's keys, the {@code serving.kserve.io/s3-*} annotations.
 */
final class S3Failures {
  private final String endpoint;
  private final String bucket;
  private final String region;

  S3Failures(String endpoint, String bucket, String region) {
    this.endpoint = endpoint;
    this.bucket = bucket;
    this.region = region;
  }

  private static final TransportHints HINTS =
      new TransportHints(
          "AWS_ENDPOINT_URL; KServe: the serving.kserve.io/s3-endpoint annotation",
          "S3_CONNECT_TIMEOUT",
          "S3_READ_TIMEOUT",
          "set serving.kserve.io/s3-usehttps: \"1\" or an https:// AWS_ENDPOINT_URL",
          "set serving.kserve.io/s3-usehttps: \"0\" or use an http:// AWS_ENDPOINT_URL",
          "point AWS_CA_BUNDLE (serving.kserve.io/s3-cabundle) at the CA certificate, or set"
              + " S3_VERIFY_SSL=0 (serving.kserve.io/s3-verifyssl: \"0\") to skip verification");

  /** Retrying cannot fix a refused certificate, a refusing proxy or an S3 client error. */
  static boolean isPermanent(IOException e) {
    if (e instanceof S3ResponseException s3) {
      return !s3.isRetryable();
    }
    return TransportFailures.isPermanent(e);
  }

  StorageException classify(IOException e, String doing) {
    if (e instanceof S3ResponseException s3) {
      return response(s3, doing);
    }
    return TransportFailures.classify(e, "S3 endpoint " + endpoint, doing, HINTS);
  }

  private StorageException response(S3ResponseException e, String doing) {
    String code = e.code();
    String at = " at " + endpoint;
    return switch (code) {
      case "NoSuchBucket" ->
          new StorageException(
              Failure.NOT_FOUND,
              "S3 bucket '" + bucket + "' does not exist" + at + ": check the bucket in storageUri",
              e);
      case "NoSuchKey", "NotFound" ->
          new StorageException(
              Failure.NOT_FOUND,
              "Not found" + at + " while " + doing + " (" + e.getMessage() + ")",
              e);
      case "InvalidAccessKeyId" ->
          new StorageException(
              Failure.AUTH,
              "S3 does not know the access key ID (InvalidAccessKeyId)"
                  + at
                  + ": check AWS_ACCESS_KEY_ID in the credentials Secret",
              e);
      case "SignatureDoesNotMatch" ->
          new StorageException(
              Failure.AUTH,
              "S3 rejected the request signature (SignatureDoesNotMatch)"
                  + at
                  + ": check AWS_SECRET_ACCESS_KEY in the credentials Secret",
              e);
      case "ExpiredToken", "TokenRefreshRequired" ->
          new StorageException(
              Failure.AUTH,
              "The S3 session token has expired ("
                  + code
                  + ")"
                  + at
                  + ": refresh AWS_SESSION_TOKEN",
              e);
      case "InvalidToken" ->
          new StorageException(
              Failure.AUTH,
              "S3 rejected the session token (InvalidToken)" + at + ": check AWS_SESSION_TOKEN",
              e);
      case "RequestTimeTooSkewed" ->
          new StorageException(
              Failure.AUTH,
              "The clock of this machine and the clock of S3"
                  + at
                  + " differ by more than 15 minutes (RequestTimeTooSkewed)",
              e);
      case "AccessDenied", "AllAccessDisabled" ->
          new StorageException(
              Failure.AUTH,
              "Access denied to S3 bucket '"
                  + bucket
                  + "'"
                  + at
                  + " while "
                  + doing
                  + ": the credentials need s3:ListBucket and s3:GetObject on it"
                  + " (or set awsAnonymousCredential=true for a public bucket)",
              e);
      case "PermanentRedirect",
          "AuthorizationHeaderMalformed",
          "IllegalLocationConstraintException" ->
          region(e);
      case "PreconditionFailed" ->
          new StorageException(
              Failure.INTEGRITY,
              "An object changed on S3 while it was being downloaded ("
                  + doing
                  + "): rerun to fetch the new version",
              e);
      case "InvalidRange" ->
          new StorageException(
              Failure.INTEGRITY,
              "An object is shorter than its listing said while "
                  + doing
                  + ": it changed during the download; rerun",
              e);
      case "InvalidObjectState" ->
          new StorageException(
              Failure.NOT_FOUND,
              "An object is archived ("
                  + e.serverMessage()
                  + ") while "
                  + doing
                  + ": restore it from Glacier first",
              e);
      case "InvalidBucketName" ->
          new StorageException(Failure.USAGE, "Invalid S3 bucket name '" + bucket + "'" + at, e);
      default ->
          new StorageException(
              e.isRetryable() ? Failure.NETWORK : Failure.INTERNAL,
              "S3 error ["
                  + (code.isEmpty() ? "HTTP " + e.status() : code)
                  + "]"
                  + at
                  + " while "
                  + doing
                  + (e.serverMessage().isEmpty() ? "" : ": " + e.serverMessage()),
              e);
    };
  }

  private StorageException region(S3ResponseException e) {
    String right = e.bucketRegion().orElse("");
    if (right.isEmpty() || right.equals(region)) {
      return new StorageException(
          Failure.USAGE,
          "S3 bucket '"
              + bucket
              + "' must be addressed through another endpoint or region ("
              + e.code()
              + "): set AWS_DEFAULT_REGION (serving.kserve.io/s3-region) or AWS_ENDPOINT_URL",
          e);
    }
    return new StorageException(
        Failure.USAGE,
        "S3 bucket '"
            + bucket
            + "' is in region '"
            + right
            + "', not '"
            + region
            + "': set AWS_DEFAULT_REGION="
            + right
            + " (KServe: the serving.kserve.io/s3-region annotation)",
        e);
  }
}
