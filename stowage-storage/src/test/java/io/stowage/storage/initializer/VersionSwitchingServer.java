package io.stowage.storage.initializer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lying web server on loopback: it serves one file whose content is replaced by a second version
 * after a number of ranged requests, and it ignores {@code If-Range}, as some servers and caches
 * do. It sends the validators of the version it actually serves (or none), so only a client that
 * compares every response's validator with the listed one notices the switch.
 */
final class VersionSwitchingServer implements AutoCloseable {
  /** Which validators the server sends. */
  enum Validators {
    ETAG,
    /** The same ETag for both versions: only the Content-Range total tells them apart. */
    SAME_ETAG,
    LAST_MODIFIED,
    NONE
  }

  private final HttpServer server;
  private final byte[] v1;
  private final byte[] v2;
  private final int rangesBeforeSwitch;
  private final Validators validators;
  private final AtomicInteger ranged = new AtomicInteger();
  final AtomicInteger rangedRequests = new AtomicInteger();
  final AtomicInteger wholeRequests = new AtomicInteger();

  VersionSwitchingServer(byte[] v1, byte[] v2, int rangesBeforeSwitch, Validators validators)
      throws IOException {
    this.v1 = v1;
    this.v2 = v2;
    this.rangesBeforeSwitch = rangesBeforeSwitch;
    this.validators = validators;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String range = ex.getRequestHeaders().getFirst("Range");
      boolean switched = range != null && ranged.incrementAndGet() > rangesBeforeSwitch;
      byte[] content = switched ? v2 : v1;
      switch (validators) {
        case ETAG -> ex.getResponseHeaders().set("ETag", switched ? "\"v2\"" : "\"v1\"");
        case SAME_ETAG -> ex.getResponseHeaders().set("ETag", "\"v1\"");
        case LAST_MODIFIED ->
            ex.getResponseHeaders()
                .set(
                    "Last-Modified",
                    switched ? "Wed, 02 Dec 2026 10:00:00 GMT" : "Tue, 01 Dec 2026 10:00:00 GMT");
        case NONE -> {}
      }
      ex.getResponseHeaders().set("Accept-Ranges", "bytes");
      if (range == null) {
        wholeRequests.incrementAndGet();
        send(ex, 200, content, 0, content.length);
        return;
      }
      rangedRequests.incrementAndGet();
      String[] se = range.substring("bytes=".length()).split("-", -1);
      int start = Integer.parseInt(se[0]);
      int end = Math.min(content.length - 1, Integer.parseInt(se[1]));
      ex.getResponseHeaders()
          .set("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
      send(ex, 206, content, start, end + 1 - start);
    }
  }

  private static void send(HttpExchange ex, int status, byte[] content, int offset, int length)
      throws IOException {
    ex.sendResponseHeaders(status, length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(content, offset, length);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
