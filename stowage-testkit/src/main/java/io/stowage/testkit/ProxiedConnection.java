package io.stowage.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * One client connection of a {@link FaultProxy} and its upstream twin, with a thread per direction.
 *
 * <p>Each direction half-closes its destination when its source ends, and the sockets are closed
 * once both directions are done, so request/response protocols see the same FINs they would see
 * without the proxy. Faults act only on the upstream-to-client direction.
 */
final class ProxiedConnection {

  private static final int BUFFER_SIZE = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
  private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final Socket rawClient;
  private final @Nullable SSLSocketFactory tls;
  private final InetSocketAddress upstreamAddress;
  private final ConnectionFault fault;
  private final TrafficCounters counters;
  private final Consumer<ProxiedConnection> onClosed;

  private final Socket upstream = new Socket();
  private final AtomicInteger openDirections = new AtomicInteger(2);
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile @Nullable Socket client;
  private volatile boolean stalled;
  private volatile boolean clientFinished;

  ProxiedConnection(
      Socket rawClient,
      @Nullable SSLSocketFactory tls,
      InetSocketAddress upstreamAddress,
      ConnectionFault fault,
      TrafficCounters counters,
      Consumer<ProxiedConnection> onClosed) {
    this.rawClient = rawClient;
    this.tls = tls;
    this.upstreamAddress = upstreamAddress;
    this.fault = fault;
    this.counters = counters;
    this.onClosed = onClosed;
  }

  /**
   * Handshakes and connects upstream, then pumps requests; the response pump runs on {@code
   * threads}.
   */
  void run(Executor threads) {
    try {
      Socket clientSide = tls == null ? rawClient : handshake(tls);
      client = clientSide;
      upstream.connect(upstreamAddress, CONNECT_TIMEOUT_MILLIS);
      upstream.setTcpNoDelay(true);
      clientSide.setTcpNoDelay(true);
      threads.execute(() -> pumpToClient(clientSide));
      pumpToUpstream(clientSide);
    } catch (IOException | RuntimeException e) {
      // Handshake or upstream connect failed, or the executor is shutting down: nothing to save.
      close();
    }
  }

  /**
   * Closes everything. The raw client socket goes first: that unblocks any thread stuck in a TLS
   * write, and skips TLS's close_notify, which for an aborted connection would be a lie.
   */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly(rawClient);
    Socket clientSide = client;
    if (clientSide != null && clientSide != rawClient) {
      closeQuietly(clientSide);
    }
    closeQuietly(upstream);
    onClosed.accept(this);
  }

  private Socket handshake(SSLSocketFactory factory) throws IOException {
    // The layered form is server mode and leaves us the raw socket, so a drop can skip
    // close_notify.
    SSLSocket ssl = (SSLSocket) factory.createSocket(rawClient, null, true);
    ssl.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
    ssl.startHandshake();
    ssl.setSoTimeout(0);
    return ssl;
  }

  private void pumpToUpstream(Socket clientSide) {
    byte[] buffer = new byte[BUFFER_SIZE];
    // Not try-with-resources: closing a socket stream closes the socket, and the other direction
    // may still be busy.
    try {
      InputStream in = clientSide.getInputStream();
      OutputStream out = upstream.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
      clientFinished = true;
      if (stalled) {
        // A stalled connection lives until the client stops; it just did.
        close();
        return;
      }
      upstream.shutdownOutput();
      directionDone();
    } catch (IOException e) {
      close();
    }
  }

  private void pumpToClient(Socket clientSide) {
    SharedRateLimiter limiter = fault.limiter();
    byte[] buffer = new byte[limiter == null ? BUFFER_SIZE : limiter.chunkSize()];
    long sent = 0;
    try {
      InputStream in = upstream.getInputStream();
      OutputStream out = clientSide.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (fault.hasCutoff() && sent + n >= fault.afterBytes()) {
          writeToClient(out, buffer, (int) (fault.afterBytes() - sent));
          inject();
          return;
        }
        if (limiter != null) {
          limiter.acquire(n);
        }
        writeToClient(out, buffer, n);
        sent += n;
      }
      endResponse(clientSide);
    } catch (IOException e) {
      close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
    }
  }

  private void writeToClient(OutputStream out, byte[] buffer, int length) throws IOException {
    if (length > 0) {
      out.write(buffer, 0, length);
      out.flush();
      counters.bytesToClient.addAndGet(length);
    }
  }

  private void inject() throws IOException {
    counters.faultsInjected.incrementAndGet();
    if (fault.action() == ConnectionFault.Action.DROP) {
      // Linger 0 makes close() send RST: the client sees "connection reset", not a clean end.
      rawClient.setSoLinger(true, 0);
      close();
      return;
    }
    stalled = true;
    if (clientFinished) {
      close();
    }
  }

  /** Upstream finished: pass its FIN on. TLS sockets may not support half-close; then close. */
  private void endResponse(Socket clientSide) {
    try {
      clientSide.shutdownOutput();
      directionDone();
    } catch (IOException | UnsupportedOperationException e) {
      close();
    }
  }

  private void directionDone() {
    if (openDirections.decrementAndGet() == 0) {
      close();
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException alreadyBroken) {
      // Closing is all we wanted.
    }
  }
}
