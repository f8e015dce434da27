package io.stowage.storage.initializer;

import io.stowage.storage.StorageException;
import io.stowage.storage.settings.InitializerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Runs the initializer in-process with a given environment and collects what it logged. */
final class InitializerHarness {
  private InitializerHarness() {}

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt();
    }
    return b;
  }

  /** What a run printed and how it ended. */
  record Result(@Nullable StorageException failure, List<String> lines, List<Deployed> deployed) {
    boolean succeeded() {
      return failure == null;
    }

    StorageException failed() {
      if (failure == null) {
        throw new AssertionError("expected a failure; log:\n" + String.join("\n", lines));
      }
      return failure;
    }

    String log() {
      return String.join("\n", lines);
    }
  }

  static Result run(Map<String, String> env, String... args) {
    List<String> lines = new ArrayList<>();
    InitializerLog log =
        new InitializerLog() {
          @Override
          public synchronized void info(String message) {
            lines.add("INFO " + message);
          }

          @Override
          public synchronized void warn(String message) {
            lines.add("WARN " + message);
          }
        };
    try {
      InitializerSettings settings = InitializerSettings.fromEnvironment(env);
      List<Deployed> deployed =
          new StorageInitializer(settings, log).run(Pair.fromArguments(List.of(args)));
      return new Result(null, lines, deployed);
    } catch (StorageException e) {
      return new Result(e, lines, List.of());
    }
  }

  /** Regular files under {@code root}, relative, sorted; the manifest excluded. */
  static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString())
          .filter(n -> !n.equals(".stowage-manifest.jsonl"))
          .sorted()
          .toList();
    }
  }

  /**
   * Every entry under {@code root}, hidden ones included, for checks that nothing stray is left.
   */
  static List<String> allEntries(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> !p.equals(root))
          .map(p -> root.relativize(p).toString())
          .sorted()
          .toList();
    }
  }
}
