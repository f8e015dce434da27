package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Finds and runs the binaries of the JDK that runs us (java, keytool), as child processes. */
final class JdkTools {

  private JdkTools() {}

  /**
   * The {@code java} launcher of the current JVM. {@code java.home} first because the command of
   * the current process may be a wrapper (an IDE launcher, a jpackage binary).
   */
  static Path java() {
    Path fromHome = binary("java");
    if (Files.isExecutable(fromHome)) {
      return fromHome;
    }
    return ProcessHandle.current()
        .info()
        .command()
        .map(Path::of)
        .filter(Files::isExecutable)
        .orElseThrow(() -> new IllegalStateException("cannot find the java launcher of this JVM"));
  }

  /** A tool from {@code java.home/bin}; {@code keytool} ships with every JDK and JRE image. */
  static Path binary(String name) {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    return Path.of(System.getProperty("java.home"), "bin", windows ? name + ".exe" : name);
  }

  /**
   * Runs a short-lived tool to completion and returns its combined output; fails with that output
   * when the tool fails, since it is the only explanation we will get.
   */
  static String run(List<String> command, long timeoutSeconds) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // Tool options such as JAVA_TOOL_OPTIONS only add "Picked up ..." noise to the output.
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(describe(command) + " did not finish in time");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            describe(command) + " failed with exit code " + process.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + describe(command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + describe(command), e);
    }
  }

  /** Stops a child: politely first so it can release its port, then for good. */
  static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String describe(List<String> command) {
    return command.isEmpty()
        ? "(empty command)"
        : String.valueOf(Path.of(command.get(0)).getFileName());
  }
}
