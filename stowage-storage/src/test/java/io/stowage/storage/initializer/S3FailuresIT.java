package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.run;
import static io.stowage.storage.initializer.S3Harness.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.testkit.S3Seeder;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wrong credentials, endpoints and URIs give one clear line, the right class, and no secret. */
class S3FailuresIT {
  @TempDir Path tmp;
  private final S3Seeder s3 = S3Harness.seeder();
  private String bucket = "";

  @BeforeEach
  void bucket() {
    bucket = S3Harness.newBucket();
    s3.put(bucket, "m/config.json", "{}".getBytes(StandardCharsets.UTF_8));
  }

  private void assertNoSecrets(InitializerHarness.Result r, String... secrets) {
    for (String secret : secrets) {
      assertThat(r.log()).doesNotContain(secret);
      if (r.failure() != null) {
        assertThat(r.failure().getMessage()).doesNotContain(secret);
        Throwable t = r.failure();
        while (t != null) {
          assertThat(String.valueOf(t.getMessage())).doesNotContain(secret);
          t = t.getCause();
        }
      }
    }
  }

  @Test
  void wrongSecretKey() {
    Map<String, String> e = env();
    e.put("AWS_SECRET_ACCESS_KEY", "wrong-secret-value-123");
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.AUTH);
    assertThat(r.failed().getMessage())
        .contains("SignatureDoesNotMatch")
        .contains("AWS_SECRET_ACCESS_KEY");
    assertNoSecrets(r, "wrong-secret-value-123", S3Harness.server().secretKey());
  }

  @Test
  void unknownAccessKey() {
    Map<String, String> e = env();
    e.put("AWS_ACCESS_KEY_ID", "AKIDUNKNOWN");
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.AUTH);
    assertThat(r.failed().getMessage()).contains("AWS_ACCESS_KEY_ID");
    assertNoSecrets(r, S3Harness.server().secretKey());
  }

  @Test
  void anonymousRequestsToAPrivateBucketAreDenied() {
    Map<String, String> e = env();
    e.put("awsAnonymousCredential", "true");
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.AUTH);
  }

  @Test
  void missingBucket() {
    var r =
        run(env(), "s3://no-such-bucket-" + System.nanoTime() + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NOT_FOUND);
    assertThat(r.failed().getMessage()).contains("does not exist");
  }

  @Test
  void missingPrefix() {
    var r = run(env(), "s3://" + bucket + "/nothing/here", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NOT_FOUND);
    assertThat(r.failed().getMessage())
        .isEqualTo("Failed to fetch model. No model found in s3://" + bucket + "/nothing/here");
  }

  @Test
  void unreachableEndpoint() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> e = env(URI.create("http://127.0.0.1:" + port));
    e.put("S3_MAX_ATTEMPTS", "2");
    long t0 = System.nanoTime();
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NETWORK);
    assertThat(r.failed().getMessage())
        .startsWith("Cannot connect to S3 endpoint http://127.0.0.1:" + port);
    assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
  }

  @Test
  void unresolvableEndpoint() {
    Map<String, String> e = env(URI.create("http://no-such-host.invalid:9000"));
    e.put("S3_MAX_ATTEMPTS", "1");
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NETWORK);
    assertThat(r.failed().getMessage()).contains("Cannot resolve the host");
  }

  @Test
  void legacyS3EndpointWithUseHttpsZero() throws Exception {
    Map<String, String> e = env();
    e.remove("AWS_ENDPOINT_URL");
    URI ep = S3Harness.server().endpoint();
    e.put("S3_ENDPOINT", ep.getHost() + ":" + ep.getPort());
    e.put("S3_USE_HTTPS", "0");
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
  }

  @Test
  void httpsAgainstAPlainEndpointSaysSo() {
    URI ep = S3Harness.server().endpoint();
    Map<String, String> e = env(URI.create("https://" + ep.getHost() + ":" + ep.getPort()));
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NETWORK);
    assertThat(r.failed().getMessage()).contains("does not speak TLS").contains("s3-usehttps");
  }

  @Test
  void badSettingsAreUsageErrors() {
    Map<String, String> e = env();
    e.put("S3_MAX_FILE_CONCURRENCY", "many");
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.USAGE);
    assertThat(r.failed().getMessage()).contains("S3_MAX_FILE_CONCURRENCY");
  }

  @Test
  void storageConfigSecretsNeverAppear() {
    Map<String, String> e = env();
    e.remove("AWS_ACCESS_KEY_ID");
    e.remove("AWS_SECRET_ACCESS_KEY");
    e.put(
        "STORAGE_CONFIG",
        "{\"type\":\"s3\",\"access_key_id\":\""
            + S3Harness.server().accessKey()
            + "\",\"secret_access_key\":\"storage-config-secret-xyz\"}");
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.AUTH);
    assertNoSecrets(r, "storage-config-secret-xyz");
  }
}
