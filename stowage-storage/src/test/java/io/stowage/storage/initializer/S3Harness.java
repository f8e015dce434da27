package io.stowage.storage.initializer;

import io.stowage.testkit.S3ProxyServer;
import io.stowage.testkit.S3Seeder;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
}
