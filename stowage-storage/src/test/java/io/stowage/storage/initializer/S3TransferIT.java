package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.allEntries;
import static io.stowage.storage.initializer.InitializerHarness.files;
import static io.stowage.storage.initializer.InitializerHarness.random;
import static io.stowage.storage.initializer.InitializerHarness.run;
import static io.stowage.storage.initializer.S3Harness.env;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.testkit.Fault;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.ForwardProxy;
import io.stowage.testkit.S3Seeder;
import io.stowage.testkit.TlsMaterial;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer path against a real S3 server: multipart objects, parallel ranges, TLS, proxies,
 * connections dropped and stalled mid-body, resume and restart.
 */
class S3TransferIT {
  private static final int MIB = 1024 * 1024;

  @TempDir Path tmp;
  private final S3Seeder s3 = S3Harness.seeder();
  private String bucket = "";
  private byte[] big = new byte[0];
  private byte[] single = new byte[0];

  @BeforeEach
  void model() throws Exception {
    bucket = S3Harness.newBucket();
    big = random(12 * MIB + 4321, 7);
    single = random(5 * MIB + 99, 8);
    Path file = Files.write(tmp.resolve("big.bin"), big);
    s3.putMultipart(bucket, "m/model-00001-of-00001.safetensors", file, 5 * MIB);
    s3.put(bucket, "m/single.bin", single);
    s3.put(bucket, "m/config.json", "{\"model_type\":\"test\"}".getBytes(StandardCharsets.UTF_8));
    Files.delete(file);
  }

  private void assertModel(Path dest) throws Exception {
    assertThat(files(dest))
        .containsExactly("config.json", "model-00001-of-00001.safetensors", "single.bin");
    assertThat(Files.readAllBytes(dest.resolve("model-00001-of-00001.safetensors"))).isEqualTo(big);
    assertThat(Files.readAllBytes(dest.resolve("single.bin"))).isEqualTo(single);
    assertThat(allEntries(dest)).noneMatch(n -> n.endsWith(".partial") || n.endsWith(".tmp"));
  }

  private Map<String, String> smallParts(Map<String, String> e) {
    e.put("STOWAGE_PART_SIZE", "1Mi");
    e.put("STOWAGE_CONCURRENCY", "6");
    return e;
  }

