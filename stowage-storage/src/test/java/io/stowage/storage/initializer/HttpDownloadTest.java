package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.random;
import static io.stowage.storage.initializer.InitializerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.storage.Failure;
import io.stowage.testkit.Fault;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.HttpFileServer;
import io.stowage.testkit.RecordedRequest;
import io.stowage.testkit.TlsMaterial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** https:// and http:// single files against a real HTTP server on loopback. */
class HttpDownloadTest {
  private static final int MIB = 1024 * 1024;

  @TempDir Path tmp;
  private HttpFileServer server;
  private final byte[] model = random(5 * MIB + 123, 31);

  @BeforeEach
  void start() {
    server = HttpFileServer.start();
    server.put("/models/model.onnx", model);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("STOWAGE_PART_SIZE", "1Mi");
    env.put("S3_READ_TIMEOUT", "2");
    return env;
  }

  private Path dest() {
    return tmp.resolve("mnt/models");
  }

  @Test
  void aServerWithRangesIsReadInParallelRangesGuardedByIfRange() throws Exception {
    var r = run(env(), server.url("/models/model.onnx").toString(), dest().toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.readAllBytes(dest().resolve("model.onnx"))).isEqualTo(model);
    List<RecordedRequest> ranged =
        server.requests("/models/model.onnx").stream().filter(q -> q.range() != null).toList();
    assertThat(ranged).hasSizeGreaterThan(5);
    assertThat(ranged.subList(1, ranged.size())).allMatch(q -> q.hasHeader("If-Range"));
  }

  @Test
  void aServerWithoutRangesIsReadAsOneStream() throws Exception {
    server.setOptions(HttpFileServer.Options.defaults().withRanges(false));
    var r = run(env(), server.url("/models/model.onnx").toString(), dest().toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.readAllBytes(dest().resolve("model.onnx"))).isEqualTo(model);
  }

  @Test
  void aChunkedAnswerWithoutLengthIsReadToTheEnd() throws Exception {
    server.setOptions(HttpFileServer.Options.defaults().withRanges(false).withChunked(true));
    var r = run(env(), server.url("/models/model.onnx").toString(), dest().toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.readAllBytes(dest().resolve("model.onnx"))).isEqualTo(model);
  }

