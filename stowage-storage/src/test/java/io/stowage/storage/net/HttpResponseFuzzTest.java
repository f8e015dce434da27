package io.stowage.storage.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The HTTP/1.1 response parser and body framing (fixed length, chunked, until close): whatever a
 * server sends, the client reads a response or fails with an IOException, never anything else, and
 * never more body than it asked for. The fuzzed bytes are served by a loopback server, so the real
 * socket path is parsed. Corpus in {@code HttpResponseFuzzTestInputs}.
 */
class HttpResponseFuzzTest {
  private static final int BODY_LIMIT = 1 << 20;
  private static volatile byte[] answer = new byte[0];
  private static ServerSocket server;
  private static Origin origin;
  // Made at the first input, after Jazzer's agent is installed: classes loaded before it cannot
  // be instrumented consistently.
  private static @Nullable HttpClient client;

  @BeforeAll
  static void start() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    origin = new Origin("http", "127.0.0.1", server.getLocalPort());
    Thread t = new Thread(HttpResponseFuzzTest::serve, "fuzz-http-server");
    t.setDaemon(true);
    t.start();
  }

  private static HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      c =
          new HttpClient(
              new NetSettings(
                  Duration.ofSeconds(5),
                  Duration.ofSeconds(5),
                  NetSettings.defaults().tls(),
                  ProxySettings.none()));
      client = c;
    }
    return c;
  }

  @AfterAll
  static void stop() throws IOException {
    HttpClient c = client;
    if (c != null) {
      c.close();
    }
    server.close();
  }

  private static void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        readHead(s.getInputStream());
        OutputStream out = s.getOutputStream();
        out.write(answer);
        out.flush();
        s.shutdownOutput();
      } catch (IOException e) {
        // The client may hang up first; the next exchange gets a new connection.
      }
    }
  }

  private static void readHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        return;
      }
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void anyResponseIsReadOrFailsAsIoException(byte[] input) {
    answer = input;
    try (HttpResponse r = client().send(HttpRequest.get(origin, "/f", Headers.empty()))) {
      assertThat(r.status()).isNotNegative();
      r.contentLength();
      byte[] body = r.readAll(BODY_LIMIT);
      assertThat(body.length).isLessThanOrEqualTo(BODY_LIMIT);
    } catch (IOException e) {
      // A clear failure: what the transfer engine retries or reports.
    }
  }
}
