package io.stowage.testkit;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The JDK's HTTP/1.1 server (or its HTTPS variant) on 127.0.0.1 with a free port, one handler for
 * every path, and a thread per exchange: the JDK's default runs every exchange on its dispatcher
 * thread, which would serialise parallel ranged downloads and let one stalled exchange block all.
 */
final class LoopbackHttpServer {

  private static final int BACKLOG = 128;

  private final HttpServer server;
  private final ExecutorService threads;
  private final boolean tls;

  private LoopbackHttpServer(HttpServer server, ExecutorService threads, boolean tls) {
    this.server = server;
    this.threads = threads;
    this.tls = tls;
  }

  static LoopbackHttpServer start(
      String name, @Nullable TlsMaterial tlsMaterial, HttpHandler handler) {
    InetSocketAddress address = new InetSocketAddress(Loopback.ADDRESS, 0);
    HttpServer server;
    try {
      if (tlsMaterial == null) {
        server = HttpServer.create(address, BACKLOG);
      } else {
        HttpsServer https = HttpsServer.create(address, BACKLOG);
        https.setHttpsConfigurator(new HttpsConfigurator(tlsMaterial.serverContext()));
        server = https;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind an HTTP port on " + Loopback.HOST, e);
    }
    ExecutorService threads =
        Executors.newCachedThreadPool(
            new DaemonThreads(name + "-" + server.getAddress().getPort()));
    server.setExecutor(threads);
    server.createContext("/", handler);
    server.start();
    return new LoopbackHttpServer(server, threads, tlsMaterial != null);
  }

  URI endpoint() {
    return URI.create((tls ? "https" : "http") + "://" + Loopback.HOST + ":" + port());
  }

  int port() {
    return server.getAddress().getPort();
  }

  /**
   * Closes the listening socket and every connection, and interrupts exchanges still running (a
   * request hook waiting on a latch, say).
   */
  void close() {
    server.stop(0);
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
