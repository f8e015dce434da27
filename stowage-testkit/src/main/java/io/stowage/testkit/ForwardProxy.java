package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A minimal HTTP/1.1 forward proxy on 127.0.0.1, to test that clients honour proxy settings ({@code
 * HTTP_PROXY}, {@code HTTPS_PROXY}, JVM proxy properties) and proxy authentication.
 *
 * <p>Absolute-form requests ({@code GET http://host:port/path HTTP/1.1}) are forwarded to the
 * origin, and {@code CONNECT host:port} opens a byte tunnel (for HTTPS). Each connection carries
 * one request and is then closed, announced by {@code Connection: close}. Every request line is
 * recorded, so tests can assert that traffic really went through the proxy.
 */
public final class ForwardProxy implements AutoCloseable {

  private final ServerSocket server;
  private final @Nullable String expectedCredentials;
  private final List<String> requestLines = new CopyOnWriteArrayList<>();
  private final SocketRegistry sockets = new SocketRegistry();
  private final AtomicInteger connectionsAccepted = new AtomicInteger();
  private final ExecutorService threads;
  private volatile boolean closed;

  private ForwardProxy(ServerSocket server, @Nullable String expectedCredentials) {
    this.server = server;
    this.expectedCredentials = expectedCredentials;
    this.threads =
        Executors.newCachedThreadPool(new DaemonThreads("forward-proxy-" + server.getLocalPort()));
    threads.execute(this::acceptLoop);
  }

  /** A proxy that lets every request through. */
  public static ForwardProxy start() {
    return new ForwardProxy(bind(), null);
  }

  /**
   * A proxy that answers 407 with {@code Proxy-Authenticate: Basic} unless the request carries
   * {@code Proxy-Authorization: Basic base64(user:password)}.
   */
  public static ForwardProxy startWithBasicAuth(String user, String password) {
    String credentials =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new ForwardProxy(bind(), credentials);
  }

  public URI endpoint() {
    return URI.create("http://" + Loopback.HOST + ":" + port());
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(Loopback.ADDRESS, port());
  }

  public int port() {
    return server.getLocalPort();
  }

  /**
   * Request lines in arrival order, exactly as received, including rejected ones: {@code GET
   * http://127.0.0.1:1234/bucket?list-type=2 HTTP/1.1}, {@code CONNECT 127.0.0.1:443 HTTP/1.1}.
   */
  public List<String> requestLines() {
    return List.copyOf(requestLines);
  }

  public int connectionsAccepted() {
    return connectionsAccepted.get();
  }

  /** Stops accepting, ends every open exchange and tunnel, and stops all threads. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // Already closed; the accept loop ends either way.
    }
    sockets.closeAll();
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        Loopback.pauseAfterAcceptFailure();
        continue;
      }
      connectionsAccepted.incrementAndGet();
      sockets.register(client);
      ProxyExchange exchange =
          new ProxyExchange(client, expectedCredentials, requestLines::add, sockets, threads);
      try {
        threads.execute(exchange::run);
      } catch (RejectedExecutionException shuttingDown) {
        sockets.close(client);
      }
      if (closed) {
        sockets.closeAll();
      }
    }
  }

  private static ServerSocket bind() {
    try {
      return Loopback.bindFreePort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a proxy port on " + Loopback.HOST, e);
    }
  }
}
