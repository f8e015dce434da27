package io.stowage.storage.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Response heads HttpResponseFuzzTest found escaping as unchecked exceptions. */
class MalformedResponsesTest {

  @Test
  void anUnparsableContentLengthOnAHeadAnswerIsAnIoException() throws IOException {
    String head = "HTTP/1.1 200 OK\r\nContent-Length: 1se\r\n\r\n";
    assertThatThrownBy(() -> exchange("HEAD", head))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("invalid Content-Length '1se'");
  }

  @Test
  void chunkedFramingOverridesAnUnparsableContentLength() throws IOException {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 1se\r\n\r\n";
    String answer = head + "3\r\nabc\r\n0\r\n\r\n";
    assertThat(exchange("GET", answer)).isEqualTo("abc/length=none");
  }

  @Test
  void aBareCarriageReturnInAHeaderIsAMalformedHead() {
    String head = "HTTP/1.1 200 OK\r\nX-A\rB: 1\r\nContent-Length: 0\r\n\r\n";
    assertThatThrownBy(() -> exchange("GET", head))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("malformed header line");
  }

  @Test
  void aStatusThatIsNotThreeDigitsIsAMalformedStatusLine() {
    // Integer.parseInt took "-200" and "+200".
    for (String status : new String[] {"-200", "+200", "2000", "20"}) {
      assertThatThrownBy(() -> exchange("GET", "HTTP/1.1 " + status + " OK\r\n\r\n"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("malformed status line");
    }
  }

  /** Serves {@code answer} to one request; returns the body and the declared length. */
  private static String exchange(String method, String answer) throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        HttpClient client = new HttpClient(NetSettings.defaults())) {
      Thread t =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  InputStream in = s.getInputStream();
                  in.read(new byte[4096]);
                  s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                  s.shutdownOutput();
                  in.read(new byte[4096]);
                } catch (IOException e) {
                  // The client hung up.
                }
              });
      t.setDaemon(true);
      t.start();
      Origin origin = new Origin("http", "127.0.0.1", server.getLocalPort());
      try (HttpResponse r =
          client.send(new HttpRequest(method, origin, "/m", Headers.empty(), null))) {
        String body = new String(r.readAll(1024), StandardCharsets.UTF_8);
        return body + "/length=" + r.contentLength().map(String::valueOf).orElse("none");
      }
    }
  }
}
