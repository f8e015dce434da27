package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Puts test data in place with a real S3 client (AWS SDK v2 on Apache HttpClient 5), independent of
 * the Stowage code under test.
 *
 * <p>Configured for S3-compatible servers such as S3Proxy: path-style addressing and checksums only
 * where an operation requires them (the SDK's default aws-chunked uploads with trailing checksums
 * are rejected by several third-party servers). Proxy settings from the environment and system
 * properties are ignored, so seeding always goes straight to the endpoint.
 */
public final class S3Seeder implements AutoCloseable {

  private static final long MAX_PARTS = 10_000;

  private final S3Client s3;

  public S3Seeder(URI endpoint, String accessKey, String secretKey) {
    this.s3 =
        S3Client.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(
                Apache5HttpClient.builder()
                    .proxyConfiguration(
                        ProxyConfiguration.builder()
                            .useSystemPropertyValues(false)
                            .useEnvironmentVariableValues(false)
                            .build()))
            .build();
  }

  public static S3Seeder forServer(S3ProxyServer server) {
    return new S3Seeder(server.endpoint(), server.accessKey(), server.secretKey());
  }

  /** The underlying client, for the odd call this class does not wrap. Owned by the seeder. */
  public S3Client client() {
    return s3;
  }

  /** Creates the bucket; does nothing if it exists already. */
  public void createBucket(String bucket) {
    try {
      s3.createBucket(request -> request.bucket(bucket));
    } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException exists) {
      // Idempotent on purpose: test classes sharing one server may create the same bucket.
    }
  }

  public void put(String bucket, String key, byte[] content) {
    s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromBytes(content));
  }

  /** Uploads a file with a single PutObject, so its ETag is a plain MD5. */
  public void putFile(String bucket, String key, Path file) {
    s3.putObject(request -> request.bucket(bucket).key(key), RequestBody.fromFile(file));
  }

  /**
   * Uploads a file as a real multipart upload with parts of {@code partSize} bytes (the last one
   * smaller), so its ETag has the {@code <md5 of md5s>-<part count>} form. An empty file becomes
   * one empty part. The upload is aborted if any part fails.
   */
  public void putMultipart(String bucket, String key, Path file, long partSize) {
    if (partSize <= 0) {
      throw new IllegalArgumentException("partSize must be positive, got " + partSize);
    }
    long size = size(file);
    long partCount = Math.max(1, (size + partSize - 1) / partSize);
    if (partCount > MAX_PARTS) {
      throw new IllegalArgumentException(
          partCount + " parts of " + partSize + " bytes; S3 allows at most " + MAX_PARTS);
    }
    String uploadId =
        s3.createMultipartUpload(request -> request.bucket(bucket).key(key)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (int partNumber = 1; partNumber <= partCount; partNumber++) {
        long offset = (partNumber - 1) * partSize;
        long length = Math.min(partSize, size - offset);
        parts.add(uploadPart(bucket, key, uploadId, partNumber, file, offset, length));
      }
      s3.completeMultipartUpload(
          request ->
              request
                  .bucket(bucket)
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(upload -> upload.parts(parts)));
    } catch (RuntimeException e) {
      abortQuietly(bucket, key, uploadId, e);
      throw e;
    }
  }

  public void delete(String bucket, String key) {
    s3.deleteObject(request -> request.bucket(bucket).key(key));
  }

  /**
   * Deletes every object in the bucket, one request each: DeleteObjects needs a Content-MD5 that
   * not every S3-compatible server accepts in the SDK's newer checksum form.
   */
  public void emptyBucket(String bucket) {
    keys(bucket, "").forEach(key -> delete(bucket, key));
  }

  /** All keys under {@code prefix} (empty for all), in S3's lexicographic order. */
  public List<String> keys(String bucket, String prefix) {
    return s3
        .listObjectsV2Paginator(request -> request.bucket(bucket).prefix(prefix))
        .contents()
        .stream()
        .map(S3Object::key)
        .toList();
  }

  /**
   * The object's ETag without the surrounding quotes, e.g. {@code
   * 9b2cf535f27731c974343645a3985328-3}.
   */
  public String etag(String bucket, String key) {
    String quoted = s3.headObject(request -> request.bucket(bucket).key(key)).eTag();
    return quoted.replace("\"", "");
  }

  /** The object's content, for tests that check what a server holds. */
  public byte[] get(String bucket, String key) {
    return s3.getObjectAsBytes(request -> request.bucket(bucket).key(key)).asByteArray();
  }

  @Override
  public void close() {
    s3.close();
  }

  private CompletedPart uploadPart(
      String bucket,
      String key,
      String uploadId,
      int partNumber,
      Path file,
      long offset,
      long length) {
    UploadPartRequest request =
        UploadPartRequest.builder()
            .bucket(bucket)
            .key(key)
            .uploadId(uploadId)
            .partNumber(partNumber)
            .contentLength(length)
            .build();
    RequestBody body =
        RequestBody.fromContentProvider(
            new FileSliceStreams(file, offset, length), length, "application/octet-stream");
    String etag = s3.uploadPart(request, body).eTag();
    return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
  }

  private void abortQuietly(String bucket, String key, String uploadId, RuntimeException cause) {
    try {
      s3.abortMultipartUpload(request -> request.bucket(bucket).key(key).uploadId(uploadId));
    } catch (RuntimeException abortFailure) {
      cause.addSuppressed(abortFailure);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
  }
}
