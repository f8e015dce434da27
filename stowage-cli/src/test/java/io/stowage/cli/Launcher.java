package io.stowage.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged {@code bin/stowage} as a separate process with exactly the given environment.
 */
final class Launcher {
  private Launcher() {}

  record Result(int exit, List<String> stdout, List<String> stderr) {
    String lastErrLine() {
      return stderr.isEmpty() ? "" : stderr.get(stderr.size() - 1);
    }

    String all() {
      return String.join("\n", stdout) + "\n" + String.join("\n", stderr);
    }
  }

  static Path launcher() {
    String p = System.getProperty("stowage.launcher");
    if (p == null) {
      throw new IllegalStateException(
          "system property stowage.launcher is not set (run through Maven failsafe)");
    }
    return Path.of(p);
  }

  static ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(launcher().toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    return pb;
  }

  static Result run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("stowage-out", ".txt");
    Path err = Files.createTempFile("stowage-err", ".txt");
    try {
      Process p =
          builder(env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("stowage did not finish in 120 s");
      }
      return new Result(
          p.exitValue(),
          Files.readAllLines(out, StandardCharsets.UTF_8),
          Files.readAllLines(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
