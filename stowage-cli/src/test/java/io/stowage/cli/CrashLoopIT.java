package io.stowage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.testkit.Fault;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3Seeder;
import io.stowage.testkit.SampleModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash loop: {@code initialize}, {@code pull} and {@code push} run as the packaged launcher
 * and are killed with SIGKILL at seeded random moments; after every kill the invariants are
 * checked, and a last run must finish with exactly the source's tree.
 *
 * <ul>
 *   <li>initialize, pull: every file under its final name has exactly the source's bytes; nothing
 *       lies outside DEST; every complete line of the manifest parses.
 *   <li>push: the store never holds a key whose content differs from the local file; at the end no
 *       multipart upload is left.
 * </ul>
 *
 * <p>CI runs {@value #DEFAULT_KILLS} kills per command on a small model. The documented run (see
 * docs/reliability.md) raises them with {@code -Dstowage.crashloop.kills}, {@code .shardMiB},
 * {@code .shards}, {@code .seed} and {@code .dir} (a tmpfs). Figures are appended to {@code
 * target/reliability/crashloop.tsv}.
 */
class CrashLoopIT {
  private static final int DEFAULT_KILLS = 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KILLS = Integer.getInteger("stowage.crashloop.kills", DEFAULT_KILLS);
  private static final long SHARD_BYTES =
      Long.getLong("stowage.crashloop.shardMiB", 6) * 1024 * 1024;
  private static final int SHARDS = Integer.getInteger("stowage.crashloop.shards", 3);
  private static final long SEED = Long.getLong("stowage.crashloop.seed", 19);

  /** Throttled so that a small model's run lasts long enough for kills to land mid-transfer. */
  private static final long BYTES_PER_SECOND =
      Long.getLong("stowage.crashloop.bytesPerSecond", 24L * 1024 * 1024);

  private static Path model = Path.of("");
  private static Map<String, String> source = Map.of();
  private static String bucket = "";

  @TempDir static Path tmp;

  @BeforeAll
  static void modelInTheStore() throws Exception {
    Path base = Path.of(System.getProperty("stowage.crashloop.dir", tmp.toString()));
    Path root = Files.createTempDirectory(Files.createDirectories(base), "crashloop");
    model = root.resolve("model");
    SampleModel.write(model, SHARD_BYTES, SHARDS, SEED);
    ToolsHarness.write(model.resolve("tokenizer/extra/merges.txt"), "a b\nc d\n");
    source = digests(model);
    bucket = ToolsHarness.newBucket("crash");
    Launcher.Result pushed =
        Launcher.run(ToolsHarness.env(), "push", model.toString(), "s3://" + bucket + "/model");
    assertThat(pushed.exit()).as(pushed.all()).isZero();
  }

  @Test
  void initializeSurvivesSigkillAtRandomMoments() throws Exception {
    downloadLoop("initialize", 1);
  }

  @Test
  void pullSurvivesSigkillAtRandomMoments() throws Exception {
    downloadLoop("pull", 2);
  }

  @Test
  void pushSurvivesSigkillAtRandomMoments() throws Exception {
    SplittableRandom random = new SplittableRandom(SEED + 3);
    long started = System.nanoTime();
    try (FaultProxy slow = FaultProxy.start(ToolsHarness.server().address());
        S3Seeder s3 = ToolsHarness.seeder()) {
      slow.setFault(new Fault.Throttle(BYTES_PER_SECOND));
      Map<String, String> env = ToolsHarness.env(slow.endpoint());
      int round = 0;
      String prefix = "push-0";
      long window = calibrate(env, "push", model.toString(), "s3://" + bucket + "/calibration");
      int kills = 0;
      int midTransfer = 0;
      for (int attempt = 0; kills < KILLS && attempt < KILLS * 4; attempt++) {
        boolean killed =
            runAndKill(
                env,
                random.nextLong(window),
                "push",
                model.toString(),
                "s3://" + bucket + "/" + prefix,
                "--part-size",
                "5Mi",
                "--progress",
                "none");
        java.util.Set<String> stored = storeHoldsOnlyLocalContent(s3, prefix);
        if (killed) {
          kills++;
          boolean uploading =
              !s3.client().listMultipartUploads(r -> r.bucket(bucket)).uploads().isEmpty();
          midTransfer += uploading || !stored.isEmpty() ? 1 : 0;
        } else {
          // It finished first: start over under a new prefix, so that kills land mid-push.
          prefix = "push-" + ++round;
        }
      }
      Launcher.Result last =
          Launcher.run(
              ToolsHarness.env(), "push", model.toString(), "s3://" + bucket + "/" + prefix);
      assertThat(last.exit()).as(last.all()).isZero();
      assertThat(storeHoldsOnlyLocalContent(s3, prefix)).isEqualTo(source.keySet());
      assertThat(s3.client().listMultipartUploads(r -> r.bucket(bucket)).uploads()).isEmpty();
      figures("push", kills, midTransfer, started);
    }
  }

