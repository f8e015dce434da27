package io.stowage.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One client connection of a {@link ForwardProxy}: exactly one request, forwarded in absolute form
 * or as a CONNECT tunnel, then the connection is closed.
 *
 * <p>One request per connection keeps the proxy simple and still correct for keep-alive clients:
 * every response says {@code Connection: close}, so the client opens a new connection for its next
 * request instead of reusing this one.
 */
final class ProxyExchange {

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /** Fields that describe this hop only and must not be forwarded (RFC 9110 section 7.6.1). */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection", "keep-alive", "proxy-connection", "proxy-authorization", "te", "upgrade");

  private final Socket client;
  private final @Nullable String expectedCredentials;
  private final Consumer<String> requestLog;
  private final SocketRegistry sockets;
  private final Executor threads;

  ProxyExchange(
      Socket client,
      @Nullable String expectedCredentials,
      Consumer<String> requestLog,
      SocketRegistry sockets,
      Executor threads) {
    this.client = client;
    this.expectedCredentials = expectedCredentials;
    this.requestLog = requestLog;
    this.sockets = sockets;
    this.threads = threads;
  }

  void run() {
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      HttpHead request = readRequest(in, out);
      if (request != null) {
        requestLog.accept(request.startLine());
        handle(request, in, out);
      }
    } catch (IOException | RuntimeException brokenConnection) {
      // The client or origin went away mid-exchange; there is nobody left to tell.
    } finally {
      sockets.close(client);
    }
  }

  private @Nullable HttpHead readRequest(InputStream in, OutputStream out) throws IOException {
    try {
      return HttpHead.read(in);
    } catch (IOException malformed) {
      respond(out, 400, "Bad Request", List.of());
      return null;
    }
  }

  private void handle(HttpHead request, InputStream in, OutputStream out) throws IOException {
    List<String> parts = List.of(request.startLine().split(" ", -1));
    if (parts.size() != 3) {
      respond(out, 400, "Bad Request", List.of());
      return;
    }
    String method = parts.get(0);
    if (!isAuthorized(request)) {
      if (!request.hasToken("Expect", "100-continue")) {
        // Read the body away so that the client, still writing it, sees the 407 and not a reset.
        BodyFraming.copy(BodyFraming.ofRequest(request), in, OutputStream.nullOutputStream());
      }
      respond(
          out,
          407,
          "Proxy Authentication Required",
          List.of("Proxy-Authenticate: Basic realm=\"stowage-testkit\""));
      return;
    }
    if (method.equals("CONNECT")) {
      tunnel(parts.get(1), in, out);
    } else {
      forward(method, parts.get(1), parts.get(2), request, in, out);
    }
  }

  private boolean isAuthorized(HttpHead request) {
    if (expectedCredentials == null) {
      return true;
    }
    String header = request.value("Proxy-Authorization");
    if (header == null) {
      return false;
    }
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).equalsIgnoreCase("Basic")) {
      return false;
    }
    return MessageDigest.isEqual(
        header.substring(space + 1).trim().getBytes(StandardCharsets.ISO_8859_1),
        expectedCredentials.getBytes(StandardCharsets.ISO_8859_1));
  }

  private void forward(
      String method,
      String target,
      String version,
      HttpHead request,
      InputStream in,
      OutputStream out)
      throws IOException {
    URI uri = absoluteHttpTarget(target);
    String host = uri == null ? null : uri.getHost();
    if (uri == null || host == null) {
      respond(out, 400, "Bad Request", List.of());
      return;
    }
    Socket origin = connect(host, uri.getPort() < 0 ? 80 : uri.getPort());
    if (origin == null) {
      respond(out, 502, "Bad Gateway", List.of());
      return;
    }
    try {
      boolean expectsContinue = request.hasToken("Expect", "100-continue");
      BodyFraming requestBody = BodyFraming.ofRequest(request);
      HttpHead outgoing =
          request
              .withStartLine(method + " " + originForm(uri) + " " + version)
              .without(hopByHop(request, expectsContinue))
              .with("Host", hostField(uri))
              .with("Connection", "close");
      if (expectsContinue) {
        // We answer 100 ourselves and drop Expect upstream: waiting for the origin's 100 would
        // need a second thread, and the body is small in tests.
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
      OutputStream toOrigin = new BufferedOutputStream(origin.getOutputStream());
      outgoing.writeTo(toOrigin);
      BodyFraming.copy(requestBody, in, toOrigin);
      toOrigin.flush();
      relayResponse(method, new BufferedInputStream(origin.getInputStream()), out);
    } finally {
      sockets.close(origin);
    }
  }

  /** Passes interim 1xx responses on, then the final response with its body, then ends. */
  private static void relayResponse(String method, InputStream fromOrigin, OutputStream out)
      throws IOException {
    while (true) {
      HttpHead response = HttpHead.read(fromOrigin);
      if (response == null) {
        respond(out, 502, "Bad Gateway", List.of());
        return;
      }
      int status = statusOf(response);
      if (status / 100 == 1) {
        response.writeTo(out);
        continue;
      }
      BodyFraming body = BodyFraming.ofResponse(response, method, status);
      response.without(hopByHop(response, false)).with("Connection", "close").writeTo(out);
      BodyFraming.copy(body, fromOrigin, out);
      out.flush();
      return;
    }
  }

  private void tunnel(String authority, InputStream in, OutputStream out) throws IOException {
    URI uri = parseOrNull("//" + authority);
    String host = uri == null ? null : uri.getHost();
    if (uri == null || host == null || uri.getPort() < 0) {
      respond(out, 400, "Bad Request", List.of());
      return;
    }
    Socket origin = connect(host, uri.getPort());
    if (origin == null) {
      respond(out, 502, "Bad Gateway", List.of());
      return;
    }
    try {
      out.write(
          "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      CountDownLatch originDone = new CountDownLatch(1);
      threads.execute(() -> copyOriginToClient(origin, originDone));
      // Bytes the client sent right after its head are in our buffer, so keep reading from it.
      in.transferTo(origin.getOutputStream());
      origin.shutdownOutput();
      originDone.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      sockets.close(origin);
    }
  }

  private void copyOriginToClient(Socket origin, CountDownLatch done) {
    try {
      origin.getInputStream().transferTo(client.getOutputStream());
      client.shutdownOutput();
    } catch (IOException e) {
      // Either side broke: end the whole tunnel, which also unblocks the other direction.
      sockets.close(client);
      sockets.close(origin);
    } finally {
      done.countDown();
    }
  }

  private @Nullable Socket connect(String host, int port) {
    Socket origin = new Socket();
    sockets.register(origin);
    try {
      origin.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      origin.setTcpNoDelay(true);
      return origin;
    } catch (IOException unreachable) {
      sockets.close(origin);
      return null;
    }
  }

  private static Set<String> hopByHop(HttpHead head, boolean dropExpect) {
    Set<String> names = new HashSet<>(HOP_BY_HOP);
    // Fields named in Connection are hop-by-hop too.
    names.addAll(head.tokens("Connection"));
    if (dropExpect) {
      names.add("expect");
    }
    return names;
  }

  private static @Nullable URI absoluteHttpTarget(String target) {
    URI uri = parseOrNull(target);
    if (uri == null || uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("http")) {
      return null;
    }
    return uri;
  }

  private static @Nullable URI parseOrNull(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String originForm(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }

  /** The target's host and port, without any user info the absolute URI may carry. */
  private static String hostField(URI uri) {
    String host = String.valueOf(uri.getHost());
    return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
  }

  private static int statusOf(HttpHead response) throws IOException {
    String[] parts = response.startLine().split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("malformed status line: " + response.startLine());
    }
    try {
      return Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("malformed status line: " + response.startLine(), e);
    }
  }

  private static void respond(OutputStream out, int status, String reason, List<String> fields)
      throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason);
    head.append("\r\n");
    for (String field : fields) {
      head.append(field).append("\r\n");
    }
    head.append("Content-Length: 0\r\nConnection: close\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
