package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Runs against the one shared S3Proxy process; each test uses its own bucket. */
class S3ProxyServerTest {

  private static final long MIB = 1024 * 1024;

  /** Shared: each generation runs keytool, which costs a JVM start. */
  @TempDir static Path tlsDir;

  private static S3ProxyServer server;
  private static S3Seeder seeder;

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.shared();
    seeder = S3Seeder.forServer(server);
  }

  @AfterAll
  static void closeSeeder() {
    seeder.close();
  }

  @Test
  void servesOnLoopbackWithTheDocumentedCredentials() {
    assertThat(server.endpoint().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(server.address().getPort()).isEqualTo(server.endpoint().getPort());
    assertThat(server.accessKey()).isEqualTo("AKIDSTOWAGETEST");
    assertThat(server.secretKey()).isEqualTo("stowage-test-secret-key");
    assertThat(server.region()).isEqualTo("us-east-1");
    assertThat(server.isAlive()).isTrue();
    assertThat(S3ProxyServer.shared()).isSameAs(server);
  }

  @Test
  void logsToAFileInTheDataDirectory() throws IOException {
    assertThat(server.logFile()).startsWith(server.dataDirectory());
    assertThat(Files.size(server.logFile())).isPositive();
  }

  @Test
  void closingTheSharedServerLeavesItRunning() {
    server.close();

    assertThat(server.isAlive()).isTrue();
  }

  @Test
  void createBucketIsIdempotent() {
    seeder.createBucket("idempotent");
    seeder.createBucket("idempotent");

    assertThat(server.bucketsDirectory().resolve("idempotent")).isDirectory();
  }

  @Test
  void putsListsAndDeletesObjects() {
    seeder.createBucket("objects");
    seeder.put("objects", "models/a.txt", "alpha".getBytes(StandardCharsets.UTF_8));
    seeder.put("objects", "models/b.txt", "beta".getBytes(StandardCharsets.UTF_8));
    seeder.put("objects", "other/c.txt", "gamma".getBytes(StandardCharsets.UTF_8));

    assertThat(seeder.keys("objects", "models/")).containsExactly("models/a.txt", "models/b.txt");
    assertThat(seeder.get("objects", "models/b.txt")).asString().isEqualTo("beta");

    seeder.delete("objects", "models/a.txt");
    assertThat(seeder.keys("objects", "")).containsExactly("models/b.txt", "other/c.txt");

    seeder.emptyBucket("objects");
    assertThat(seeder.keys("objects", "")).isEmpty();
  }

  @Test
  void singlePutFileHasAPlainEtag(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("single.bin");
    Files.write(file, ByteSourceServer.pattern(100_000));
    seeder.createBucket("single");

    seeder.putFile("single", "single.bin", file);

    assertThat(seeder.etag("single", "single.bin")).matches("[0-9a-f]{32}");
    assertThat(seeder.get("single", "single.bin")).isEqualTo(Files.readAllBytes(file));
  }

  @Test
  void multipartUploadHasAPartCountEtag(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("multi.bin");
    Files.write(file, ByteSourceServer.pattern((int) (11 * MIB)));
    seeder.createBucket("multipart");

    seeder.putMultipart("multipart", "multi.bin", file, 5 * MIB);

    assertThat(seeder.etag("multipart", "multi.bin")).matches("[0-9a-f]{32}-3");
    assertThat(seeder.get("multipart", "multi.bin")).isEqualTo(Files.readAllBytes(file));
    assertThat(seeder.keys("multipart", "")).containsExactly("multi.bin");
  }

  @Test
  void anSdkClientCanReachTheServerThroughTheForwardProxy() {
    seeder.createBucket("forwarded");
    try (ForwardProxy proxy = ForwardProxy.start();
        S3Client client =
            sdkClient(
                server.endpoint(),
                Apache5HttpClient.builder()
                    .proxyConfiguration(
                        ProxyConfiguration.builder()
                            .endpoint(proxy.endpoint())
                            .useSystemPropertyValues(false)
                            .useEnvironmentVariableValues(false)
                            .build()))) {
      client.putObject(
          request -> request.bucket("forwarded").key("k"), RequestBody.fromString("through"));

      assertThat(client.listObjectsV2(request -> request.bucket("forwarded")).contents())
          .extracting(S3Object::key)
          .containsExactly("k");
      assertThat(proxy.requestLines())
          .contains(
              "PUT " + server.endpoint() + "/forwarded/k HTTP/1.1",
              "GET " + server.endpoint() + "/forwarded?list-type=2 HTTP/1.1");
    }
  }

  @Test
  void aTlsFaultProxyGivesTheServerAnHttpsEndpoint() {
    TlsMaterial tls = TlsMaterial.selfSigned(tlsDir);
    seeder.createBucket("secure");
    seeder.put("secure", "k", "over https".getBytes(StandardCharsets.UTF_8));
    try (FaultProxy proxy = FaultProxy.startTls(server.address(), tls);
        S3Client client =
            sdkClient(
                proxy.endpoint(),
                Apache5HttpClient.builder()
                    .tlsTrustManagersProvider(() -> trustManagers(tls))
                    .proxyConfiguration(
                        ProxyConfiguration.builder()
                            .useSystemPropertyValues(false)
                            .useEnvironmentVariableValues(false)
                            .build()))) {
      byte[] content =
          client.getObjectAsBytes(request -> request.bucket("secure").key("k")).asByteArray();

      assertThat(proxy.endpoint().getScheme()).isEqualTo("https");
      assertThat(content).asString().isEqualTo("over https");
    }
  }

  @Test
  void aFaultProxyCanSitInFrontOfTheServer() {
    try (FaultProxy proxy = FaultProxy.start(server.address());
        S3Seeder throughProxy =
            new S3Seeder(proxy.endpoint(), server.accessKey(), server.secretKey())) {
      throughProxy.createBucket("proxied");
      throughProxy.put("proxied", "k", "via proxy".getBytes(StandardCharsets.UTF_8));

      assertThat(throughProxy.get("proxied", "k")).asString().isEqualTo("via proxy");
      assertThat(proxy.connectionsAccepted()).isPositive();
      assertThat(proxy.bytesToClient()).isPositive();
    }
  }

  private static S3Client sdkClient(URI endpoint, Apache5HttpClient.Builder http) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(server.region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(http)
        .build();
  }

  private static TrustManager[] trustManagers(TlsMaterial tls) {
    try (InputStream in = Files.newInputStream(tls.caCertificatePem())) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry(
          "test", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      return factory.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
