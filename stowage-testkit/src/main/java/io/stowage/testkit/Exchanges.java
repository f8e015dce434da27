package io.stowage.testkit;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Chores every test server does with the JDK's {@link HttpExchange}. */
final class Exchanges {

  /** Request headers a {@link HubServer} never records the value of. */
  private static final Set<String> CREDENTIALS = Set.of("authorization", "cookie");

  private static final String REDACTED = "<redacted>";

  /** What a handler does with one exchange; the exchange is closed afterwards whatever happens. */
  @FunctionalInterface
  interface Body {
    void handle(HttpExchange exchange) throws IOException;
  }

  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
          .withZone(ZoneOffset.UTC);

  private Exchanges() {}

  /**
   * An IMF-fixdate, the one date format HTTP servers send ({@code Sun, 06 Nov 1994 08:49:37 GMT}).
   */
  static String httpDate(Instant instant) {
    return HTTP_DATE.format(instant);
  }

  /**
   * Runs {@code body}, answers 500 if it fails before sending a status, and always ends the
   * exchange. A client that went away mid-body is not an error.
   */
  static void run(HttpExchange exchange, Body body) {
    try {
      body.handle(exchange);
    } catch (IOException clientWentAway) {
      // Nothing to answer; closing the exchange drops the connection.
    } catch (RuntimeException bug) {
      if (exchange.getResponseCode() < 0) {
        try {
          sendText(exchange, 500, "test server failure: " + bug);
        } catch (IOException | RuntimeException ignored) {
          // The original failure is what matters; the client sees the connection drop.
        }
      }
    } finally {
      exchange.close();
    }
  }

  static RecordedRequest record(HttpExchange exchange, boolean redactCredentials) {
    URI uri = exchange.getRequestURI();
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              headers.put(
                  lower,
                  redactCredentials && CREDENTIALS.contains(lower) ? redact(values) : values);
            });
    return new RecordedRequest(
        exchange.getRequestMethod(),
        Objects.requireNonNullElse(uri.getPath(), ""),
        Objects.requireNonNullElse(uri.getRawPath(), ""),
        uri.getRawQuery(),
        headers);
  }

  static boolean isHead(HttpExchange exchange) {
    return "HEAD".equals(exchange.getRequestMethod());
  }

  static boolean isGetOrHead(HttpExchange exchange) {
    return "GET".equals(exchange.getRequestMethod()) || isHead(exchange);
  }

  /** A status without a body ({@code Content-Length: 0}). */
  static void sendEmpty(HttpExchange exchange, int status) throws IOException {
    exchange.sendResponseHeaders(status, -1);
  }

  static void sendText(HttpExchange exchange, int status, String text) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A complete body with its {@code Content-Length}; for HEAD the same headers and no body, as RFC
   * 9110 asks.
   */
  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    headers.set("Content-Type", contentType);
    if (isHead(exchange)) {
      headers.set("Content-Length", Long.toString(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }

  /**
   * Sends the status and headers of a body of {@code length} bytes: with {@code Content-Length}, or
   * with {@code Transfer-Encoding: chunked} when {@code chunked}. HEAD gets the same headers.
   */
  static void sendHeadersForBody(HttpExchange exchange, int status, long length, boolean chunked)
      throws IOException {
    if (isHead(exchange)) {
      if (!chunked) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
      }
      exchange.sendResponseHeaders(status, -1);
    } else if (chunked) {
      // The JDK's server reads 0 as "length unknown": chunked.
      exchange.sendResponseHeaders(status, 0);
    } else {
      // ... and -1 as "no body", which is how an empty body must be announced.
      exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
    }
  }

  private static List<String> redact(List<String> values) {
    List<String> redacted = new ArrayList<>(values.size());
    for (String value : values) {
      int space = value.indexOf(' ');
      redacted.add(space > 0 ? value.substring(0, space) + " " + REDACTED : REDACTED);
    }
    return redacted;
  }
}