  @Test
  void multipartAndSinglePartObjectsInParallelRanges() throws Exception {
    Path dest = tmp.resolve("d");
    var r = run(smallParts(env()), "s3://" + bucket + "/m", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertModel(dest);
    assertThat(r.log()).contains("Found 3 files").contains("Successfully copied");
  }

  @Test
  void survivesConnectionsDroppedMidBody() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(S3Harness.server().address())) {
      proxy.setFault(new Fault.DropAfter(300_000, 4));
      Path dest = tmp.resolve("d");
      var r = run(smallParts(env(proxy.endpoint())), "s3://" + bucket + "/m", dest.toString());
      assertThat(r.succeeded()).as(r.log()).isTrue();
      assertModel(dest);
      assertThat(proxy.faultsInjected()).isGreaterThanOrEqualTo(1);
      assertThat(r.log()).contains("WARN Retrying");
    }
  }

  @Test
  void aStalledConnectionIsAbortedAndRetried() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(S3Harness.server().address())) {
      proxy.setFault(new Fault.StallAfter(200_000, 2));
      Map<String, String> e = smallParts(env(proxy.endpoint()));
      e.put("S3_READ_TIMEOUT", "1");
      Path dest = tmp.resolve("d");
      long t0 = System.nanoTime();
      var r = run(e, "s3://" + bucket + "/m", dest.toString());
      assertThat(r.succeeded()).as(r.log()).isTrue();
      assertModel(dest);
      assertThat(r.log()).contains("no data from");
      assertThat(System.nanoTime() - t0).isLessThan(30_000_000_000L);
    }
  }

  @Test
  void aServerThatKeepsStallingFailsWithANetworkError() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(S3Harness.server().address())) {
      proxy.setFault(new Fault.StallAfter(100, 1000));
      Map<String, String> e = env(proxy.endpoint());
      e.put("S3_READ_TIMEOUT", "1");
      e.put("S3_MAX_ATTEMPTS", "2");
      var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
      assertThat(r.failed().failure()).isEqualTo(Failure.NETWORK);
      assertThat(r.failed().getMessage())
          .contains("stopped sending data")
          .contains("S3_READ_TIMEOUT");
    }
  }

  @Test
  void aKilledTransferResumesAndEndsIdentical() throws Exception {
    try (FaultProxy proxy = FaultProxy.start(S3Harness.server().address())) {
      proxy.setFault(new Fault.Throttle(4 * MIB));
      Map<String, String> e = smallParts(env(proxy.endpoint()));
      e.put("STOWAGE_DEADLINE", "2s");
      Path dest = tmp.resolve("d");
      var first = run(e, "s3://" + bucket + "/m", dest.toString());
      assertThat(first.failed().getMessage()).contains("deadline");
      proxy.setFault(Fault.none());
      e.remove("STOWAGE_DEADLINE");
      var second = run(e, "s3://" + bucket + "/m", dest.toString());
      assertThat(second.succeeded()).as(second.log()).isTrue();
      assertThat(second.log()).contains("Resuming:");
      assertModel(dest);
    }
  }

  @Test
  void aRestartAfterSuccessFetchesNothing() throws Exception {
    Path dest = tmp.resolve("d");
    assertThat(run(env(), "s3://" + bucket + "/m", dest.toString()).succeeded()).isTrue();
    var again = run(env(), "s3://" + bucket + "/m", dest.toString());
    assertThat(again.succeeded()).isTrue();
    assertThat(again.log()).contains("3 of 3 files already in place").contains("0 B fetched");
    assertModel(dest);
  }

  @Test
  void aChangedSourceIsFollowedOnTheNextRun() throws Exception {
    Path dest = tmp.resolve("d");
    assertThat(run(env(), "s3://" + bucket + "/m", dest.toString()).succeeded()).isTrue();
    s3.put(bucket, "m/config.json", "{\"model_type\":\"v2\"}".getBytes(StandardCharsets.UTF_8));
    s3.delete(bucket, "m/single.bin");
    var r = run(env(), "s3://" + bucket + "/m", dest.toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.readString(dest.resolve("config.json"))).isEqualTo("{\"model_type\":\"v2\"}");
    assertThat(dest.resolve("single.bin")).doesNotExist();
    assertThat(r.log()).contains("Removed single.bin");
  }

  @Test
  void selfSignedTlsFailsClearlyThenWorksWithTheBundleOrWithoutVerification() throws Exception {
    TlsMaterial tls = TlsMaterial.selfSigned(tmp.resolve("tls"));
    try (FaultProxy proxy = FaultProxy.startTls(S3Harness.server().address(), tls)) {
      Map<String, String> e = env(proxy.endpoint());
      var refused = run(e, "s3://" + bucket + "/m", tmp.resolve("d1").toString());
      assertThat(refused.failed().failure()).isEqualTo(Failure.NETWORK);
      assertThat(refused.failed().getMessage())
          .contains("is not trusted")
          .contains("AWS_CA_BUNDLE")
          .contains("S3_VERIFY_SSL");

      Map<String, String> bundle = env(proxy.endpoint());
      bundle.put("AWS_CA_BUNDLE", tls.caCertificatePem().toString());
      var withBundle = run(bundle, "s3://" + bucket + "/m", tmp.resolve("d2").toString());
      assertThat(withBundle.succeeded()).as(withBundle.log()).isTrue();
      assertModel(tmp.resolve("d2"));

      Map<String, String> insecure = env(proxy.endpoint());
      insecure.put("S3_VERIFY_SSL", "0");
      var withoutVerification =
          run(insecure, "s3://" + bucket + "/m", tmp.resolve("d3").toString());
      assertThat(withoutVerification.succeeded()).as(withoutVerification.log()).isTrue();
      assertModel(tmp.resolve("d3"));
    }
  }

  @Test
  void globalCaBundleFromTheConfigMapMount() throws Exception {
    TlsMaterial tls = TlsMaterial.selfSigned(tmp.resolve("tls"));
    Path mount = Files.createDirectories(tmp.resolve("custom-certs"));
    Files.copy(tls.caCertificatePem(), mount.resolve("cabundle.crt"));
    try (FaultProxy proxy = FaultProxy.startTls(S3Harness.server().address(), tls)) {
      Map<String, String> e = env(proxy.endpoint());
      e.put("CA_BUNDLE_CONFIGMAP_NAME", "custom-ca");
      e.put("CA_BUNDLE_VOLUME_MOUNT_POINT", mount.toString());
      var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
      assertThat(r.succeeded()).as(r.log()).isTrue();
    }
  }

  @Test
  void plainHttpGoesThroughTheForwardProxyUnlessExcluded() throws Exception {
    try (ForwardProxy proxy = ForwardProxy.start()) {
      Map<String, String> e = env();
      e.put("HTTP_PROXY", proxy.endpoint().toString());
      var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
      assertThat(r.succeeded()).as(r.log()).isTrue();
      assertThat(proxy.requestLines())
          .anyMatch(
              l ->
                  l.startsWith(
                      "GET http://127.0.0.1:" + S3Harness.server().endpoint().getPort() + "/"));
      int seen = proxy.requestLines().size();
      e.put("NO_PROXY", "127.0.0.1");
      assertThat(run(e, "s3://" + bucket + "/m", tmp.resolve("d2").toString()).succeeded())
          .isTrue();
      assertThat(proxy.requestLines()).hasSize(seen);
    }
  }

  @Test
  void httpsTunnelsThroughTheProxyWithConnect() throws Exception {
    TlsMaterial tls = TlsMaterial.selfSigned(tmp.resolve("tls"));
    try (FaultProxy tlsServer = FaultProxy.startTls(S3Harness.server().address(), tls);
        ForwardProxy proxy = ForwardProxy.startWithBasicAuth("user", "pa:ss")) {
      Map<String, String> e = env(tlsServer.endpoint());
      e.put("AWS_CA_BUNDLE", tls.caCertificatePem().toString());
      e.put("HTTPS_PROXY", "http://user:pa%3Ass@127.0.0.1:" + proxy.port());
      var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
      assertThat(r.succeeded()).as(r.log()).isTrue();
      assertThat(proxy.requestLines())
          .anyMatch(l -> l.startsWith("CONNECT 127.0.0.1:" + tlsServer.port()));
      assertModel(tmp.resolve("d"));

      e.put("HTTPS_PROXY", "http://user:wrong@127.0.0.1:" + proxy.port());
      var denied = run(e, "s3://" + bucket + "/m", tmp.resolve("d2").toString());
      assertThat(denied.failed().getMessage()).contains("requires authentication");
      assertThat(denied.log() + denied.failed().getMessage()).doesNotContain("wrong");
    }
  }

  @Test
  void unsignedRequestsReachAPublicEndpoint() throws Exception {
    URI ep = S3Harness.server().endpoint();
    // S3Proxy requires signatures, so an anonymous request is denied with a message that names the
    // setting.
    Map<String, String> e = env(ep);
    e.put("awsAnonymousCredential", "true");
    var r = run(e, "s3://" + bucket + "/m", tmp.resolve("d").toString());
    assertThat(r.failed().getMessage()).contains("awsAnonymousCredential");
  }
}
