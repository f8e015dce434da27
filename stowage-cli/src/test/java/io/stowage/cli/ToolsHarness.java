package io.stowage.cli;

import io.stowage.testkit.S3ProxyServer;
import io.stowage.testkit.S3Seeder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Shared parts of the model-tool tests: the S3 server, fresh buckets, environments, trees. */
final class ToolsHarness {
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private ToolsHarness() {}

  static S3ProxyServer server() {
    return S3ProxyServer.shared();
  }

  static S3Seeder seeder() {
    return S3Seeder.forServer(server());
  }

  static String newBucket(String prefix) {
    String name = prefix + "-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    try (S3Seeder s3 = seeder()) {
      s3.createBucket(name);
    }
    return name;
  }

  /** What a user's shell would hold for the test server: keys and endpoint, short timeouts. */
  static Map<String, String> env() {
    return env(server().endpoint());
  }

  static Map<String, String> env(URI endpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", server().accessKey());
    env.put("AWS_SECRET_ACCESS_KEY", server().secretKey());
    env.put("AWS_ENDPOINT_URL", endpoint.toString());
    env.put("S3_CONNECT_TIMEOUT", "2");
    env.put("S3_MAX_ATTEMPTS", "2");
    return env;
  }

  /** Relative path to SHA-256 of every regular file, Stowage's own hidden files left out. */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = root.relativize(p).toString();
        if (!p.getFileName().toString().startsWith(".stowage-")) {
          out.put(rel, sha256(Files.readAllBytes(p)));
        }
      }
    }
    return out;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
