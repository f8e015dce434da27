package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OCI registry: Debian's {@code docker-registry} (distribution 2.8) as a child process on
 * {@code 127.0.0.1:<free port>}, storing blobs under a directory of ours, with no auth, htpasswd
 * basic auth, or a bearer-token realm ({@link RegistryTokenServer}).
 */
public final class RegistryServer implements AutoCloseable {
  private static final String BINARY = "docker-registry";
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
  private static final int START_ATTEMPTS = 3;

  /** How clients must authenticate. */
  public sealed interface Auth {}

  /** Anyone may pull and push. */
  public record NoAuth() implements Auth {}

  /**
   * htpasswd basic auth.
   *
   * @param htpasswdLine {@code user:$2b$...} (bcrypt, the only hash distribution accepts)
   */
  public record Htpasswd(String htpasswdLine) implements Auth {}

  /** Bearer tokens from {@code tokens}, whose signing certificate the registry trusts. */
  public record Token(RegistryTokenServer tokens) implements Auth {}

  private final Path dir;
  private final int port;
  private final Process process;

  private RegistryServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  /**
   * True when the {@code docker-registry} binary is installed (tests skip themselves otherwise).
   */
  public static boolean available() {
    return Tools.onPath(BINARY);
  }

  /** Starts a registry with its data and config in {@code dir}; returns once it answers. */
  public static RegistryServer start(Path dir, Auth auth) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      int port = Loopback.freePort();
      try {
        Files.createDirectories(dir.resolve("storage"));
        Path config = dir.resolve("config.yml");
        Files.writeString(config, config(dir, port, auth), StandardCharsets.UTF_8);
        Process p =
            new ProcessBuilder(BINARY, "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        RegistryServer server = new RegistryServer(dir, port, p);
        if (server.awaitReady()) {
          return server;
        }
        server.close();
        last = new IllegalStateException("docker-registry did not come up: " + server.logTail());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start docker-registry", e);
      }
    }
    throw java.util.Objects.requireNonNull(last);
  }

  private static String config(Path dir, int port, Auth auth) throws IOException {
    StringBuilder sb = new StringBuilder();
    sb.append("version: 0.1\n");
    sb.append("log:\n  level: warn\n  accesslog:\n    disabled: true\n");
    sb.append("storage:\n  filesystem:\n    rootdirectory: ")
        .append(dir.resolve("storage").toAbsolutePath())
        .append("\n  delete:\n    enabled: true\n")
        .append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
    sb.append("http:\n  addr: ").append(Loopback.HOST).append(':').append(port).append('\n');
    sb.append("  secret: stowage-testkit-registry-secret\n");
    if (auth instanceof Htpasswd h) {
      Path file = dir.resolve("htpasswd");
      Files.writeString(file, h.htpasswdLine() + "\n", StandardCharsets.UTF_8);
      sb.append("auth:\n  htpasswd:\n    realm: stowage-testkit\n    path: ")
          .append(file.toAbsolutePath())
          .append('\n');
    } else if (auth instanceof Token t) {
      sb.append("auth:\n  token:\n    realm: ")
          .append(t.tokens().realm())
          .append("\n    service: ")
          .append(t.tokens().service())
          .append("\n    issuer: ")
          .append(t.tokens().issuer())
          .append("\n    rootcertbundle: ")
          .append(t.tokens().certificatePem().toAbsolutePath())
          .append('\n');
    }
    return sb.toString();
  }

  private boolean awaitReady() {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      try {
        HttpURLConnection c =
            (HttpURLConnection) URI.create("http://" + address() + "/v2/").toURL().openConnection();
        c.setConnectTimeout(500);
        c.setReadTimeout(2000);
        int status = c.getResponseCode();
        c.disconnect();
        if (status == 200 || status == 401) {
          return true;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** {@code 127.0.0.1:port}, as image references spell the registry. */
  public String address() {
    return Loopback.HOST + ":" + port;
  }

  /** Where the registry keeps its blobs (for benchmarks that need to know the sizes on disk). */
  public Path storage() {
    return dir.resolve("storage");
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("registry.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
