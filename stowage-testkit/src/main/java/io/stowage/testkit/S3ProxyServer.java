package io.stowage.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A real S3 server: S3Proxy with its filesystem backend, run as a child process on
 * http://127.0.0.1:&lt;free port&gt;.
 *
 * <p>A separate process rather than in-process because the S3Proxy jar bundles its own Jetty,
 * Jackson 3 and AWS SDK. Its output goes to {@link #logFile()}, so test output stays readable. The
 * process is killed on {@link #close()} and, should a test forget, by a shutdown hook.
 */
public final class S3ProxyServer implements AutoCloseable {

  private static final String ACCESS_KEY = "AKIDSTOWAGETEST";
  private static final String SECRET_KEY = "stowage-test-secret-key";
  private static final String REGION = "us-east-1";

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;

  private static @Nullable S3ProxyServer shared;

  private final Path dataDir;
  private final int port;
  private final Process process;
  private final boolean isShared;
  private final Thread shutdownHook;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private S3ProxyServer(Path dataDir, int port, Process process, boolean isShared) {
    this.dataDir = dataDir;
    this.port = port;
    this.process = process;
    this.isShared = isShared;
    this.shutdownHook = new Thread(this::stop, "s3proxy-" + port + "-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts S3Proxy with its buckets under {@code dataDir/buckets} and its log in {@code
   * dataDir/s3proxy.log}, and returns once it answers HTTP.
   *
   * @throws IllegalStateException if the jar cannot be found or the server does not come up within
   *     30 seconds; the message carries the tail of the server's log
   */
  public static S3ProxyServer start(Path dataDir) {
    return start(dataDir, false);
  }

  /**
   * One server per JVM, started on first use in a temporary directory and stopped (and its
   * directory deleted) when the JVM exits. Tests share it so that each test class does not pay for
   * a server start; they should use their own bucket names. {@link #close()} on it does nothing.
   */
  public static synchronized S3ProxyServer shared() {
    S3ProxyServer server = shared;
    if (server == null || !server.isAlive()) {
      try {
        server = start(Files.createTempDirectory("stowage-s3proxy-"), true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a directory for the shared S3Proxy", e);
      }
      shared = server;
    }
    return server;
  }

  /**
   * The S3Proxy fat jar, from the first of: system property {@code stowage.s3proxy.jar};
   * environment variable {@code STOWAGE_S3PROXY_JAR}; {@code <stowage.home>/lib/quickstart/
   * s3proxy.jar}; the local Maven repository.
   *
   * @throws IllegalStateException explaining how to get the jar, if none of these has it
   */
  public static Path locateJar() {
    return S3ProxyJar.locate(
        System.getProperties(), System.getenv(), Path.of(System.getProperty("user.home")));
  }

  public URI endpoint() {
    return URI.create("http://" + Loopback.HOST + ":" + port);
  }

  /** The socket address of {@link #endpoint()}, handy as the upstream of a {@link FaultProxy}. */
  public InetSocketAddress address() {
    return new InetSocketAddress(Loopback.ADDRESS, port);
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  public String region() {
    return REGION;
  }

  public Path dataDirectory() {
    return dataDir;
  }

  /** Where the filesystem backend keeps buckets: one directory per bucket, one file per object. */
  public Path bucketsDirectory() {
    return bucketsDirectory(dataDir);
  }

  public Path logFile() {
    return logFile(dataDir);
  }

  public boolean isAlive() {
    return !stopped.get() && process.isAlive();
  }

  /** Stops the server, unless it is the {@link #shared()} one, which lives until the JVM exits. */
  @Override
  public void close() {
    if (isShared) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to; it does the same work.
    }
    stop();
  }

  private void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    JdkTools.stop(process);
    if (isShared) {
      TestFiles.deleteRecursively(dataDir);
    }
  }

  private static S3ProxyServer start(Path dataDir, boolean isShared) {
    Path jar = locateJar();
    Path absoluteDir = dataDir.toAbsolutePath();
    try {
      Files.createDirectories(bucketsDirectory(absoluteDir));
      Files.deleteIfExists(logFile(absoluteDir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare S3Proxy's data directory " + absoluteDir, e);
    }
    // The port is picked before S3Proxy binds it, so another process may take it in between:
    // that shows up as an early exit, and a new port usually fixes it.
    for (int attempt = 1; ; attempt++) {
      int port = Loopback.freePort();
      Process process = launch(jar, absoluteDir, port);
      StartupResult result = awaitHttp(process, port);
      if (result == StartupResult.ANSWERING) {
        return new S3ProxyServer(absoluteDir, port, process, isShared);
      }
      JdkTools.stop(process);
      if (result == StartupResult.TIMED_OUT || attempt == START_ATTEMPTS) {
        throw new IllegalStateException(
            "S3Proxy at port "
                + port
                + (result == StartupResult.TIMED_OUT
                    ? " did not answer within " + STARTUP_TIMEOUT.toSeconds() + " s"
                    : " exited early (exit code " + process.exitValue() + ")")
                + "; last lines of "
                + logFile(absoluteDir)
                + ":\n"
                + logTail(logFile(absoluteDir)));
      }
    }
  }

  private static Process launch(Path jar, Path dataDir, int port) {
    Path properties = dataDir.resolve("s3proxy.properties");
    try {
      Files.writeString(properties, configuration(dataDir, port), StandardCharsets.UTF_8);
      ProcessBuilder builder =
          new ProcessBuilder(
                  JdkTools.java().toString(),
                  "-jar",
                  jar.toString(),
                  "--properties",
                  properties.toString())
              .directory(dataDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(dataDir).toFile()));
      Process process = builder.start();
      process.getOutputStream().close();
      return process;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch S3Proxy from " + jar, e);
    }
  }

  private static String configuration(Path dataDir, int port) {
    return String.join(
        "\n",
        "s3proxy.endpoint=http://" + Loopback.HOST + ":" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        // The AWS SDK sends x-amz-* headers S3Proxy does not know (x-amz-mp-object-size, ...).
        "s3proxy.ignore-unknown-headers=true",
        "jclouds.provider=filesystem",
        // Properties-file syntax treats backslashes as escapes; forward slashes work everywhere.
        "jclouds.filesystem.basedir=" + bucketsDirectory(dataDir).toString().replace('\\', '/'),
        "");
  }

  private enum StartupResult {
    ANSWERING,
    EXITED,
    TIMED_OUT
  }

  private static StartupResult awaitHttp(Process process, int port) {
    long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        return StartupResult.EXITED;
      }
      if (answersHttp(port)) {
        return StartupResult.ANSWERING;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        JdkTools.stop(process);
        throw new IllegalStateException("interrupted while waiting for S3Proxy", e);
      }
    }
    return StartupResult.TIMED_OUT;
  }

  /**
   * Any HTTP status counts (an anonymous request gets 403). A raw socket rather than an HTTP
   * client, so that proxy settings of the test JVM cannot get in the way.
   */
  private static boolean answersHttp(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(Loopback.ADDRESS, port), 500);
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET / HTTP/1.1\r\nHost: "
                  + Loopback.HOST
                  + ":"
                  + port
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] start = in.readNBytes(5);
      return new String(start, StandardCharsets.US_ASCII).equals("HTTP/");
    } catch (IOException notYet) {
      return false;
    }
  }

  private static String logTail(Path log) {
    try {
      // Decoding leniently: a log cut mid-character must still be shown.
      List<String> lines =
          new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  private static Path bucketsDirectory(Path dataDir) {
    return dataDir.resolve("buckets");
  }

  private static Path logFile(Path dataDir) {
    return dataDir.resolve("s3proxy.log");
  }
}
