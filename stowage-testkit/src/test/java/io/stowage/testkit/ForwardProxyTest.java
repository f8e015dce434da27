package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForwardProxyTest {

  private HttpServer origin;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = HttpServer.create(new InetSocketAddress(Loopback.ADDRESS, 0), 0);
    origin.createContext(
        "/hello", exchange -> reply(exchange, "hello " + exchange.getRequestURI()));
    origin.createContext(
        "/echo",
        exchange ->
            reply(
                exchange,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
    origin.start();
  }

  @AfterEach
  void stopOrigin() {
    origin.stop(0);
  }

  @Test
  void forwardsAbsoluteFormRequestsAndRecordsThem() throws Exception {
    try (ForwardProxy proxy = ForwardProxy.start()) {
      HttpClient client = clientVia(proxy).build();
      URI target = originUri("/hello/bucket?list-type=2");

      HttpResponse<String> response =
          client.send(get(target), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("hello /hello/bucket?list-type=2");
      assertThat(proxy.requestLines()).containsExactly("GET " + target + " HTTP/1.1");
      assertThat(proxy.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + proxy.port()));
    }
  }

  @Test
  void keepAliveClientsGetANewConnectionPerRequest() throws Exception {
    try (ForwardProxy proxy = ForwardProxy.start()) {
      HttpClient client = clientVia(proxy).version(HttpClient.Version.HTTP_1_1).build();

      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response =
            client.send(get(originUri("/hello/" + i)), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("hello /hello/" + i);
      }

      assertThat(proxy.requestLines()).hasSize(3);
      assertThat(proxy.connectionsAccepted()).isEqualTo(3);
    }
  }

  @Test
  void forwardsRequestBodiesIncludingExpectContinue() throws Exception {
    try (ForwardProxy proxy = ForwardProxy.start()) {
      HttpClient client = clientVia(proxy).version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest post =
          HttpRequest.newBuilder(originUri("/echo"))
              .expectContinue(true)
              .POST(HttpRequest.BodyPublishers.ofString("model weights"))
              .build();

      HttpResponse<String> response = client.send(post, HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("model weights");
    }
  }

  @Test
  void tunnelsHttpsWithConnect(@TempDir Path tlsDir) throws Exception {
    TlsMaterial tls = TlsMaterial.selfSigned(tlsDir);
    HttpsServer secureOrigin = HttpsServer.create(new InetSocketAddress(Loopback.ADDRESS, 0), 0);
    secureOrigin.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
    secureOrigin.createContext("/secure", exchange -> reply(exchange, "tunnelled"));
    secureOrigin.start();
    try (ForwardProxy proxy = ForwardProxy.start()) {
      HttpClient client = clientVia(proxy).sslContext(tls.clientContextTrustingIt()).build();
      int port = secureOrigin.getAddress().getPort();

      HttpResponse<String> response =
          client.send(
              get(URI.create("https://127.0.0.1:" + port + "/secure")),
              HttpResponse.BodyHandlers.ofString());

      assertThat(response.body()).isEqualTo("tunnelled");
      assertThat(proxy.requestLines()).containsExactly("CONNECT 127.0.0.1:" + port + " HTTP/1.1");
    } finally {
      secureOrigin.stop(0);
    }
  }

  @Test
  void basicAuthRejectsMissingAndWrongCredentials() throws IOException {
    try (ForwardProxy proxy = ForwardProxy.startWithBasicAuth("stowage", "s3cret")) {
      String target = originUri("/hello").toString();

      String missing = rawRequest(proxy, "GET " + target + " HTTP/1.1", null);
      String wrong = rawRequest(proxy, "GET " + target + " HTTP/1.1", basic("stowage", "nope"));
      String right = rawRequest(proxy, "GET " + target + " HTTP/1.1", basic("stowage", "s3cret"));
      String connect = rawRequest(proxy, "CONNECT 127.0.0.1:1 HTTP/1.1", null);

      assertThat(missing)
          .startsWith("HTTP/1.1 407 ")
          .contains("Proxy-Authenticate: Basic realm=\"stowage-testkit\"");
      assertThat(wrong).startsWith("HTTP/1.1 407 ");
      assertThat(right).startsWith("HTTP/1.1 200 ").endsWith("hello /hello");
      assertThat(connect).startsWith("HTTP/1.1 407 ");
      assertThat(proxy.requestLines()).hasSize(4);
    }
  }

  @Test
  void basicAuthWorksWithAClientThatAnswersTheChallenge() throws Exception {
    try (ForwardProxy proxy = ForwardProxy.startWithBasicAuth("stowage", "s3cret")) {
      HttpClient client =
          clientVia(proxy)
              .authenticator(
                  new Authenticator() {
                    @Override
                    protected PasswordAuthentication getPasswordAuthentication() {
                      return new PasswordAuthentication("stowage", "s3cret".toCharArray());
                    }
                  })
              .build();

      HttpResponse<String> response =
          client.send(get(originUri("/hello")), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(proxy.requestLines()).hasSize(2);
    }
  }

  @Test
  void unreachableOriginsGetBadGateway() throws IOException {
    int closedPort;
    try (java.net.ServerSocket probe = Loopback.bindFreePort()) {
      closedPort = probe.getLocalPort();
    }
    try (ForwardProxy proxy = ForwardProxy.start()) {
      String response =
          rawRequest(proxy, "GET http://127.0.0.1:" + closedPort + "/ HTTP/1.1", null);

      assertThat(response).startsWith("HTTP/1.1 502 ");
    }
  }

  private URI originUri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + origin.getAddress().getPort() + pathAndQuery);
  }

  private static HttpClient.Builder clientVia(ForwardProxy proxy) {
    return HttpClient.newBuilder().proxy(ProxySelector.of(proxy.address()));
  }

  private static HttpRequest get(URI uri) {
    return HttpRequest.newBuilder(uri).GET().build();
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** One request on a fresh connection; the whole response, read until the proxy closes. */
  private static String rawRequest(
      ForwardProxy proxy,
      String requestLine,
      @org.jspecify.annotations.Nullable String authorization)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(proxy.address(), 5_000);
      socket.setSoTimeout(5_000);
      StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1\r\n");
      if (authorization != null) {
        head.append("Proxy-Authorization: ").append(authorization).append("\r\n");
      }
      head.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static void reply(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
