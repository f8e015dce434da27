package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * A TCP proxy on 127.0.0.1 in front of one upstream server, which can break the connections it
 * carries on demand: reset them, stall them, throttle them or refuse them (see {@link Fault}).
 *
 * <p>Optionally TLS-terminating: clients speak TLS to the proxy, the proxy speaks plain TCP
 * upstream. Put it in front of {@link S3ProxyServer} to get an HTTPS S3 endpoint with a certificate
 * from {@link TlsMaterial}.
 *
 * <p>Plain blocking sockets and two platform threads per connection (Java 17 has no virtual
 * threads): simple to reason about, and plenty for tests and loopback benchmarks.
 */
public final class FaultProxy implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final @Nullable SSLSocketFactory tls;
  private final FaultPlan plan = new FaultPlan();
  private final TrafficCounters counters = new TrafficCounters();
  private final Set<ProxiedConnection> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads;
  private volatile boolean closed;

  private FaultProxy(
      ServerSocket server, InetSocketAddress upstream, @Nullable SSLSocketFactory tls) {
    this.server = server;
    this.upstream = upstream;
    this.tls = tls;
    this.threads =
        Executors.newCachedThreadPool(new DaemonThreads("fault-proxy-" + server.getLocalPort()));
    threads.execute(this::acceptLoop);
  }

  /** A plain TCP proxy: {@code http://127.0.0.1:<port>} in front of {@code upstream}. */
  public static FaultProxy start(InetSocketAddress upstream) {
    return new FaultProxy(bind(), upstream, null);
  }

  /** A TLS-terminating proxy: {@code https://127.0.0.1:<port>}, plain TCP to {@code upstream}. */
  public static FaultProxy startTls(InetSocketAddress upstream, TlsMaterial tlsMaterial) {
    return new FaultProxy(bind(), upstream, tlsMaterial.serverContext().getSocketFactory());
  }

  public URI endpoint() {
    return URI.create((tls == null ? "http" : "https") + "://" + Loopback.HOST + ":" + port());
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(Loopback.ADDRESS, port());
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Applies to connections accepted from now on; connections already open keep their fault. */
  public void setFault(Fault fault) {
    plan.set(fault);
  }

  /**
   * The fault new connections get; {@link Fault.None} again once a count-limited one is used up.
   */
  public Fault fault() {
    return plan.current();
  }

  /** Every connection accepted, including refused ones. */
  public int connectionsAccepted() {
    return counters.connectionsAccepted.get();
  }

  /** Bytes forwarded from upstream to clients, over all connections. */
  public long bytesToClient() {
    return counters.bytesToClient.get();
  }

  /**
   * Faults that actually happened: a reset or stall that fired, a connection refused. A connection
   * assigned a fault whose response ended before the byte threshold does not count.
   */
  public int faultsInjected() {
    return counters.faultsInjected.get();
  }

  /** Stops accepting, closes every open connection and stops all threads. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // Already closed; the accept loop ends either way.
    }
    open.forEach(ProxiedConnection::close);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket raw;
      try {
        raw = server.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        Loopback.pauseAfterAcceptFailure();
        continue;
      }
      // Decide the fault before counting, so that a test seeing the count knows which fault the
      // connection got.
      ConnectionFault fault = plan.nextConnection();
      counters.connectionsAccepted.incrementAndGet();
      handle(raw, fault);
    }
  }

  private void handle(Socket raw, ConnectionFault fault) {
    if (fault.action() == ConnectionFault.Action.REFUSE) {
      counters.faultsInjected.incrementAndGet();
      reset(raw);
      return;
    }
    ProxiedConnection connection =
        new ProxiedConnection(raw, tls, upstream, fault, counters, open::remove);
    open.add(connection);
    try {
      threads.execute(() -> connection.run(threads));
    } catch (RejectedExecutionException shuttingDown) {
      connection.close();
    }
    if (closed) {
      connection.close();
    }
  }

  private static void reset(Socket socket) {
    try (socket) {
      socket.setSoLinger(true, 0);
    } catch (IOException ignored) {
      // The socket is gone either way.
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