  private void downloadLoop(String command, long seed) throws Exception {
    SplittableRandom random = new SplittableRandom(SEED + seed);
    long started = System.nanoTime();
    try (FaultProxy slow = FaultProxy.start(ToolsHarness.server().address())) {
      slow.setFault(new Fault.Throttle(BYTES_PER_SECOND));
      Map<String, String> env = ToolsHarness.env(slow.endpoint());
      env.put("STOWAGE_PART_SIZE", "1Mi");
      String uri = "s3://" + bucket + "/model";
      Path box = Files.createTempDirectory(model.getParent(), command);
      Path dest = box.resolve("models");
      long window = calibrate(env, command, uri, box.resolve("calibration").toString());
      int kills = 0;
      int midTransfer = 0;
      for (int attempt = 0; kills < KILLS && attempt < KILLS * 4; attempt++) {
        boolean killed = runAndKill(env, random.nextLong(window), command, uri, dest.toString());
        downloadInvariants(box, dest);
        if (killed) {
          kills++;
          midTransfer += Files.exists(dest.resolve(".stowage-manifest.jsonl")) ? 1 : 0;
        } else {
          // It finished first: start over, so that kills land mid-download.
          assertThat(ToolsHarness.tree(dest)).isEqualTo(source);
          deleteTree(dest);
        }
      }
      Launcher.Result last = Launcher.run(ToolsHarness.env(), command, uri, dest.toString());
      assertThat(last.exit()).as(last.all()).isZero();
      assertThat(digests(dest)).isEqualTo(source);
      try (Stream<Path> all = Files.walk(dest)) {
        assertThat(all.map(p -> p.getFileName().toString()))
            .noneMatch(n -> n.endsWith(".partial") || n.endsWith(".tmp"));
      }
      figures(command, kills, midTransfer, started);
    }
  }

  /** How long one unkilled run takes: kill moments are drawn from [0, that). */
  private static long calibrate(Map<String, String> env, String... args) throws Exception {
    long t0 = System.nanoTime();
    Launcher.Result r = Launcher.run(env, args);
    assertThat(r.exit()).as(r.all()).isZero();
    return Math.max(1, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Starts the command, sends SIGKILL after {@code millis}; true when it was still running. */
  private static boolean runAndKill(Map<String, String> env, long millis, String... args)
      throws Exception {
    Process p =
        Launcher.builder(env, args)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    boolean finished = p.waitFor(millis, TimeUnit.MILLISECONDS);
    if (finished) {
      assertThat(p.exitValue()).isZero();
      return false;
    }
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() == 137;
  }

  private static void downloadInvariants(Path box, Path dest) throws IOException {
    try (Stream<Path> beside = Files.list(box)) {
      assertThat(beside.map(p -> p.getFileName().toString()))
          .as("nothing outside DEST")
          .allMatch(n -> n.equals("models") || n.equals("calibration"));
    }
    if (!Files.exists(dest)) {
      return;
    }
    for (Map.Entry<String, String> f : digests(dest).entrySet()) {
      assertThat(source)
          .as("a file under its final name is the source's")
          .containsEntry(f.getKey(), f.getValue());
    }
    Path manifest = dest.resolve(".stowage-manifest.jsonl");
    if (Files.exists(manifest)) {
      String text = Files.readString(manifest, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      for (String line : text.substring(0, end + 1).split("\n", -1)) {
        if (!line.isEmpty()) {
          JsonNode node = JSON.readTree(line);
          assertThat(node.isObject()).as("manifest line %s", line).isTrue();
        }
      }
    }
  }

  /** Checks every key under the prefix against the local file; returns the keys (relative). */
  private static java.util.Set<String> storeHoldsOnlyLocalContent(S3Seeder s3, String prefix)
      throws IOException {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    for (String key : s3.keys(bucket, prefix + "/")) {
      String rel = key.substring(prefix.length() + 1);
      assertThat(source).as("key %s", key).containsKey(rel);
      assertThat(ToolsHarness.sha256(s3.get(bucket, key)))
          .as("the store's %s is the local file", key)
          .isEqualTo(source.get(rel));
      keys.add(rel);
    }
    return keys;
  }

  /** Relative path to SHA-256, streamed, Stowage's own hidden files left out. */
  private static Map<String, String> digests(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        if (p.getFileName().toString().startsWith(".stowage-")) {
          continue;
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(p), sha256())) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
          out.put(
              root.relativize(p).toString(),
              HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
        }
      }
    }
    return out;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }

  /** {@code midTransfer}: kills after which the run had left state (a journal, keys, uploads). */
  private static void figures(String command, int kills, int midTransfer, long startedNanos)
      throws IOException {
    Path file = Path.of("target", "reliability", "crashloop.tsv");
    Files.createDirectories(file.getParent());
    long bytes = 0;
    try (Stream<Path> s = Files.walk(model)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        bytes += Files.size(p);
      }
    }
    List<String> row = new ArrayList<>();
    row.add(command);
    row.add("kills=" + kills);
    row.add("midTransfer=" + midTransfer);
    row.add("violations=0");
    row.add("modelBytes=" + bytes);
    row.add("files=" + source.size());
    row.add("seconds=" + (System.nanoTime() - startedNanos) / 1_000_000_000);
    Files.writeString(
        file, String.join("\t", row) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
