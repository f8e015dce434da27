package io.stowage.storage.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.Origin;
import io.stowage.storage.s3.CredentialsSource;
import io.stowage.storage.s3.S3Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitializerSettingsTest {
  @TempDir Path tmp;

  private static InitializerSettings parse(String... kv) {
    Map<String, String> env = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return InitializerSettings.fromEnvironment(env);
  }

  private static Failure failureOf(Runnable r) {
    try {
      r.run();
    } catch (StorageException e) {
      return e.failure();
    }
    throw new AssertionError("no failure");
  }

  @Test
  void defaultsMatchKserve() {
    InitializerSettings s = parse();
    assertThat(s.s3().region()).isEqualTo("us-east-1");
    assertThat(s.s3().endpoint()).isEmpty();
    assertThat(s.s3().credentials()).isInstanceOf(CredentialsSource.AwsChain.class);
    assertThat(s.net().connectTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(s.net().readTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.transfer().retry().maxAttempts()).isEqualTo(3);
    assertThat(s.transfer().fileConcurrency()).isEqualTo(s.transfer().concurrency());
    assertThat(s.net().tls().verify()).isTrue();
    assertThat(s.filter().isEmpty()).isTrue();
  }

  @Test
  void staticKeysAndSessionToken() {
    InitializerSettings s =
        parse(
            "AWS_ACCESS_KEY_ID",
            "AKID",
            "AWS_SECRET_ACCESS_KEY",
            "SECRET",
            "AWS_SESSION_TOKEN",
            "TOKEN");
    var c = ((CredentialsSource.Static) s.s3().credentials()).credentials();
    assertThat(c.accessKeyId()).isEqualTo("AKID");
    assertThat(c.sessionToken()).isEqualTo("TOKEN");
    assertThat(s.secrets()).contains("SECRET", "TOKEN").doesNotContain("AKID");
  }

  @Test
  void halfACredentialPairIsAUsageError() {
    assertThatThrownBy(() -> parse("AWS_ACCESS_KEY_ID", "AKID"))
        .hasMessageContaining("AWS_SECRET_ACCESS_KEY is not");
  }

  @Test
  void anonymousCredentialWinsOverKeys() {
    assertThat(
            parse(
                    "awsAnonymousCredential",
                    "True",
                    "AWS_ACCESS_KEY_ID",
                    "a",
                    "AWS_SECRET_ACCESS_KEY",
                    "b")
                .s3()
                .credentials())
        .isInstanceOf(CredentialsSource.Anonymous.class);
  }

  @Test
  void endpointFromAwsEndpointUrlOrLegacyS3Endpoint() {
    assertThat(parse("AWS_ENDPOINT_URL", "http://minio:9000").s3().endpoint())
        .contains(URI.create("http://minio:9000"));
    assertThat(parse("S3_ENDPOINT", "minio:9000", "S3_USE_HTTPS", "0").s3().endpoint())
        .contains(URI.create("http://minio:9000"));
    assertThat(parse("S3_ENDPOINT", "minio:9000").s3().endpoint())
        .contains(URI.create("https://minio:9000"));
    assertThat(parse("S3_ENDPOINT", "minio:9000", "S3_USE_HTTPS", "1").s3().endpoint())
        .contains(URI.create("https://minio:9000"));
    assertThat(parse("S3_ENDPOINT", "http://minio:9000", "S3_USE_HTTPS", "1").s3().endpoint())
        .contains(URI.create("http://minio:9000"));
    assertThat(parse("AWS_ENDPOINT_URL", "http://a:1", "S3_ENDPOINT", "b:2").s3().endpoint())
        .contains(URI.create("http://a:1"));
    assertThat(failureOf(() -> parse("AWS_ENDPOINT_URL", "minio:9000"))).isEqualTo(Failure.USAGE);
  }

  @Test
  void regionFromAwsDefaultRegionThenAwsRegion() {
    assertThat(parse("AWS_DEFAULT_REGION", "eu-west-1", "AWS_REGION", "us-west-2").s3().region())
        .isEqualTo("eu-west-1");
    assertThat(parse("AWS_REGION", "us-west-2").s3().region()).isEqualTo("us-west-2");
  }

  @Test
  void addressingAndAcceleration() {
    assertThat(parse("S3_USER_VIRTUAL_BUCKET", "true").s3().addressing())
        .isEqualTo(S3Settings.Addressing.VIRTUAL);
    assertThat(parse("S3_USER_VIRTUAL_BUCKET", "false").s3().addressing())
        .isEqualTo(S3Settings.Addressing.AUTO);
    assertThat(parse("S3_USE_ACCELERATE", "true").s3().accelerate()).isTrue();
  }

  @Test
  void verifySslZeroOrFalseTurnsVerificationOffAndIgnoresTheBundle() {
    assertThat(parse("S3_VERIFY_SSL", "0").net().tls().verify()).isFalse();
    assertThat(
            parse("S3_VERIFY_SSL", "False", "AWS_CA_BUNDLE", "/does/not/exist")
                .net()
                .tls()
                .verify())
        .isFalse();
    assertThat(parse("S3_VERIFY_SSL", "1").net().tls().verify()).isTrue();
  }

  @Test
  void caBundleMustExist() throws Exception {
    assertThatThrownBy(() -> parse("AWS_CA_BUNDLE", "/does/not/exist.pem"))
        .hasMessageContaining("does not exist");
    Path pem = Files.writeString(tmp.resolve("ca.pem"), "x");
    assertThat(parse("AWS_CA_BUNDLE", pem.toString()).net().tls().caBundles()).containsExactly(pem);
  }

  @Test
  void globalCaBundleFromTheConfigMapMount() throws Exception {
    Files.writeString(tmp.resolve("cabundle.crt"), "x");
    InitializerSettings s =
        parse(
            "CA_BUNDLE_CONFIGMAP_NAME",
            "custom-ca",
            "CA_BUNDLE_VOLUME_MOUNT_POINT",
            tmp.toString());
    assertThat(s.net().tls().caBundles()).containsExactly(tmp.resolve("cabundle.crt"));
    assertThatThrownBy(
            () ->
                parse(
                    "CA_BUNDLE_CONFIGMAP_NAME",
                    "custom-ca",
                    "CA_BUNDLE_VOLUME_MOUNT_POINT",
                    "/nope"))
        .hasMessageContaining("/nope/cabundle.crt");
  }

  @Test
  void timeoutsAttemptsAndConcurrencyAreValidated() {
    InitializerSettings s =
        parse(
            "S3_CONNECT_TIMEOUT",
            "5",
            "S3_READ_TIMEOUT",
            "7",
            "S3_MAX_ATTEMPTS",
            "9",
            "S3_MAX_FILE_CONCURRENCY",
            "2");
    assertThat(s.net().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.net().readTimeout()).isEqualTo(Duration.ofSeconds(7));
    assertThat(s.transfer().retry().maxAttempts()).isEqualTo(9);
    assertThat(s.transfer().fileConcurrency()).isEqualTo(2);
    assertThatThrownBy(() -> parse("S3_READ_TIMEOUT", "soon"))
        .hasMessageContaining("S3_READ_TIMEOUT")
        .hasMessageContaining("soon");
    assertThatThrownBy(() -> parse("S3_MAX_ATTEMPTS", "0")).hasMessageContaining("S3_MAX_ATTEMPTS");
  }

  @Test
  void stowageTuningKnobs() {
    InitializerSettings s =
        parse(
            "STOWAGE_PART_SIZE",
            "64Mi",
            "STOWAGE_CONCURRENCY",
            "16",
            "STOWAGE_DEADLINE",
            "30m",
            "STOWAGE_FSYNC",
            "false");
    assertThat(s.transfer().partSize()).isEqualTo(64L << 20);
    assertThat(s.transfer().concurrency()).isEqualTo(16);
    assertThat(s.transfer().deadline()).contains(Duration.ofMinutes(30));
    assertThat(s.transfer().fsync()).isFalse();
    assertThatThrownBy(() -> parse("STOWAGE_PART_SIZE", "1k"))
        .hasMessageContaining("STOWAGE_PART_SIZE");
  }

  @Test
  void theTlsImplementationIsASettingLikeAnyOther() {
    assertThat(parse().net().tls().jdkTls()).isFalse();
    InitializerSettings jdk = parse("STOWAGE_TLS_PROVIDER", "JDK");
    assertThat(jdk.net().tls().jdkTls()).isTrue();
    assertThat(jdk.httpNet().tls().jdkTls()).isTrue();
    assertThat(parse("STOWAGE_TLS_PROVIDER", "conscrypt").net().tls().jdkTls()).isFalse();
    assertThatThrownBy(() -> parse("STOWAGE_TLS_PROVIDER", "openssl"))
        .hasMessage("STOWAGE_TLS_PROVIDER must be jdk or conscrypt, not 'openssl'");
  }

  @Test
  void sizesAreReadAsKubernetesQuantitiesAsPackReadsThem() {
    // M is 10^6 as in a container's resources and in pack's flags; Mi is 2^20.
    assertThat(parse("STOWAGE_PART_SIZE", "8M").transfer().partSize()).isEqualTo(8_000_000L);
    assertThat(parse("STOWAGE_PART_SIZE", "8MiB").transfer().partSize()).isEqualTo(8L << 20);
    assertThatThrownBy(() -> parse("STOWAGE_PART_SIZE", "9999999999999Ti"))
        .hasMessage(
            "STOWAGE_PART_SIZE must be a size such as 33554432, 32Mi or 32M (10^6), not"
                + " '9999999999999Ti'");
  }

  @Test
  void patternsAsJsonArrayOrCommaList() {
    InitializerSettings s =
        parse(
            "STORAGE_ALLOW_PATTERNS",
            "[\"*.json\", \"*.safetensors\"]",
            "STORAGE_IGNORE_PATTERNS",
            "*.bin, original/*");
    assertThat(s.filter().allow()).containsExactly("*.json", "*.safetensors");
    assertThat(s.filter().ignore()).containsExactly("*.bin", "original/*");
    assertThatThrownBy(() -> parse("STORAGE_ALLOW_PATTERNS", "[1, 2]"))
        .hasMessageContaining("STORAGE_ALLOW_PATTERNS");
  }

  @Test
  void storageConfigOfTypeS3SetsTheVariablesAndTheOverrideWins() {
    InitializerSettings s =
        parse(
            "AWS_ENDPOINT_URL", "http://ignored:1",
            "STORAGE_CONFIG",
                "{\"type\":\"s3\",\"access_key_id\":\"AK\",\"secret_access_key\":\"SK\",\"endpoint_url\":\"http://minio:9000\","
                    + "\"region\":\"eu-west-3\",\"bucket\":\"models\",\"verify_ssl\":\"0\"}",
            "STORAGE_OVERRIDE_CONFIG", "{\"region\":\"ap-south-1\"}");
    assertThat(s.s3().endpoint()).contains(URI.create("http://minio:9000"));
    assertThat(s.s3().region()).isEqualTo("ap-south-1");
    assertThat(s.net().tls().verify()).isFalse();
    assertThat(((CredentialsSource.Static) s.s3().credentials()).credentials().accessKeyId())
        .isEqualTo("AK");
    assertThat(s.secrets()).contains("SK");
  }

  @Test
  void storageConfigAcceptsBooleansAndIgnoresOtherTypes() {
    assertThat(parse("STORAGE_CONFIG", "{\"type\":\"s3\",\"anonymous\":true}").s3().credentials())
        .isInstanceOf(CredentialsSource.Anonymous.class);
    assertThat(
            parse("STORAGE_CONFIG", "{\"type\":\"hdfs\",\"HDFS_NAMENODE\":\"nn\"}").s3().endpoint())
        .isEmpty();
  }

  @Test
  void malformedStorageConfigNeverEchoesItsContent() {
    assertThatThrownBy(() -> parse("STORAGE_CONFIG", "{\"secret_access_key\": \"TOPSECRET\""))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("STORAGE_CONFIG")
        .hasMessageNotContaining("TOPSECRET");
  }

  @Test
  void proxiesAndExceptions() {
    InitializerSettings s =
        parse(
            "HTTPS_PROXY",
            "http://proxy:3128",
            "http_proxy",
            "proxy2:8080",
            "NO_PROXY",
            "localhost,.svc,10.0.0.0/8");
    var proxy = s.net().proxy();
    assertThat(proxy.proxyFor(new Origin("https", "s3.amazonaws.com", 443)))
        .contains(URI.create("http://proxy:3128"));
    assertThat(proxy.proxyFor(new Origin("http", "minio", 9000)))
        .contains(URI.create("http://proxy2:8080"));
    assertThat(proxy.proxyFor(new Origin("http", "minio.ns.svc", 9000))).isEmpty();
    assertThat(proxy.proxyFor(new Origin("http", "10.1.2.3", 9000))).isEmpty();
    assertThat(proxy.proxyFor(new Origin("http", "localhost", 9000))).isEmpty();
    assertThat(proxy.proxyFor(new Origin("http", "11.1.2.3", 9000))).isPresent();
  }

  @Test
  void huggingFaceEndpointAndToken() {
    InitializerSettings s =
        parse("HF_ENDPOINT", "https://hf-mirror.example", "HF_TOKEN", "hf_secret_token");
    assertThat(s.huggingFace().endpoint()).isEqualTo(URI.create("https://hf-mirror.example"));
    assertThat(s.huggingFace().token()).contains("hf_secret_token");
    assertThat(s.secrets()).contains("hf_secret_token");
    assertThat(s.huggingFace().toString()).doesNotContain("hf_secret_token");
    assertThat(parse().huggingFace().endpoint()).isEqualTo(URI.create("https://huggingface.co"));
    assertThat(parse("HUGGING_FACE_HUB_TOKEN", "legacy").huggingFace().token()).contains("legacy");
  }

  @Test
  void perHostHeadersAreSecrets() {
    InitializerSettings s =
        parse("models.example.com-headers", "{\"Authorization\": \"Bearer abc123\"}");
    assertThat(s.hostHeaders().forHost("Models.Example.com"))
        .containsEntry("Authorization", "Bearer abc123");
    assertThat(s.hostHeaders().forHost("other.example.com")).isEmpty();
    assertThat(s.secrets()).contains("Bearer abc123");
    assertThatThrownBy(() -> parse("h-headers", "not json")).hasMessageContaining("h-headers");
  }

  @Test
  void webTrustUsesTheGlobalBundleAndRequestsCaBundle() throws Exception {
    Path pem = Files.writeString(tmp.resolve("ca.pem"), "x");
    assertThat(parse("REQUESTS_CA_BUNDLE", pem.toString()).httpNet().tls().caBundles())
        .containsExactly(pem);
    assertThat(parse("AWS_CA_BUNDLE", pem.toString()).httpNet().tls().caBundles()).isEmpty();
    assertThatThrownBy(() -> parse("SSL_CERT_FILE", "/no/such.pem"))
        .hasMessageContaining("SSL_CERT_FILE");
    assertThat(parse("HF_HUB_DOWNLOAD_TIMEOUT", "99").httpNet().readTimeout())
        .isEqualTo(Duration.ofSeconds(99));
  }

  @Test
  void pvcRootDefaultsToKservesMount() {
    assertThat(parse().pvcRoot()).isEqualTo(Path.of("/mnt/pvc"));
    assertThat(parse("STOWAGE_PVC_ROOT", "/tmp/pvc").pvcRoot()).isEqualTo(Path.of("/tmp/pvc"));
  }
}