  @Test
  void digestsTheServerStatesAreChecked() throws Exception {
    server.setOptions(HttpFileServer.Options.defaults().withReprDigest(true).withContentMd5(true));
    var r = run(env(), server.url("/models/model.onnx").toString(), dest().toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    server.setOptions(HttpFileServer.Options.defaults().withRanges(false).withContentMd5(true));
    var single =
        run(env(), server.url("/models/model.onnx").toString(), tmp.resolve("other").toString());
    assertThat(single.succeeded()).as(single.log()).isTrue();
  }

  @Test
  void droppedAndStalledConnectionsAreResumed() throws Exception {
    try (FaultProxy proxy =
        FaultProxy.start(
            new java.net.InetSocketAddress(
                java.net.InetAddress.getLoopbackAddress(), server.port()))) {
      proxy.setFault(new Fault.DropAfter(200_000, 3));
      String url = proxy.endpoint() + "/models/model.onnx";
      var dropped = run(env(), url, dest().toString());
      assertThat(dropped.succeeded()).as(dropped.log()).isTrue();
      assertThat(Files.readAllBytes(dest().resolve("model.onnx"))).isEqualTo(model);
      proxy.setFault(new Fault.StallAfter(100_000, 1));
      var stalled = run(env(), url, tmp.resolve("again").toString());
      assertThat(stalled.succeeded()).as(stalled.log()).isTrue();
      assertThat(stalled.log()).contains("no data from");
    }
  }

  @Test
  void statusCodesGetTheirOwnMessages() {
    server.respondAlways("/missing.bin", 404);
    var missing = run(env(), server.url("/missing.bin").toString(), dest().toString());
    assertThat(missing.failed().failure()).isEqualTo(Failure.NOT_FOUND);
    assertThat(missing.failed().getMessage()).endsWith("missing.bin not found (404)");

    server.put("/private/model.bin", model);
    server.requireHeader("/private/model.bin", "Authorization", "Bearer good", "Bearer readonly");
    var unauthorized = run(env(), server.url("/private/model.bin").toString(), dest().toString());
    assertThat(unauthorized.failed().failure()).isEqualTo(Failure.AUTH);
    assertThat(unauthorized.failed().getMessage()).contains("(401)").contains("127.0.0.1-headers");

    Map<String, String> forbiddenEnv = env();
    forbiddenEnv.put("127.0.0.1-headers", "{\"Authorization\": \"Bearer readonly\"}");
    var forbidden =
        run(forbiddenEnv, server.url("/private/model.bin").toString(), dest().toString());
    assertThat(forbidden.failed().failure()).isEqualTo(Failure.AUTH);
    assertThat(forbidden.failed().getMessage()).contains("(403)").doesNotContain("readonly");

    server.respondAlways("/broken.bin", 500);
    var broken = run(env(), server.url("/broken.bin").toString(), dest().toString());
    assertThat(broken.failed().failure()).isEqualTo(Failure.NETWORK);
    assertThat(broken.failed().getMessage()).contains("returned a 500 response code");
  }

  /** A URL carrying a password, presigned query values and a fragment token. */
  private String secretUrl() {
    return "http://alice:pa55word@127.0.0.1:"
        + server.port()
        + "/models/model.onnx?X-Amz-Signature=s1gn4ture&sig=an0ther#access_token=fr4gment";
  }

  private static void assertNoUrlSecret(String text) {
    assertThat(text)
        .doesNotContain("pa55word")
        .doesNotContain("s1gn4ture")
        .doesNotContain("an0ther")
        .doesNotContain("fr4gment");
  }

  @Test
  void aFailedProbeNamesTheUrlWithoutItsSecrets() {
    server.respondAlways("/models/model.onnx", 503);
    var r = run(env(), secretUrl(), dest().toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NETWORK);
    assertThat(r.failed().getMessage()).contains("X-Amz-Signature=***").contains("503");
    assertNoUrlSecret(String.valueOf(r.failed().getMessage()));
    assertNoUrlSecret(r.log());

    String fragmentOnly = server.url("/models/model.onnx") + "#access_token=fr4gment";
    var f = run(env(), fragmentOnly, dest().toString());
    assertThat(f.failed().getMessage()).contains("model.onnx#***");
    assertNoUrlSecret(String.valueOf(f.failed().getMessage()));
  }

  @Test
  void aFailedDownloadNamesTheUrlWithoutItsSecrets() {
    // The probe (bytes=0-0) succeeds; every ranged request after it gets 503.
    server.setRequestHook(
        q -> {
          if (!"bytes=0-0".equals(q.range())) {
            server.respondAlways("/models/model.onnx", 503);
          }
        });
    var r = run(env(), secretUrl(), dest().toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.NETWORK);
    assertThat(r.failed().getMessage()).contains("downloading").contains("503");
    assertNoUrlSecret(String.valueOf(r.failed().getMessage()));
    assertNoUrlSecret(r.log());
  }

  @Test
  void transientServerErrorsAreRetried() throws Exception {
    server.failNext("/models/model.onnx", 2, 503);
    var r = run(env(), server.url("/models/model.onnx").toString(), dest().toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.readAllBytes(dest().resolve("model.onnx"))).isEqualTo(model);
  }

  @Test
  void hostHeadersReachTheHostButNotAnotherHostAfterARedirect() throws Exception {
    try (HttpFileServer cdn = HttpFileServer.start()) {
      cdn.put("/blob", model);
      server.put("/private/model.bin", model);
      server.requireHeader("/private/model.bin", "Authorization", "Bearer good");
      server.redirect("/private/model.bin", 302, "http://localhost:" + cdn.port() + "/blob");
      Map<String, String> e = env();
      e.put("127.0.0.1-headers", "{\"Authorization\": \"Bearer good\"}");
      var r = run(e, server.url("/private/model.bin").toString(), dest().toString());
      assertThat(r.succeeded()).as(r.log()).isTrue();
      assertThat(Files.readAllBytes(dest().resolve("model.bin"))).isEqualTo(model);
      assertThat(cdn.requests()).isNotEmpty().noneMatch(RecordedRequest::hasAuthorization);
      assertThat(r.log()).doesNotContain("Bearer good");
    }
  }

  @Test
  void anHtmlPageInPlaceOfAFileIsRefusedButAnHtmlFileIsNot() throws Exception {
    server.put(
        "/download/model.safetensors", "<html>login</html>".getBytes(StandardCharsets.UTF_8));
    server.contentType("/download/model.safetensors", "text/html; charset=utf-8");
    var r = run(env(), server.url("/download/model.safetensors").toString(), dest().toString());
    assertThat(r.failed().getMessage()).contains("returned an HTML page");
    server.put("/docs/index.html", "<html>ok</html>".getBytes(StandardCharsets.UTF_8));
    server.contentType("/docs/index.html", "text/html");
    assertThat(run(env(), server.url("/docs/index.html").toString(), dest().toString()).succeeded())
        .isTrue();
  }

  @Test
  void aFileNameLongerThanTheFilesystemTakesIsRefusedBeforeAnyRequest() {
    String name = "m".repeat(300) + ".onnx";
    server.put("/models/" + name, model);
    var r = run(env(), server.url("/models/" + name).toString(), dest().toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.UNSAFE_SOURCE);
    assertThat(r.failed().getMessage()).contains(name).contains("255").doesNotContain("\n");
    assertThat(server.requests("/models/" + name)).isEmpty();
  }

  @Test
  void aLinkPlantedAtTheManifestNameIsReplacedAndItsTargetLeftAlone() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path victim = Files.writeString(outside.resolve("victim"), "not Stowage's");
    Files.createDirectories(dest());
    Files.createSymbolicLink(dest().resolve(".stowage-manifest.jsonl"), victim);
    var r = run(env(), server.url("/models/model.onnx").toString(), dest().toString());
    assertThat(r.succeeded()).as(r.log()).isTrue();
    assertThat(Files.readString(victim)).isEqualTo("not Stowage's");
    assertThat(Files.isSymbolicLink(dest().resolve(".stowage-manifest.jsonl"))).isFalse();
    assertThat(Files.readAllBytes(dest().resolve("model.onnx"))).isEqualTo(model);
  }

