package io.stowage.storage.net;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A small HTTP/1.1 client for bulk transfers. Thread-safe: any number of threads may send requests
 * at once, each on its own connection; idle connections are kept per origin and reused.
 */
public final class HttpClient implements AutoCloseable {
  private static final int MAX_IDLE_PER_ORIGIN = 64;
  private static final long MAX_IDLE_NANOS = 20_000_000_000L;
  private static final int MAX_HEAD_LINES = 200;
  private static final String USER_AGENT = "stowage/0.1";
  private static final Pattern STATUS = Pattern.compile("[0-9]{3}");

  private final NetSettings settings;
  private final Connector connector;
  private final StallWatchdog watchdog;
  private final Map<Origin, ArrayDeque<Connection>> idle = new HashMap<>();
  private boolean closed;

  public HttpClient(NetSettings settings) {
    this.settings = settings;
    this.connector = new Connector(settings);
    this.watchdog = new StallWatchdog(settings.readTimeout());
  }

  public NetSettings settings() {
    return settings;
  }

  /**
   * Sends the request and reads the response head. The caller must close the response. A request
   * that fails on a reused connection before any response byte arrived is sent once more on a new
   * connection when it is idempotent (the server may have closed the idle connection).
   */
  public HttpResponse send(HttpRequest request) throws IOException {
    Connection pooled = takeIdle(request.origin());
    if (pooled != null) {
      try {
        return exchange(pooled, request);
      } catch (StallException e) {
        throw e;
      } catch (IOException e) {
        if (!request.isIdempotent()) {
          throw e;
        }
        // Fall through to a fresh connection.
      }
    }
    return exchange(connector.open(request.origin()), request);
  }

  private HttpResponse exchange(Connection c, HttpRequest request) throws IOException {
    watchdog.watch(c);
    try {
      c.write(head(c, request));
      RequestBody body = request.body();
      if (body != null) {
        body.writeTo(c);
      }
      return readResponse(c, request);
    } catch (IOException | RuntimeException e) {
      release(c, false);
      throw e;
    }
  }

  private byte[] head(Connection c, HttpRequest request) {
    StringBuilder sb = new StringBuilder(512);
    sb.append(request.method()).append(' ');
    if (c.viaProxy) {
      sb.append(request.origin()).append(request.target());
    } else {
      sb.append(request.target());
    }
    sb.append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(request.origin().hostHeader()).append("\r\n");
    boolean userAgent = false;
    for (Headers.Field f : request.headers().fields()) {
      String name = f.name().toLowerCase(Locale.ROOT);
      if (name.equals("host") || name.equals("content-length") || name.equals("connection")) {
        continue;
      }
      userAgent |= name.equals("user-agent");
      sb.append(f.name()).append(": ").append(f.value()).append("\r\n");
    }
    if (!userAgent) {
      sb.append("User-Agent: ").append(USER_AGENT).append("\r\n");
    }
    RequestBody body = request.body();
    if (body != null) {
      sb.append("Content-Length: ").append(body.length()).append("\r\n");
    } else if (request.method().equals("PUT") || request.method().equals("POST")) {
      sb.append("Content-Length: 0\r\n");
    }
    if (c.viaProxy) {
      settings
          .proxy()
          .proxyFor(request.origin())
          .flatMap(Connector::proxyAuthorization)
          .ifPresent(v -> sb.append("Proxy-Authorization: ").append(v).append("\r\n"));
    }
    sb.append("\r\n");
    return Connection.ascii(sb.toString());
  }

  private HttpResponse readResponse(Connection c, HttpRequest request) throws IOException {
    while (true) {
      String statusLine = c.readLine(8192);
      if (statusLine.isEmpty()) {
        continue;
      }
      String[] parts = statusLine.split(" ", 3);
      // RFC 9112: status-code = 3DIGIT (Integer.parseInt alone takes "-200" and "+200").
      if (parts.length < 2
          || !parts[0].startsWith("HTTP/1.")
          || !STATUS.matcher(parts[1]).matches()) {
        throw new IOException(
            "malformed status line from " + c.origin + ": " + printable(statusLine));
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException(
            "malformed status line from " + c.origin + ": " + printable(statusLine));
      }
      Headers headers = readHeaders(c);
      if (status >= 100 && status < 200 && status != 101) {
        continue;
      }
      boolean http10 = parts[0].equals("HTTP/1.0");
      boolean keepAlive =
          http10
              ? headers.hasToken("Connection", "keep-alive")
              : !headers.hasToken("Connection", "close");
      Long length = declaredLength(headers, c);
      return new HttpResponse(
          status,
          parts.length > 2 ? parts[2] : "",
          headers,
          length,
          framing(request, status, headers, length),
          keepAlive,
          this,
          c);
    }
  }

