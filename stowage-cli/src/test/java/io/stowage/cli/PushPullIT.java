package io.stowage.cli;

import static io.stowage.cli.ToolsHarness.env;
import static io.stowage.cli.ToolsHarness.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stowage.testkit.Fault;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3Seeder;
import io.stowage.testkit.SampleModel;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code push}, {@code pull}, {@code ls} and {@code verify} on the packaged launcher against a real
 * S3 server: round trips, sync, resume after SIGKILL, --delete, and one-line failures.
 */
class PushPullIT {
  private static final long MIB = 1024 * 1024;
  private static final JsonFactory JSON = new JsonFactory();

  @TempDir Path tmp;
  private Path model = Path.of("");
  private String bucket = "";

  @BeforeEach
  void model() throws IOException {
    bucket = ToolsHarness.newBucket("tools");
    model = tmp.resolve("model");
    SampleModel.write(model, 7 * MIB, 2, 5);
    ToolsHarness.write(model.resolve("tokenizer/extra/merges.txt"), "a b\nc d\n");
  }

  /** The JSON events a command printed, one map per line. */
  private static List<Map<String, Object>> events(Launcher.Result r) throws IOException {
    return r.stdout().stream().map(PushPullIT::parse).toList();
  }

  private static Map<String, Object> parse(String line) {
    Map<String, Object> out = new HashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
          out.put(name, p.getLongValue());
        } else if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
          p.skipChildren();
          out.put(name, "<nested>");
        } else {
          out.put(name, p.getText());
        }
      }
    } catch (IOException e) {
      throw new AssertionError("not a JSON line: " + line, e);
    }
    return out;
  }

  private static Map<String, Object> last(Launcher.Result r, String event) throws IOException {
    return events(r).stream()
        .filter(e -> event.equals(e.get("event")))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + event + " event in\n" + r.all()));
  }

  private Launcher.Result push(Map<String, String> env, String... extra) throws Exception {
    List<String> args = new java.util.ArrayList<>();
    args.addAll(List.of("push", model.toString(), "s3://" + bucket + "/models/m", "--json"));
    args.addAll(List.of(extra));
    return Launcher.run(env, args.toArray(String[]::new));
  }

  @Test
  void pushThenPullRoundTripsByteForByte() throws Exception {
    Launcher.Result pushed = push(env(), "--part-size", "5Mi");
    assertThat(pushed.exit()).as(pushed.all()).isZero();
    Map<String, Object> done = last(pushed, "done");
    assertThat(done).containsEntry("files", 9L).containsEntry("uploaded", 9L);

    Path dest = tmp.resolve("pulled");
    Launcher.Result pulled =
        Launcher.run(env(), "pull", "s3://" + bucket + "/models/m", dest.toString(), "--json");
    assertThat(pulled.exit()).as(pulled.all()).isZero();
    assertThat(tree(dest)).isEqualTo(tree(model));
    assertThat(events(pulled))
        .extracting(e -> e.get("event"))
        .contains("start", "plan", "file", "transferred", "done");

    Launcher.Result verified =
        Launcher.run(env(), "verify", dest.toString(), "s3://" + bucket + "/models/m");
    assertThat(verified.exit()).as(verified.all()).isZero();
    assertThat(verified.stdout().get(verified.stdout().size() - 1))
        .startsWith("OK: " + dest + " matches the manifest and s3://" + bucket + "/models/m")
        .contains("9 files")
        .contains("9 hashed");
  }

  @Test
  void aSecondPushUploadsNothingAndAChangedFileGoesUpAlone() throws Exception {
    assertThat(push(env()).exit()).isZero();

    Launcher.Result again = push(env());
    assertThat(again.exit()).as(again.all()).isZero();
    assertThat(last(again, "done")).containsEntry("uploaded", 0L).containsEntry("skipped", 9L);

    ToolsHarness.write(model.resolve("config.json"), "{\"changed\": true}");
    Launcher.Result third = push(env());
    assertThat(third.exit()).as(third.all()).isZero();
    assertThat(last(third, "done")).containsEntry("uploaded", 1L).containsEntry("skipped", 8L);
    assertThat(last(third, "file")).containsEntry("key", "models/m/config.json");
  }

  @Test
  void deleteRemovesKeysTheDirectoryNoLongerHas() throws Exception {
    assertThat(push(env()).exit()).isZero();
    Files.delete(model.resolve("tokenizer/extra/merges.txt"));

    Launcher.Result kept = push(env());
    assertThat(last(kept, "done")).containsEntry("deleted", 0L);
    try (S3Seeder s3 = ToolsHarness.seeder()) {
      assertThat(s3.keys(bucket, "models/m/")).contains("models/m/tokenizer/extra/merges.txt");
    }

    Launcher.Result deleted = push(env(), "--delete");
    assertThat(deleted.exit()).as(deleted.all()).isZero();
    assertThat(last(deleted, "done")).containsEntry("deleted", 1L);
    try (S3Seeder s3 = ToolsHarness.seeder()) {
      assertThat(s3.keys(bucket, "models/m/"))
          .hasSize(8)
          .doesNotContain("models/m/tokenizer/extra/merges.txt");
    }
  }

  @Test
  void aPushKilledMidwayResumesWithTheUploadedPartsAndLeaksNothing() throws Exception {
    Path big = model.resolve("weights.bin");
    byte[] bytes = new byte[(int) (48 * MIB)];
    new java.util.SplittableRandom(3).nextBytes(bytes);
    Files.write(big, bytes);
    String key = "models/m/weights.bin";
    try (FaultProxy slow = FaultProxy.start(ToolsHarness.server().address());
        S3Seeder s3 = ToolsHarness.seeder()) {
      // Answers trickle back, so parts complete one by one and the kill lands between them.
      slow.setFault(new Fault.Throttle(4000));
      Process first =
          Launcher.builder(
                  env(slow.endpoint()),
                  "push",
                  model.toString(),
                  "s3://" + bucket + "/models/m",
                  "--part-size",
                  "5Mi",
                  "--concurrency",
                  "2",
                  "--progress",
                  "none")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(tmp.resolve("first.err").toFile())
              .start();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> uploadedParts(s3, key) >= 2);
      } finally {
        first.destroyForcibly();
        first.waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(s3.keys(bucket, "models/m/")).doesNotContain(key);
    }

    Launcher.Result second = push(env(), "--part-size", "5Mi");
    assertThat(second.exit()).as(second.all()).isZero();
    assertThat(((Long) last(second, "done").get("resumedParts"))).isGreaterThanOrEqualTo(2L);
    try (S3Seeder s3 = ToolsHarness.seeder()) {
      assertThat(ToolsHarness.sha256(s3.get(bucket, key))).isEqualTo(ToolsHarness.sha256(bytes));
      assertThat(s3.client().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
    }
  }

  private int uploadedParts(S3Seeder s3, String key) {
    int parts = 0;
    for (var u : s3.client().listMultipartUploads(r -> r.bucket(bucket)).uploads()) {
      if (u.key().equals(key)) {
        parts +=
            s3.client()
                .listParts(r -> r.bucket(bucket).key(key).uploadId(u.uploadId()))
                .parts()
                .size();
      }
    }
    return parts;
  }

  @Test
  void lsListsWhatInitializeWouldFetch() throws Exception {
    assertThat(push(env(), "--part-size", "5Mi").exit()).isZero();

    Launcher.Result ls = Launcher.run(env(), "ls", "s3://" + bucket + "/models/m");
    assertThat(ls.exit()).as(ls.all()).isZero();
    assertThat(ls.stdout().get(0)).matches("\\s*SIZE\\s+DIGEST\\s+PATH");
    assertThat(ls.stdout()).hasSize(10);
    long shard = Files.size(model.resolve(SampleModel.shardName(1, 2)));
    assertThat(ls.stdout())
        .anyMatch(
            l ->
                l.matches(
                    "\\s*"
                        + shard
                        + "\\s+etag:[0-9a-f]{32}-2\\s+"
                        + SampleModel.shardName(1, 2).replace(".", "\\.")))
        .anyMatch(l -> l.matches("\\s*\\d+\\s+md5:[0-9a-f]{32}\\s+tokenizer/extra/merges\\.txt"));
    assertThat(ls.lastErrLine())
        .startsWith("9 files, ")
        .endsWith(" in s3://" + bucket + "/models/m");

    Launcher.Result json = Launcher.run(env(), "ls", "s3://" + bucket + "/models/m", "--json");
    assertThat(json.exit()).isZero();
    assertThat(parse(json.stdout().get(0))).containsEntry("files", 9L);
  }

  @Test
  void verifyReportsMissingExtraAndChangedFiles() throws Exception {
    assertThat(push(env()).exit()).isZero();
    Path dest = tmp.resolve("pulled");
    assertThat(Launcher.run(env(), "pull", "s3://" + bucket + "/models/m", dest.toString()).exit())
        .isZero();
    Files.delete(dest.resolve("config.json"));
    ToolsHarness.write(dest.resolve("notes.txt"), "mine");
    Path shard = dest.resolve(SampleModel.shardName(2, 2));
    byte[] b = Files.readAllBytes(shard);
    b[1000] ^= 1; // Same size, one bit flipped.
    Files.write(shard, b);

    Launcher.Result r = Launcher.run(env(), "verify", dest.toString());

    assertThat(r.exit()).isEqualTo(6);
    assertThat(r.stdout())
        .anyMatch(l -> l.matches("missing\\s+config\\.json: .*"))
        .anyMatch(l -> l.matches("extra\\s+notes\\.txt: .*"))
        .anyMatch(
            l ->
                l.matches(
                    "changed\\s+"
                        + SampleModel.shardName(2, 2).replace(".", "\\.")
                        + ": content differs.*"));
    assertThat(r.stdout().get(r.stdout().size() - 1)).startsWith("FAILED: ").contains("3 problems");
  }

  @Test
  void verifyAgainstTheSourceReportsWhatChangedThere() throws Exception {
    assertThat(push(env()).exit()).isZero();
    Path dest = tmp.resolve("pulled");
    assertThat(Launcher.run(env(), "pull", "s3://" + bucket + "/models/m", dest.toString()).exit())
        .isZero();
    try (S3Seeder s3 = ToolsHarness.seeder()) {
      s3.put(bucket, "models/m/added.bin", new byte[] {1, 2, 3});
      s3.put(bucket, "models/m/config.json", "{\"v\": 2}".getBytes(StandardCharsets.UTF_8));
    }

    Launcher.Result r =
        Launcher.run(env(), "verify", dest.toString(), "s3://" + bucket + "/models/m", "--json");

    assertThat(r.exit()).isEqualTo(6);
    String json = r.stdout().get(0);
    assertThat(json)
        .contains("\"kind\":\"missing\",\"path\":\"added.bin\"")
        .contains("\"kind\":\"outdated\",\"path\":\"config.json\"");
  }

  @Test
  void verifyOfADirectoryStowageDidNotFillIsAUsageError() throws Exception {
    Launcher.Result r = Launcher.run(env(), "verify", model.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.stderr()).hasSize(1);
    assertThat(r.lastErrLine()).startsWith("stowage verify: ").contains(".stowage-manifest.jsonl");
  }

  @Test
  void wrongCredentialsMissingBucketAndUnreachableEndpointFailWithOneLine() throws Exception {
    Map<String, String> wrong = env();
    wrong.put("AWS_SECRET_ACCESS_KEY", "not-the-right-secret");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Map<String, String> unreachable = env(java.net.URI.create("http://127.0.0.1:" + closedPort));
    String missing = "s3://no-such-bucket-" + bucket + "/m";
    String good = "s3://" + bucket + "/m";

    record Case(Map<String, String> env, String uri, int exit, String says) {}
    for (Case c :
        List.of(
            new Case(wrong, good, 3, "AWS_SECRET_ACCESS_KEY"),
            new Case(env(), missing, 4, "does not exist"),
            new Case(unreachable, good, 5, "127.0.0.1:" + closedPort))) {
      for (String[] args :
          List.of(
              new String[] {"push", model.toString(), c.uri()},
              new String[] {"ls", c.uri()},
              new String[] {"pull", c.uri(), tmp.resolve("x").toString(), "--progress", "none"})) {
        Launcher.Result r = Launcher.run(c.env(), args);
        assertThat(r.exit()).as(args[0] + " " + c.uri() + "\n" + r.all()).isEqualTo(c.exit());
        assertThat(r.lastErrLine()).startsWith("stowage " + args[0] + ": ").contains(c.says());
        assertThat(r.all()).doesNotContain("not-the-right-secret").doesNotContain("Exception");
      }
    }
  }

  @Test
  void pushRefusesATargetThatIsNotS3() throws Exception {
    Launcher.Result r = Launcher.run(env(), "push", model.toString(), "https://example.com/m");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.lastErrLine())
        .isEqualTo(
            "stowage push: push uploads to S3: the target must be s3://BUCKET/PREFIX, not"
                + " https://example.com/m");
  }

  @Test
  void aNamedProfileSuppliesTheCredentials() throws Exception {
    Path credentials = tmp.resolve("aws-credentials");
    Files.writeString(
        credentials,
        "[stowage-it]\naws_access_key_id = "
            + ToolsHarness.server().accessKey()
            + "\naws_secret_access_key = "
            + ToolsHarness.server().secretKey()
            + "\n");
    assertThat(push(env()).exit()).isZero();
    Map<String, String> env = new HashMap<>();
    env.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
    env.put("AWS_CONFIG_FILE", tmp.resolve("no-config").toString());

    Launcher.Result ok =
        Launcher.run(
            env,
            "ls",
            "s3://" + bucket + "/models/m",
            "--profile",
            "stowage-it",
            "--endpoint",
            ToolsHarness.server().endpoint().toString());
    assertThat(ok.exit()).as(ok.all()).isZero();

    Launcher.Result unknown =
        Launcher.run(
            env,
            "ls",
            "s3://" + bucket + "/models/m",
            "--profile",
            "nobody",
            "--endpoint",
            ToolsHarness.server().endpoint().toString());
    assertThat(unknown.exit()).isEqualTo(3);
    assertThat(unknown.lastErrLine())
        .startsWith("stowage ls: No credentials in the AWS profile 'nobody'");
  }
}
