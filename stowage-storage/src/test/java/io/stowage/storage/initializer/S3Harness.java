package io.stowage.storage.initializer;

import io.stowage.storage.StorageException;
import io.stowage.storage.settings.InitializerSettings;
import io.stowage.testkit.S3ProxyServer;
import io.stowage.testkit.S3Seeder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** One S3Proxy for the whole test JVM, fresh buckets per test, and a way to run the initializer. */
final class S3Harness {
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static @Nullable S3Seeder seeder;

  private S3Harness() {}

  static S3ProxyServer server() {
    return S3ProxyServer.shared();
  }

  static synchronized S3Seeder seeder() {
    if (seeder == null) {
      seeder = S3Seeder.forServer(server());
    }
    return seeder;
  }

  static String newBucket() {
    String name = "it-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    seeder().createBucket(name);
    return name;
  }

  /** The environment KServe gives the init container for a Secret pointing at {@code endpoint}. */
  static Map<String, String> env(URI endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", server().accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", server().secretKey());
    env.put("AWS_ENDPOINT_URL", endpoint.toString());
    env.put("S3_READ_TIMEOUT", "5");
    env.put("S3_CONNECT_TIMEOUT", "3");
    return env;
  }

  static Map<String, String> env() {
    return env(server().endpoint());
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt();
    }
    return b;
  }

  /** What a run printed and how it ended. */
  record Result(@Nullable StorageException failure, List<String> lines) {
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
      new StorageInitializer(settings, log).run(Pair.fromArguments(List.of(args)));
      return new Result(null, lines);
    } catch (StorageException e) {
      return new Result(e, lines);
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