  private static Headers readHeaders(Connection c) throws IOException {
    Headers.Builder b = Headers.builder();
    String pendingName = null;
    StringBuilder pendingValue = new StringBuilder();
    for (int i = 0; i < MAX_HEAD_LINES; i++) {
      String line = c.readLine(16 * 1024);
      if (line.isEmpty() || (line.charAt(0) != ' ' && line.charAt(0) != '\t')) {
        if (pendingName != null) {
          add(b, pendingName, pendingValue.toString().strip(), c);
          pendingName = null;
        }
        if (line.isEmpty()) {
          return b.build();
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          throw new IOException("malformed header line from " + c.origin + ": " + printable(line));
        }
        pendingName = line.substring(0, colon).strip();
        pendingValue.setLength(0);
        pendingValue.append(line.substring(colon + 1));
      } else if (pendingName != null) {
        pendingValue.append(' ').append(line.strip());
      }
    }
    throw new IOException("more than " + MAX_HEAD_LINES + " header lines from " + c.origin);
  }

  /** A field the wire allows but Headers refuses (a bare CR inside it) is a malformed head. */
  private static void add(Headers.Builder b, String name, String value, Connection c)
      throws IOException {
    try {
      b.add(name, value);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed header line from " + c.origin + ": " + printable(name));
    }
  }

  private static BodyReader framing(
      HttpRequest request, int status, Headers headers, @Nullable Long length) {
    if (!request.expectsBody() || status == 204 || status == 304) {
      return new BodyReader.Empty();
    }
    if (headers.hasToken("Transfer-Encoding", "chunked")) {
      return new BodyReader.Chunked();
    }
    if (length != null) {
      return length == 0 ? new BodyReader.Empty() : new BodyReader.FixedLength(length);
    }
    return new BodyReader.UntilClose();
  }

  /**
   * The Content-Length, checked once for every response (HEAD answers too, whose length callers
   * read as the object's size); null when absent or overridden by chunked framing (RFC 9112 6.3).
   */
  private static @Nullable Long declaredLength(Headers headers, Connection c) throws IOException {
    var length = headers.first("Content-Length");
    if (length.isEmpty() || headers.hasToken("Transfer-Encoding", "chunked")) {
      return null;
    }
    try {
      long n = Long.parseLong(length.get().strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IOException(
          "invalid Content-Length '" + printable(length.get()) + "' from " + c.origin);
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 120 ? s.substring(0, 120) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private synchronized @Nullable Connection takeIdle(Origin origin) {
    ArrayDeque<Connection> queue = idle.get(origin);
    long now = System.nanoTime();
    while (queue != null && !queue.isEmpty()) {
      Connection c = queue.pollLast();
      if (c.isOpen() && now - c.idleSinceNanos() < MAX_IDLE_NANOS) {
        return c;
      }
      c.close();
    }
    return null;
  }

  void release(Connection c, boolean reusable) {
    watchdog.forget(c);
    if (!reusable || !c.isOpen()) {
      c.close();
      return;
    }
    synchronized (this) {
      if (closed) {
        c.close();
        return;
      }
      ArrayDeque<Connection> queue = idle.computeIfAbsent(c.origin, o -> new ArrayDeque<>());
      if (queue.size() >= MAX_IDLE_PER_ORIGIN) {
        c.close();
        return;
      }
      c.markIdle();
      queue.addLast(c);
    }
  }

  @Override
  public void close() {
    watchdog.close();
    synchronized (this) {
      closed = true;
      for (ArrayDeque<Connection> queue : idle.values()) {
        for (Connection c : queue) {
          c.close();
        }
      }
      idle.clear();
    }
  }

  @Override
  public String toString() {
    return "HttpClient";
  }
}
