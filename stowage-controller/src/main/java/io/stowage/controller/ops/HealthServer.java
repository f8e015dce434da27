package io.stowage.controller.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /healthz} (liveness: no informer has stopped), {@code /readyz} (readiness: the operator
 * started and every informer is healthy) and {@code /metrics} (Prometheus text format), on the
 * JDK's HTTP server with one thread.
 */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(
      int port, Operator operator, PrometheusMeterRegistry registry, AtomicBoolean broken)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext(
        "/healthz",
        x ->
            respond(
                x,
                broken.get() ? 500 : 200,
                broken.get() ? "an informer stopped\n" : "ok\n",
                "text/plain"));
    server.createContext(
        "/readyz",
        x -> {
          boolean ready =
              operator.getRuntimeInfo().isStarted()
                  && operator.getRuntimeInfo().allEventSourcesAreHealthy();
          respond(x, ready ? 200 : 503, ready ? "ok\n" : "not ready\n", "text/plain");
        });
    server.createContext(
        "/metrics",
        x -> respond(x, 200, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
    server.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r)));
    server.start();
    return new HealthServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "stowage-http");
    t.setDaemon(true);
    return t;
  }

  private static void respond(HttpExchange x, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", type);
    x.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = x.getResponseBody()) {
      out.write(bytes);
    }
  }
}