  @Test
  void aUrlWithoutAFileNameIsAUsageError() {
    var r = run(env(), server.url("/").toString(), dest().toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.USAGE);
    assertThat(r.failed().getMessage()).startsWith("No filename contained in URI");
  }

  @Test
  void aFileReplacedDuringTheDownloadIsAnIntegrityFailure() throws Exception {
    server.setRequestHook(
        q -> {
          if (q.range() != null && !q.range().startsWith("bytes=0-")) {
            server.put("/models/model.onnx", random(5 * MIB + 123, 99));
          }
        });
    var r = run(env(), server.url("/models/model.onnx").toString(), dest().toString());
    assertThat(r.failed().failure()).isEqualTo(Failure.INTEGRITY);
    assertThat(dest().resolve("model.onnx")).doesNotExist();
  }

  @Test
  void httpsWithAPrivateCaNeedsTheBundle() throws Exception {
    TlsMaterial tls = TlsMaterial.selfSigned(tmp.resolve("tls"));
    try (HttpFileServer secure = HttpFileServer.startTls(tls)) {
      secure.put("/m/model.bin", model);
      String url = secure.url("/m/model.bin").toString();
      var refused = run(env(), url, dest().toString());
      assertThat(refused.failed().getMessage())
          .contains("is not trusted")
          .contains("REQUESTS_CA_BUNDLE");
      Map<String, String> e = env();
      e.put("REQUESTS_CA_BUNDLE", tls.caCertificatePem().toString());
      var trusted = run(e, url, dest().toString());
      assertThat(trusted.succeeded()).as(trusted.log()).isTrue();
      Path mount = Files.createDirectories(tmp.resolve("certs"));
      Files.copy(tls.caCertificatePem(), mount.resolve("cabundle.crt"));
      Map<String, String> global = env();
      global.put("CA_BUNDLE_CONFIGMAP_NAME", "ca");
      global.put("CA_BUNDLE_VOLUME_MOUNT_POINT", mount.toString());
      assertThat(run(global, url, tmp.resolve("g").toString()).succeeded()).isTrue();
    }
  }
}
