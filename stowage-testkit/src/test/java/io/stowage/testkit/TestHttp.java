package io.stowage.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A JDK {@link HttpClient} set up for the servers under test, and one TLS setup per JVM. */
final class TestHttp {

  private static @Nullable TlsMaterial tls;

  private final HttpClient client;

  private TestHttp(HttpClient client) {
    this.client = client;
  }

  /** HTTP/1.1 only (no h2c upgrade headers in the recordings), no proxy, no redirects followed. */
  static TestHttp plain() {
    return new TestHttp(builder().build());
  }

  static TestHttp followingRedirects() {
    return new TestHttp(builder().followRedirects(HttpClient.Redirect.ALWAYS).build());
  }

  static TestHttp trusting(TlsMaterial material) {
    return new TestHttp(builder().sslContext(material.clientContextTrustingIt()).build());
  }

  /** One certificate for every test class: each generation runs keytool, a JVM start. */
  static synchronized TlsMaterial tls() {
    TlsMaterial material = tls;
    if (material == null) {
      try {
        Path dir = Files.createTempDirectory("stowage-testkit-tls-");
        Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> TestFiles.deleteRecursively(dir), "tls-cleanup"));
        material = TlsMaterial.selfSigned(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      tls = material;
    }
    return material;
  }

  HttpResponse<byte[]> get(URI uri, String... headers) throws IOException, InterruptedException {
    return send(request(uri, headers).GET().build());
  }

  HttpResponse<byte[]> head(URI uri, String... headers) throws IOException, InterruptedException {
    return send(request(uri, headers).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
  }

  HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpRequest.Builder request(URI uri, String... headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      builder.headers(headers);
    }
    return builder;
  }

  private static HttpClient.Builder builder() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .proxy(HttpClient.Builder.NO_PROXY)
        .connectTimeout(Duration.ofSeconds(5));
  }
}
