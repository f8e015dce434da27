package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultProxyTest {

  private static final int PAYLOAD = 256 * 1024;

  /** Shared: each generation runs keytool, which costs a JVM start. */
  @TempDir static Path tlsDir;

  private ByteSourceServer upstream;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    upstream = new ByteSourceServer(PAYLOAD);
    proxy = FaultProxy.start(upstream.address());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    upstream.close();
  }

  @Test
  void forwardsBothWaysOnLoopback() throws IOException {
    assertThat(proxy.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + proxy.port()));

    Received received = fetch(proxy.address(), 0);

    assertThat(received.failure()).isNull();
    assertThat(received.bytes()).isEqualTo(upstream.payload());
    assertThat(proxy.connectionsAccepted()).isEqualTo(1);
    await().untilAsserted(() -> assertThat(proxy.bytesToClient()).isEqualTo(PAYLOAD));
    assertThat(proxy.faultsInjected()).isZero();
  }

  @Test
  void dropAfterResetsTheNextConnectionsAfterExactlyThatManyBytes() throws IOException {
    proxy.setFault(new Fault.DropAfter(10_000, 2));

    Received first = fetch(proxy.address(), 0);
    Received second = fetch(proxy.address(), 0);
    Received third = fetch(proxy.address(), 0);

    assertThat(first.bytes()).hasSize(10_000);
    assertThat(first.failure()).hasMessageContaining("reset");
    assertThat(second.bytes()).hasSize(10_000);
    assertThat(third.bytes()).isEqualTo(upstream.payload());
    assertThat(proxy.faultsInjected()).isEqualTo(2);
    assertThat(proxy.fault()).isEqualTo(Fault.none());
  }

  @Test
  void stallAfterStopsForwardingButKeepsTheConnectionOpen() throws IOException {
    proxy.setFault(new Fault.StallAfter(4_096, 1));

    Received stalled = fetch(proxy.address(), 700);

    assertThat(stalled.bytes()).hasSize(4_096);
    assertThat(stalled.failure()).isInstanceOf(SocketTimeoutException.class);
    assertThat(proxy.faultsInjected()).isEqualTo(1);
    assertThat(fetch(proxy.address(), 0).bytes()).hasSize(PAYLOAD);
  }

  @Test
  void throttleLimitsTheRate() throws IOException {
    long bytesPerSecond = 512 * 1024;
    proxy.setFault(new Fault.Throttle(bytesPerSecond));

    long started = System.nanoTime();
    Received received = fetch(proxy.address(), 0);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

    assertThat(received.bytes()).hasSize(PAYLOAD);
    // 256 KiB at 512 KiB/s takes 0.5 s; leave room for a slow machine on the upper side.
    assertThat(elapsed).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
  }

  @Test
  void refuseClosesEveryConnectionAtOnce() throws IOException {
    proxy.setFault(Fault.refuse());

    Received first = fetch(proxy.address(), 0);
    Received second = fetch(proxy.address(), 0);

    assertThat(first.bytes()).isEmpty();
    assertThat(second.bytes()).isEmpty();
    assertThat(proxy.faultsInjected()).isEqualTo(2);
    assertThat(proxy.connectionsAccepted()).isEqualTo(2);
  }

  @Test
  void faultsApplyOnlyToConnectionsAcceptedAfterTheChange() throws IOException {
    try (Socket early = connect(proxy.address(), 0)) {
      await().until(() -> proxy.connectionsAccepted() == 1);
      proxy.setFault(new Fault.DropAfter(0, 1));
      early.getOutputStream().write('x');

      assertThat(readAll(early).bytes()).hasSize(PAYLOAD);
    }
    assertThat(fetch(proxy.address(), 0).bytes()).isEmpty();
  }

  @Test
  void closeEndsOpenConnections() throws IOException {
    proxy.setFault(new Fault.StallAfter(0, 1));
    try (Socket stalled = connect(proxy.address(), 10_000)) {
      stalled.getOutputStream().write('x');
      await().until(() -> proxy.faultsInjected() == 1);

      long started = System.nanoTime();
      proxy.close();
      Received rest = readAll(stalled);

      assertThat(rest.bytes()).isEmpty();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void terminatesTlsWithTheTestCertificate() throws Exception {
    HttpServer origin = HttpServer.create(new InetSocketAddress(Loopback.ADDRESS, 0), 0);
    origin.createContext(
        "/hello",
        exchange -> {
          byte[] body = "hello over tls".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    origin.start();
    TlsMaterial tls = TlsMaterial.selfSigned(tlsDir);
    try (FaultProxy tlsProxy = FaultProxy.startTls(origin.getAddress(), tls)) {
      HttpClient client =
          HttpClient.newBuilder()
              .sslContext(tls.clientContextTrustingIt())
              .proxy(HttpClient.Builder.NO_PROXY)
              .build();

      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(tlsProxy.endpoint().resolve("/hello")).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(tlsProxy.endpoint().getScheme()).isEqualTo("https");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("hello over tls");
    } finally {
      origin.stop(0);
    }
  }

  @Test
  void tlsClientsThatDoNotTrustTheCertificateAreRejected() {
    TlsMaterial tls = TlsMaterial.selfSigned(tlsDir);
    try (FaultProxy tlsProxy = FaultProxy.startTls(upstream.address(), tls)) {
      HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

      assertThatThrownBy(
              () ->
                  client.send(
                      HttpRequest.newBuilder(tlsProxy.endpoint()).build(),
                      HttpResponse.BodyHandlers.discarding()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void rejectsMeaninglessFaults() {
    assertThatThrownBy(() -> new Fault.DropAfter(-1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Fault.StallAfter(0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Fault.Throttle(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** What a client got before the stream ended, and how it ended (null for a clean EOF). */
  private static final class Received {
    private final byte[] bytes;
    private final @Nullable IOException failure;

    Received(byte[] bytes, @Nullable IOException failure) {
      this.bytes = bytes;
      this.failure = failure;
    }

    byte[] bytes() {
      return bytes;
    }

    @Nullable IOException failure() {
      return failure;
    }
  }

  /**
   * Sends one byte and reads the answer to the end. A refused connection may fail at any step, even
   * inside connect() when the reset beats the connect's completion.
   */
  private static Received fetch(InetSocketAddress address, int readTimeoutMillis) {
    try (Socket socket = connect(address, readTimeoutMillis)) {
      socket.getOutputStream().write('x');
      return readAll(socket);
    } catch (IOException refused) {
      return new Received(new byte[0], refused);
    }
  }

  private static Socket connect(InetSocketAddress address, int readTimeoutMillis)
      throws IOException {
    Socket socket = new Socket();
    socket.connect(address, 5_000);
    socket.setSoTimeout(readTimeoutMillis);
    return socket;
  }

  private static Received readAll(Socket socket) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        received.write(buffer, 0, n);
      }
      return new Received(received.toByteArray(), null);
    } catch (IOException e) {
      return new Received(received.toByteArray(), e);
    }
  }
}
