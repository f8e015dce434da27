package io.stowage.cli;

import static io.stowage.cli.ToolsHarness.env;
import static io.stowage.cli.ToolsHarness.tree;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.SampleModel;
import io.stowage.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code stowage push} writes, the aws cli and rclone read back byte for byte; what they
 * write, a following push recognizes (skips) or replaces. The peers are Debian's packages, which
 * {@code .ci/run} installs; their multipart part sizes (8 MiB, 5 MiB) differ from ours on purpose.
 */
class PeerInteropIT {
  private static final Path AWS = Path.of("/usr/bin/aws");
  private static final Path RCLONE = Path.of("/usr/bin/rclone");
  private static final long MIB = 1024 * 1024;

  @TempDir Path tmp;
  private Path model = Path.of("");
  private String bucket = "";

  @BeforeEach
  void model() throws IOException {
    bucket = ToolsHarness.newBucket("peers");
    model = tmp.resolve("model");
    SampleModel.write(model, 3 * MIB, 2, 9);
    byte[] big = new byte[(int) (21 * MIB)]; // multipart for every client
    new SplittableRandom(4).nextBytes(big);
    Files.createDirectories(model.resolve("weights"));
    Files.write(model.resolve("weights/big.bin"), big);
  }

  private record Run(int exit, String output) {}

  /** Runs a peer with only the environment it needs: keys, region, no config files, no CA. */
  private Run peer(Path binary, String... args) throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        Tools.needed(Files.isExecutable(binary), binary + " (Debian's awscli or rclone)"),
        binary + " is not installed (.ci/run installs it)");
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.clear();
    env.put("PATH", "/usr/bin:/bin");
    env.put("HOME", tmp.toString());
    env.put("AWS_ACCESS_KEY_ID", ToolsHarness.server().accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", ToolsHarness.server().secretKey());
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    env.put("AWS_CONFIG_FILE", tmp.resolve("no-aws-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("no-aws-credentials").toString());
    env.put("RCLONE_CONFIG", tmp.resolve("no-rclone.conf").toString());
    Path log = Files.createTempFile(tmp, "peer", ".log");
    Process p = pb.redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(binary + " did not finish in 120 s");
    }
    return new Run(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private Run aws(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--endpoint-url", endpoint(), "--no-progress"));
    all.addAll(List.of(args));
    return peer(AWS, all.toArray(String[]::new));
  }

  private Run rclone(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--s3-provider=Other",
            "--s3-endpoint=" + endpoint(),
            "--s3-env-auth=true",
            "--s3-chunk-size=5Mi",
            "--s3-upload-cutoff=5Mi"));
    return peer(RCLONE, all.toArray(String[]::new));
  }

  private static String endpoint() {
    return ToolsHarness.server().endpoint().toString();
  }

  private Launcher.Result push(String prefix) throws Exception {
    Launcher.Result r =
        Launcher.run(
            env(),
            "push",
            model.toString(),
            "s3://" + bucket + "/" + prefix,
            "--part-size",
            "6Mi",
            "--json");
    assertThat(r.exit()).as(r.all()).isZero();
    return r;
  }

  private static String done(Launcher.Result r) {
    return r.stdout().stream()
        .filter(l -> l.startsWith("{\"event\":\"done\""))
        .findFirst()
        .orElseThrow(() -> new AssertionError(r.all()));
  }

  @Test
  void whatStowagePushesTheAwsCliAndRcloneReadBack() throws Exception {
    push("m");

    Path byAws = tmp.resolve("by-aws");
    Run a = aws("s3", "cp", "--recursive", "s3://" + bucket + "/m", byAws.toString());
    assertThat(a.exit()).as(a.output()).isZero();
    assertThat(tree(byAws)).isEqualTo(tree(model));

    Path byRclone = tmp.resolve("by-rclone");
    Run r = rclone("copy", ":s3:" + bucket + "/m", byRclone.toString());
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(tree(byRclone)).isEqualTo(tree(model));
  }

  @Test
  void whatTheAwsCliUploadedIsSkippedAndAChangedFileReplaced() throws Exception {
    Run a = aws("s3", "cp", "--recursive", model.toString(), "s3://" + bucket + "/m");
    assertThat(a.exit()).as(a.output()).isZero();

    assertThat(done(push("m"))).contains("\"uploaded\":0").contains("\"skipped\":9");

    changeOneFile();
    assertThat(done(push("m"))).contains("\"uploaded\":1").contains("\"skipped\":8");
    Path back = tmp.resolve("back");
    Run b = aws("s3", "cp", "--recursive", "s3://" + bucket + "/m", back.toString());
    assertThat(b.exit()).as(b.output()).isZero();
    assertThat(tree(back)).isEqualTo(tree(model));
  }

  @Test
  void whatRcloneUploadedIsSkippedAndAChangedFileReplaced() throws Exception {
    Run r = rclone("copy", model.toString(), ":s3:" + bucket + "/m");
    assertThat(r.exit()).as(r.output()).isZero();

    assertThat(done(push("m"))).contains("\"uploaded\":0").contains("\"skipped\":9");

    changeOneFile();
    assertThat(done(push("m"))).contains("\"uploaded\":1").contains("\"skipped\":8");
    Run check = rclone("check", model.toString(), ":s3:" + bucket + "/m", "--download");
    assertThat(check.exit()).as(check.output()).isZero();
  }

  /** Same size, other bytes: only a content comparison can tell. */
  private void changeOneFile() throws IOException {
    Path big = model.resolve("weights/big.bin");
    byte[] b = Files.readAllBytes(big);
    b[b.length / 2] ^= 0x55;
    Files.write(big, b);
  }
}
