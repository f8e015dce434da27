package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpFileServerTest {

  private static final byte[] MODEL = ByteSourceServer.pattern(100_000);

  @TempDir Path dir;

  private HttpFileServer server;
  private final TestHttp http = TestHttp.plain();

  @BeforeEach
  void start() {
    server = HttpFileServer.start();
    server.put("/model.bin", MODEL);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servesTheWholeFileWithLengthValidatorsAndRangeSupport() throws Exception {
    HttpResponse<byte[]> response = http.get(server.url("/model.bin"));

    assertThat(server.endpoint().toString()).startsWith("http://127.0.0.1:");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(MODEL);
    assertThat(header(response, "content-length")).isEqualTo("100000");
    assertThat(header(response, "accept-ranges")).isEqualTo("bytes");
    assertThat(header(response, "content-type")).isEqualTo("application/octet-stream");
    assertThat(header(response, "etag")).isEqualTo("\"" + hex("MD5", MODEL) + "\"");
    assertThat(header(response, "last-modified"))
        .matches("\\w{3}, \\d{2} \\w{3} \\d{4} [\\d:]{8} GMT");
    assertThat(response.headers().firstValue("content-md5")).isEmpty();
    assertThat(response.headers().firstValue("repr-digest")).isEmpty();
  }

  @Test
  void headHasTheHeadersOfGetAndNoBody() throws Exception {
    HttpResponse<byte[]> get = http.get(server.url("/model.bin"));
    HttpResponse<byte[]> head = http.head(server.url("/model.bin"));

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    for (String name : List.of("content-length", "etag", "last-modified", "accept-ranges")) {
      assertThat(header(head, name)).as(name).isEqualTo(header(get, name));
    }
  }

  @Test
  void answersRangesWith206AndContentRange() throws Exception {
    HttpResponse<byte[]> middle = http.get(server.url("/model.bin"), "Range", "bytes=10-19");
    HttpResponse<byte[]> open = http.get(server.url("/model.bin"), "Range", "bytes=99990-");
    HttpResponse<byte[]> suffix = http.get(server.url("/model.bin"), "Range", "bytes=-5");
    HttpResponse<byte[]> beyondEnd =
        http.get(server.url("/model.bin"), "Range", "bytes=99999-200000");

    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(MODEL, 10, 20));
    assertThat(header(middle, "content-range")).isEqualTo("bytes 10-19/100000");
    assertThat(header(middle, "content-length")).isEqualTo("10");
    assertThat(open.body()).isEqualTo(Arrays.copyOfRange(MODEL, 99_990, 100_000));
    assertThat(header(open, "content-range")).isEqualTo("bytes 99990-99999/100000");
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(MODEL, 99_995, 100_000));
    assertThat(beyondEnd.body()).hasSize(1);
    assertThat(header(beyondEnd, "content-range")).isEqualTo("bytes 99999-99999/100000");
  }

  @Test
  void unsatisfiableRangeIs416AndOddRangesGetTheWholeBody() throws Exception {
    HttpResponse<byte[]> pastEnd = http.get(server.url("/model.bin"), "Range", "bytes=100000-");
    HttpResponse<byte[]> several = http.get(server.url("/model.bin"), "Range", "bytes=0-1,5-6");
    HttpResponse<byte[]> malformed = http.get(server.url("/model.bin"), "Range", "bytes=9-2");

    assertThat(pastEnd.statusCode()).isEqualTo(416);
    assertThat(header(pastEnd, "content-range")).isEqualTo("bytes */100000");
    assertThat(pastEnd.body()).isEmpty();
    assertThat(several.statusCode()).isEqualTo(200);
    assertThat(several.body()).isEqualTo(MODEL);
    assertThat(malformed.statusCode()).isEqualTo(200);
  }

  @Test
  void withoutRangesEveryAnswerIsTheWholeBodyAndNoAcceptRanges() throws Exception {
    server.setOptions(HttpFileServer.Options.defaults().withRanges(false));

    HttpResponse<byte[]> response = http.get(server.url("/model.bin"), "Range", "bytes=10-19");
    HttpResponse<byte[]> head = http.head(server.url("/model.bin"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(MODEL);
    assertThat(response.headers().firstValue("accept-ranges")).isEmpty();
    assertThat(head.headers().firstValue("accept-ranges")).isEmpty();
  }

  @Test
  void chunkedBodiesCarryNoLength() throws Exception {
    server.setOptions(HttpFileServer.Options.defaults().withChunked(true));

    HttpResponse<byte[]> whole = http.get(server.url("/model.bin"));
    HttpResponse<byte[]> part = http.get(server.url("/model.bin"), "Range", "bytes=0-9");
    HttpResponse<byte[]> head = http.head(server.url("/model.bin"));

    assertThat(whole.body()).isEqualTo(MODEL);
    assertThat(header(whole, "transfer-encoding")).isEqualTo("chunked");
    assertThat(whole.headers().firstValue("content-length")).isEmpty();
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.body()).isEqualTo(Arrays.copyOf(MODEL, 10));
    assertThat(head.headers().firstValue("content-length")).isEmpty();
  }

  @Test
  void chunkedFramingIsOnTheWire() throws Exception {
    server.setOptions(HttpFileServer.Options.defaults().withChunked(true));
    server.put("/small", "hello".getBytes(StandardCharsets.UTF_8));

    String raw = rawExchange("GET /small HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(raw).containsIgnoringCase("transfer-encoding: chunked");
    assertThat(raw).endsWith("\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  }

  @Test
  void sendsDigestsOfTheWholeFileWhenAsked() throws Exception {
    server.setOptions(HttpFileServer.Options.defaults().withContentMd5(true).withReprDigest(true));
    String md5 = Base64.getEncoder().encodeToString(digest("MD5", MODEL));
    String sha256 = Base64.getEncoder().encodeToString(digest("SHA-256", MODEL));

    HttpResponse<byte[]> whole = http.get(server.url("/model.bin"));
    HttpResponse<byte[]> part = http.get(server.url("/model.bin"), "Range", "bytes=0-9");

    assertThat(header(whole, "content-md5")).isEqualTo(md5);
    assertThat(header(whole, "repr-digest")).isEqualTo("sha-256=:" + sha256 + ":");
    assertThat(part.headers().firstValue("content-md5")).isEmpty();
    assertThat(header(part, "repr-digest")).isEqualTo("sha-256=:" + sha256 + ":");
  }

  @Test
  void validatorsCanBeTurnedOff() throws Exception {
    server.setOptions(HttpFileServer.Options.defaults().withEtags(false).withLastModified(false));

    HttpResponse<byte[]> response = http.get(server.url("/model.bin"));

    assertThat(response.headers().firstValue("etag")).isEmpty();
    assertThat(response.headers().firstValue("last-modified")).isEmpty();
  }

  @Test
  void contentTypeIsPerPath() throws Exception {
    server.put("/model.tar.gz", new byte[] {1, 2, 3});
    server.contentType("/model.tar.gz", "application/x-gzip");

    assertThat(header(http.get(server.url("/model.tar.gz")), "content-type"))
        .isEqualTo("application/x-gzip");
  }

  @Test
  void ifMatchMismatchIs412() throws Exception {
    String etag = header(http.head(server.url("/model.bin")), "etag");

    HttpResponse<byte[]> matching = http.get(server.url("/model.bin"), "If-Match", etag);
    HttpResponse<byte[]> stale =
        http.get(server.url("/model.bin"), "If-Match", "\"old\"", "Range", "bytes=0-9");
    HttpResponse<byte[]> any = http.get(server.url("/model.bin"), "If-Match", "*");

    assertThat(matching.statusCode()).isEqualTo(200);
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.body()).isEmpty();
    assertThat(any.statusCode()).isEqualTo(200);
  }

  @Test
  void ifRangeWithAStaleValidatorGivesTheWholeNewBody() throws Exception {
    HttpResponse<byte[]> first = http.head(server.url("/model.bin"));
    String etag = header(first, "etag");
    String lastModified = header(first, "last-modified");

    HttpResponse<byte[]> sameTag =
        http.get(server.url("/model.bin"), "Range", "bytes=0-9", "If-Range", etag);
    HttpResponse<byte[]> sameDate =
        http.get(server.url("/model.bin"), "Range", "bytes=0-9", "If-Range", lastModified);
    byte[] changed = ByteSourceServer.pattern(50);
    changed[0] ^= 1;
    server.put("/model.bin", changed);
    HttpResponse<byte[]> afterChange =
        http.get(server.url("/model.bin"), "Range", "bytes=0-9", "If-Range", etag);

    assertThat(sameTag.statusCode()).isEqualTo(206);
    assertThat(sameDate.statusCode()).isEqualTo(206);
    assertThat(afterChange.statusCode()).isEqualTo(200);
    assertThat(afterChange.body()).isEqualTo(changed);
    assertThat(header(afterChange, "etag")).isNotEqualTo(etag);
  }

  @Test
  void requiredHeadersGive401Or403() throws Exception {
    server.requireHeader("/model.bin", "Authorization", "Bearer good", "Bearer known-but-denied");

    HttpResponse<byte[]> missing = http.get(server.url("/model.bin"));
    HttpResponse<byte[]> wrong = http.get(server.url("/model.bin"), "Authorization", "Bearer bad");
    HttpResponse<byte[]> denied =
        http.get(server.url("/model.bin"), "Authorization", "Bearer known-but-denied");
    HttpResponse<byte[]> good = http.get(server.url("/model.bin"), "Authorization", "Bearer good");

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(header(missing, "www-authenticate")).startsWith("Bearer");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(good.body()).isEqualTo(MODEL);
  }

  @Test
  void requiredHeadersCanCoverEveryPath() throws Exception {
    server.put("/other", new byte[] {7});
    server.requireHeader("*", "X-Api-Key", "k1");

    assertThat(http.get(server.url("/other")).statusCode()).isEqualTo(401);
    assertThat(http.get(server.url("/other"), "X-Api-Key", "k1").statusCode()).isEqualTo(200);
  }

  @Test
  void redirectsWithEachStatusAndRelativeOrAbsoluteLocations() throws Exception {
    server.redirect("/moved", 301, "/model.bin");
    server.redirect("/found", 302, server.url("/model.bin").toString());
    server.redirect("/temporary", 307, "/model.bin");
    server.redirect("/permanent", 308, "/model.bin");

    HttpResponse<byte[]> notFollowed = http.get(server.url("/moved"));
    assertThat(notFollowed.statusCode()).isEqualTo(301);
    assertThat(header(notFollowed, "location")).isEqualTo("/model.bin");
    assertThat(header(http.head(server.url("/found")), "location"))
        .isEqualTo(server.url("/model.bin").toString());

    TestHttp following = TestHttp.followingRedirects();
    for (String path : List.of("/moved", "/found", "/temporary", "/permanent")) {
      HttpResponse<byte[]> response = following.get(server.url(path));
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      assertThat(response.body()).as(path).isEqualTo(MODEL);
    }
  }

  @Test
  void redirectsAcrossHostsToAnotherServer() throws Exception {
    try (HttpFileServer mirror = HttpFileServer.start()) {
      mirror.put("/blobs/model.bin", MODEL);
      server.redirect("/download", 302, mirror.url("/blobs/model.bin").toString());

      HttpResponse<byte[]> response =
          TestHttp.followingRedirects().get(server.url("/download"), "Range", "bytes=0-99");

      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.body()).isEqualTo(Arrays.copyOf(MODEL, 100));
      assertThat(response.uri()).isEqualTo(mirror.url("/blobs/model.bin"));
      assertThat(server.requests()).extracting(RecordedRequest::path).containsExactly("/download");
      assertThat(mirror.requests())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.path()).isEqualTo("/blobs/model.bin");
                assertThat(r.range()).isEqualTo("bytes=0-99");
              });
    }
  }

  @Test
  void scriptedStatusesComeFirstThenNormalAnswers() throws Exception {
    server.failNext("/model.bin", 2, 503, Map.of("Retry-After", "1"));
    server.respondAlways("/gone", 404);
    server.put("/gone", new byte[] {1});

    HttpResponse<byte[]> first = http.get(server.url("/model.bin"));
    HttpResponse<byte[]> second = http.get(server.url("/model.bin"));
    HttpResponse<byte[]> third = http.get(server.url("/model.bin"));

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(header(first, "retry-after")).isEqualTo("1");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(http.get(server.url("/gone")).statusCode()).isEqualTo(404);
    assertThat(http.get(server.url("/gone")).statusCode()).isEqualTo(404);

    server.clearScript();
    assertThat(http.get(server.url("/gone")).statusCode()).isEqualTo(200);
  }

  @Test
  void prefixPatternsScriptWholeTrees() throws Exception {
    server.put("/a/one", new byte[] {1});
    server.put("/a/two", new byte[] {2});
    server.failNext("/a/*", 1, 500);

    assertThat(http.get(server.url("/a/two")).statusCode()).isEqualTo(500);
    assertThat(http.get(server.url("/a/one")).statusCode()).isEqualTo(200);
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() throws Exception {
    assertThat(http.get(server.url("/nothing")).statusCode()).isEqualTo(404);
    HttpResponse<byte[]> post =
        http.send(
            TestHttp.request(server.url("/model.bin"))
                .POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(header(post, "allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void recordsEveryRequestWithItsHeaders() throws Exception {
    http.get(server.url("/model.bin"), "Range", "bytes=5-9", "X-Custom", "yes");
    http.head(server.url("/model.bin"), "Authorization", "Bearer visible-here");

    List<RecordedRequest> requests = server.requests();

    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).method()).isEqualTo("GET");
    assertThat(requests.get(0).path()).isEqualTo("/model.bin");
    assertThat(requests.get(0).query()).isNull();
    assertThat(requests.get(0).range()).isEqualTo("bytes=5-9");
    assertThat(requests.get(0).header("X-CUSTOM")).isEqualTo("yes");
    assertThat(requests.get(0).headers()).containsKey("x-custom");
    assertThat(requests.get(1).method()).isEqualTo("HEAD");
    assertThat(requests.get(1).header("authorization")).isEqualTo("Bearer visible-here");
    assertThat(server.requests("/model.bin")).hasSize(2);

    server.clearRequests();
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void streamsFilesFromDiskWithRanges() throws Exception {
    Path file = dir.resolve("big.bin");
    byte[] content = ByteSourceServer.pattern(3 * 1024 * 1024 + 17);
    Files.write(file, content);
    server.putFile("/big.bin", file);

    HttpResponse<byte[]> whole = http.get(server.url("/big.bin"));
    HttpResponse<byte[]> part = http.get(server.url("/big.bin"), "Range", "bytes=1048570-2097160");

    assertThat(whole.body()).isEqualTo(content);
    assertThat(header(whole, "etag")).matches("\"[0-9a-f]+-[0-9a-f]+\"");
    assertThat(part.body()).isEqualTo(Arrays.copyOfRange(content, 1_048_570, 2_097_161));
  }

  @Test
  void servesADirectoryAndEncodesPaths() throws Exception {
    Files.createDirectories(dir.resolve("model/sub"));
    Files.writeString(dir.resolve("model/config.json"), "{}");
    Files.writeString(dir.resolve("model/sub/my weights.bin"), "w");
    server.putDirectory("/repo", dir.resolve("model"));

    URI url = server.url("/repo/sub/my weights.bin");

    assertThat(url.getRawPath()).isEqualTo("/repo/sub/my%20weights.bin");
    assertThat(http.get(url).body()).isEqualTo("w".getBytes(StandardCharsets.UTF_8));
    assertThat(http.get(server.url("/repo/config.json")).body())
        .isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    assertThat(server.requests().get(0).rawPath()).isEqualTo("/repo/sub/my%20weights.bin");
    assertThat(server.requests().get(0).path()).isEqualTo("/repo/sub/my weights.bin");
  }

  @Test
  void emptyFilesHaveLengthZero() throws Exception {
    server.put("/empty", new byte[0]);

    HttpResponse<byte[]> response = http.get(server.url("/empty"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEmpty();
    assertThat(header(response, "content-length")).isEqualTo("0");
  }

  @Test
  void requestHookCanHoldAnswersBack() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    server.setRequestHook(
        request -> {
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    var pending =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return http.get(server.url("/model.bin")).statusCode();
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    Thread.sleep(200);
    assertThat(pending).isNotDone();
    release.countDown();
    assertThat(pending.get(5, TimeUnit.SECONDS)).isEqualTo(200);
  }

  @Test
  void servesOverTls() throws Exception {
    TlsMaterial tls = TestHttp.tls();
    try (HttpFileServer https = HttpFileServer.startTls(tls)) {
      https.put("/model.bin", MODEL);

      HttpResponse<byte[]> response =
          TestHttp.trusting(tls).get(https.url("/model.bin"), "Range", "bytes=1-3");

      assertThat(https.endpoint().getScheme()).isEqualTo("https");
      assertThat(response.statusCode()).isEqualTo(206);
      assertThat(response.body()).isEqualTo(Arrays.copyOfRange(MODEL, 1, 4));
      assertThatThrownBy(() -> http.get(https.url("/model.bin"))).isInstanceOf(SSLException.class);
    }
  }

  @Test
  void rejectsPathsWithoutLeadingSlashAndBadRedirectStatuses() {
    assertThatThrownBy(() -> server.put("model.bin", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> server.redirect("/x", 200, "/y"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private String rawExchange(String request) throws IOException {
    try (Socket socket = new Socket(Loopback.ADDRESS, server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static String header(HttpResponse<?> response, String name) {
    return response
        .headers()
        .firstValue(name)
        .orElseThrow(() -> new AssertionError("no " + name + " header"));
  }

  static byte[] digest(String algorithm, byte[] content) {
    try {
      return MessageDigest.getInstance(algorithm).digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  static String hex(String algorithm, byte[] content) {
    return HexFormat.of().formatHex(digest(algorithm, content));
  }
}
