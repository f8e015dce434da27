package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stowage.testkit.Fault;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.HttpFileServer;
import io.stowage.testkit.S3ProxyServer;
import io.stowage.testkit.S3Seeder;
import io.stowage.testkit.SampleModel;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line contract of {@code stowage initialize}, checked on the packaged launcher: exit
 * codes per failure class, log lines on stderr, the termination message, secrets kept out, and a
 * SIGKILL in the middle of a download followed by a rerun.
 */
class InitializeCommandIT {
  private static final String BUCKET = "cli-it";
  private static S3ProxyServer server;
  private static Path model;

  @TempDir Path tmp;

  @BeforeAll
  static void seed(@TempDir Path shared) throws Exception {
    server = S3ProxyServer.shared();
    model = shared.resolve("model");
    List<Path> files = SampleModel.write(model, 6L << 20, 4, 11);
    try (S3Seeder s3 = S3Seeder.forServer(server)) {
      s3.createBucket(BUCKET);
      for (Path rel : files) {
        Path f = model.resolve(rel);
        if (Files.size(f) > (5L << 20)) {
          s3.putMultipart(BUCKET, "llm/" + rel, f, 5L << 20);
        } else {
          s3.putFile(BUCKET, "llm/" + rel, f);
        }
      }
    }
  }

