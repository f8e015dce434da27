package io.stowage.cli;

import static io.stowage.cli.ToolsHarness.env;
import static io.stowage.cli.ToolsHarness.tree;
import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.testkit.Fault;
import io.stowage.testkit.FaultProxy;
import io.stowage.testkit.S3Seeder;
import io.stowage.testkit.SampleModel;
import io.stowage.testkit.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The progress display as people see it, in a real pseudo-terminal (tmux), and as logs and CI see
 * it when stderr is a file: plain lines, no escape sequences.
 */
class ProgressDisplayIT {
  private static final Path TMUX = Path.of("/usr/bin/tmux");
  private static final long MIB = 1024 * 1024;
  private static String bucket = "";
  private static Path model = Path.of("");

  @TempDir Path tmp;

  @BeforeAll
  static void seed(@TempDir Path shared) throws IOException {
    bucket = ToolsHarness.newBucket("progress");
    model = shared.resolve("model");
    List<Path> files = SampleModel.write(model, 12 * MIB, 2, 21);
    try (S3Seeder s3 = ToolsHarness.seeder()) {
      for (Path rel : files) {
        s3.putFile(bucket, "m/" + rel, model.resolve(rel));
      }
    }
  }

  /** A proxy that slows answers to about 6 MB/s, so a 24 MiB pull shows progress for seconds. */
  private static FaultProxy slowProxy() {
    FaultProxy proxy = FaultProxy.start(ToolsHarness.server().address());
    proxy.setFault(new Fault.Throttle(6_000_000));
    return proxy;
  }

  @Test
  void aTerminalShowsALiveDisplayThatGivesWayToTheSummary() throws Exception {
    Assumptions.assumeTrue(
        Tools.needed(Files.isExecutable(TMUX), "/usr/bin/tmux (Debian's tmux)"),
        "tmux is not installed (.ci/run installs it)");
    Path dest = tmp.resolve("dest");
    Path exit = tmp.resolve("exit");
    Path raw = tmp.resolve("raw.log");
    Path socket = tmp.resolve("tmux.sock");
    try (FaultProxy slow = slowProxy()) {
      Path script = tmp.resolve("run.sh");
      StringBuilder sh =
          new StringBuilder("#!/bin/sh\nexec env -i TERM=\"$TERM\" PATH=/usr/bin:/bin");
      Map<String, String> env = env(slow.endpoint());
      env.put("JAVA_HOME", System.getProperty("java.home"));
      env.forEach((k, v) -> sh.append(' ').append(k).append("='").append(v).append('\''));
      sh.append(' ')
          .append(Launcher.launcher())
          .append(" pull s3://")
          .append(bucket)
          .append("/m ")
          .append(dest)
          .append("\n");
      Files.writeString(script, sh.toString(), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

      tmux(
          socket,
          "new-session",
          "-d",
          "-s",
          "pull",
          "-x",
          "120",
          "-y",
          "40",
          "sh -c '" + script + "; echo $? > " + exit + "; sleep 60'");
      try {
        tmux(socket, "pipe-pane", "-o", "-t", "pull", "cat >> " + raw);
        List<String> screens = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!Files.exists(exit) && System.nanoTime() < deadline) {
          screens.add(tmux(socket, "capture-pane", "-p", "-t", "pull"));
          Thread.sleep(150);
        }
        assertThat(exit).exists();
        Thread.sleep(200);
        String last = tmux(socket, "capture-pane", "-p", "-t", "pull");

        assertThat(Files.readString(exit).strip()).as(last).isEqualTo("0");
        assertThat(screens)
            .as("a screen with the overall bar: percent, bytes, rate, ETA and files")
            .anyMatch(
                s ->
                    s.lines()
                        .anyMatch(
                            l ->
                                l.matches(
                                    "\\s+\\[[= >]+\\]\\s+\\d+\\.\\d%\\s+[\\d.]+ \\S+ / 24\\.\\d+"
                                        + " MiB\\s+[\\d.]+ \\S+/s\\s+ETA \\S+\\s+\\d/8 files")));
        assertThat(screens)
            .as("a screen with a file in flight and its own bar")
            .anyMatch(
                s ->
                    s.lines()
                        .anyMatch(
                            l ->
                                l.matches(
                                    "\\s+model-0000[12]-of-00002\\.safetensors\\s+\\[[= >]+\\]"
                                        + " .*MiB / 12\\.\\d+ MiB")));
        assertThat(screens)
            .as("a header naming source and destination")
            .anyMatch(s -> s.contains("Pulling s3://" + bucket + "/m into " + dest));
        assertThat(last)
            .contains("Successfully copied s3://" + bucket + "/m")
            .contains("Model downloaded in")
            .doesNotContain("ETA");
        String bytes = Files.readString(raw, StandardCharsets.ISO_8859_1);
        assertThat(bytes).contains("\033[?25l").contains("\033[?25h").contains("\033[2K");
        assertThat(tree(dest)).isEqualTo(tree(model));
      } finally {
        tmux(socket, "kill-server");
      }
    }
  }

  private static String tmux(Path socket, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(TMUX.toString(), "-S", socket.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("TERM", "xterm-256color");
    pb.environment().remove("TMUX");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("tmux " + args[0] + " hangs");
    }
    return out;
  }

  @Test
  void withoutATerminalProgressComesAsPlainLines() throws Exception {
    Path dest = tmp.resolve("dest");
    try (FaultProxy slow = slowProxy()) {
      Map<String, String> env = env(slow.endpoint());
      env.put("STOWAGE_PROGRESS_INTERVAL", "500ms");
      env.put("TERM", "xterm-256color");

      Launcher.Result r = Launcher.run(env, "pull", "s3://" + bucket + "/m", dest.toString());

      assertThat(r.exit()).as(r.all()).isZero();
      assertThat(r.stdout()).isEmpty();
      assertThat(r.all()).doesNotContain("\033");
      assertThat(r.stderr())
          .anyMatch(
              l ->
                  l.matches(
                      "progress: \\d+\\.\\d%, [\\d.]+ \\S+ of 24\\.\\d+ MiB at [\\d.]+ \\S+/s, ETA"
                          + " \\S+, \\d of 8 files"));
      assertThat(r.lastErrLine()).startsWith("Model downloaded in");
    }
  }

  @Test
  void progressNoneLeavesOnlyTheEvents() throws Exception {
    Path dest = tmp.resolve("dest");
    Map<String, String> env = env();
    env.put("STOWAGE_PROGRESS_INTERVAL", "100ms");

    Launcher.Result r =
        Launcher.run(env, "pull", "s3://" + bucket + "/m", dest.toString(), "--progress", "none");

    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(r.stderr()).noneMatch(l -> l.startsWith("progress:"));
    assertThat(r.stderr()).anyMatch(l -> l.startsWith("Successfully copied"));
  }
}
