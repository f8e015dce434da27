package io.stowage.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A raw TCP upstream for proxy tests: for each connection it waits for one request byte, then sends
 * {@link #payload()} and closes. Exact byte counts are easier to assert on than HTTP.
 */
final class ByteSourceServer implements AutoCloseable {

  private final ServerSocket server;
  private final byte[] payload;
  private final ExecutorService threads =
      Executors.newCachedThreadPool(new DaemonThreads("source"));

  ByteSourceServer(int payloadBytes) throws IOException {
    this.server = Loopback.bindFreePort();
    this.payload = pattern(payloadBytes);
    threads.execute(this::acceptLoop);
  }

  static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 8));
    }
    return bytes;
  }

  byte[] payload() {
    return payload.clone();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(Loopback.ADDRESS, server.getLocalPort());
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        threads.execute(() -> serve(socket));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      if (in.read() < 0) {
        return;
      }
      OutputStream out = socket.getOutputStream();
      out.write(payload);
      out.flush();
    } catch (IOException clientWentAway) {
      // Expected in fault tests.
    }
  }
}