  private static Map<String, String> env(URI endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", server.accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", server.secretKey());
    env.put("AWS_ENDPOINT_URL", endpoint.toString());
    env.put("S3_CONNECT_TIMEOUT", "2");
    return env;
  }

  private static Map<String, String> tree(Path root) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(p).toString();
        if (!rel.equals(".stowage-manifest.jsonl")) {
          out.put(
              rel,
              HexFormat.of()
                  .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
      }
    }
    return out;
  }

  private static List<String> hiddenLeftovers(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".partial") || n.endsWith(".tmp"))
          .toList();
    }
  }

  @Test
  void downloadsAndEndsWithTheModelDownloadedLine() throws Exception {
    Path dest = tmp.resolve("mnt/models");
    Map<String, String> env = env(server.endpoint());
    env.put("STOWAGE_TERMINATION_LOG", tmp.resolve("termination-log").toString());
    var r = Launcher.run(env, "initialize", "s3://" + BUCKET + "/llm", dest.toString());
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr())
        .allMatch(
            l ->
                l.matches(
                    "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\d+ stowage\\.initializer"
                        + " (INFO|WARNING) .*"));
    assertThat(r.lastErrLine()).matches(".* INFO Model downloaded in \\d+\\.\\d\\d seconds\\.");
    assertThat(tree(dest)).isEqualTo(tree(model));
    // What was deployed, for the controller to copy into status.modelStatus.deployed.
    assertThat(Files.readString(tmp.resolve("termination-log"), StandardCharsets.UTF_8))
        .matches(
            "\\{\"deployed\":\\[\\{\"source\":\"s3://"
                + BUCKET
                + "/llm\",\"files\":\\d+,\"bytes\":\\d+,"
                + "\"manifestDigest\":\"sha256:[0-9a-f]{64}\"\\}\\]\\}");
  }

  @Test
  void usageErrorsExitWithTwo() throws Exception {
    var none = Launcher.run(Map.of(), "initialize");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.lastErrLine()).startsWith("Usage: stowage initialize SRC_URI DEST_PATH");
    var odd = Launcher.run(Map.of(), "initialize", "s3://a/b", "/tmp/x", "s3://c/d");
    assertThat(odd.exit()).isEqualTo(2);
    var scheme = Launcher.run(Map.of(), "initialize", "ftp://host/model", tmp.toString());
    assertThat(scheme.exit()).isEqualTo(2);
    assertThat(scheme.lastErrLine())
        .startsWith("Cannot recognize storage type for ftp://host/model");
  }

  @Test
  void wrongSecretExitsWithThreeAndWritesOneLineTerminationMessage() throws Exception {
    Map<String, String> env = env(server.endpoint());
    env.put("AWS_SECRET_ACCESS_KEY", "definitely-wrong-secret");
    Path termination = tmp.resolve("termination-log");
    env.put("STOWAGE_TERMINATION_LOG", termination.toString());
    var r = Launcher.run(env, "initialize", "s3://" + BUCKET + "/llm", tmp.resolve("d").toString());
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.lastErrLine()).contains("SignatureDoesNotMatch").doesNotStartWith("20");
    assertThat(Files.readString(termination, StandardCharsets.UTF_8)).isEqualTo(r.lastErrLine());
    assertThat(r.all())
        .doesNotContain("definitely-wrong-secret")
        .doesNotContain(server.secretKey());
  }

  @Test
  void missingBucketExitsWithFourAndUnreachableEndpointWithFive() throws Exception {
    var missing =
        Launcher.run(
            env(server.endpoint()),
            "initialize",
            "s3://no-such-bucket-x/llm",
            tmp.resolve("a").toString());
    assertThat(missing.exit()).isEqualTo(4);
    assertThat(missing.lastErrLine()).contains("does not exist");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Map<String, String> env = env(URI.create("http://127.0.0.1:" + port));
    env.put("S3_MAX_ATTEMPTS", "1");
    var unreachable =
        Launcher.run(env, "initialize", "s3://" + BUCKET + "/llm", tmp.resolve("b").toString());
    assertThat(unreachable.exit()).isEqualTo(5);
    assertThat(unreachable.lastErrLine()).startsWith("Cannot connect to S3 endpoint");
  }

  @Test
  void aUrlsPasswordQueryAndFragmentReachNeitherTheLogNorTheTerminationMessage() throws Exception {
    try (HttpFileServer web = HttpFileServer.start()) {
      web.put("/model.bin", new byte[3 << 20]);
      // The probe (bytes=0-0) is answered; every download request after it gets 503.
      web.setRequestHook(
          q -> {
            if (!"bytes=0-0".equals(q.range())) {
              web.respondAlways("/model.bin", 503);
            }
          });
      String url =
          "http://alice:pa55word@127.0.0.1:"
              + web.port()
              + "/model.bin?X-Amz-Signature=s1gn4ture&sig=an0ther#access_token=fr4gment";
      Path termination = tmp.resolve("termination-log");
      Map<String, String> env = new HashMap<>();
      env.put("STOWAGE_TERMINATION_LOG", termination.toString());
      env.put("S3_MAX_ATTEMPTS", "2");
      var r = Launcher.run(env, "initialize", url, tmp.resolve("d").toString());
      assertThat(r.exit()).as(r.all()).isEqualTo(5);
      String message = Files.readString(termination, StandardCharsets.UTF_8);
      assertThat(message).isEqualTo(r.lastErrLine()).contains("503").contains("127.0.0.1");
      for (String secret : List.of("pa55word", "s1gn4ture", "an0ther", "fr4gment")) {
        assertThat(r.all()).doesNotContain(secret);
        assertThat(message).doesNotContain(secret);
      }
    }
  }

  @Test
  void aDestinationWithoutSpaceExitsWithSeven() throws Exception {
    Path small = Files.createDirectories(tmp.resolve("small"));
    Process mount =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small.toString())
            .start();
    Assumptions.assumeTrue(mount.waitFor() == 0, "needs root to mount a small tmpfs");
    try {
      var r =
          Launcher.run(
              env(server.endpoint()), "initialize", "s3://" + BUCKET + "/llm", small.toString());
      assertThat(r.exit()).as(r.all()).isEqualTo(7);
      assertThat(r.lastErrLine()).startsWith("Not enough space in");
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor();
    }
  }

  @Test
  void aKilledInitializerIsResumedByTheNextRunAndEndsByteIdentical() throws Exception {
    try (FaultProxy slow = FaultProxy.start(server.address())) {
      slow.setFault(new Fault.Throttle(6L << 20));
      Path dest = tmp.resolve("mnt/models");
      Map<String, String> env = env(slow.endpoint());
      env.put("STOWAGE_PART_SIZE", "1Mi");
      Process first =
          Launcher.builder(env, "initialize", "s3://" + BUCKET + "/llm", dest.toString())
              .redirectErrorStream(true)
              .redirectOutput(tmp.resolve("first.log").toFile())
              .start();
      Path manifest = dest.resolve(".stowage-manifest.jsonl");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  Files.exists(manifest)
                      && Files.readString(manifest).contains("\"type\":\"part\""));
      first.destroyForcibly();
      assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(first.exitValue()).isEqualTo(137);
      assertThat(tree(dest)).isNotEqualTo(tree(model));

      slow.setFault(Fault.none());
      var second = Launcher.run(env, "initialize", "s3://" + BUCKET + "/llm", dest.toString());
      assertThat(second.exit()).as(second.all()).isZero();
      assertThat(second.all()).contains("Resuming:");
      assertThat(tree(dest)).isEqualTo(tree(model));
      assertThat(hiddenLeftovers(dest)).isEmpty();
    }
  }
}
