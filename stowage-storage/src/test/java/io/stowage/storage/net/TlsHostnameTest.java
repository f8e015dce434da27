package io.stowage.storage.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trusted certificate for another name is still refused, whichever TLS implementation runs. */
class TlsHostnameTest {
  @TempDir Path tmp;

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
  }

  @Test
  void aCertificateForAnotherHostIsRefusedUnlessVerificationIsOff() throws Exception {
    Path ks = tmp.resolve("ks.p12");
    Path pem = tmp.resolve("ca.pem");
    keytool(
        "-genkeypair",
        "-keystore",
        ks.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit",
        "-keypass",
        "changeit",
        "-alias",
        "s",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=wrong.example",
        "-ext",
        "san=dns:wrong.example");
    keytool(
        "-exportcert",
        "-rfc",
        "-keystore",
        ks.toString(),
        "-storepass",
        "changeit",
        "-alias",
        "s",
        "-file",
        pem.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext serverCtx = SSLContext.getInstance("TLS");
    serverCtx.init(kmf.getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
    server.setHttpsConfigurator(new HttpsConfigurator(serverCtx));
    server.createContext(
        "/",
        ex -> {
          ex.sendResponseHeaders(200, 2);
          ex.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
          ex.close();
        });
    server.start();
    Origin origin = new Origin("https", "127.0.0.1", server.getAddress().getPort());
    try {
      NetSettings trusting =
          new NetSettings(
              Duration.ofSeconds(5),
              Duration.ofSeconds(5),
              new TlsSettings(true, List.of(pem)),
              ProxySettings.none());
      try (HttpClient http = new HttpClient(trusting)) {
        assertThatThrownBy(() -> http.send(HttpRequest.get(origin, "/", Headers.empty())))
            .isInstanceOf(SSLException.class);
      }
      NetSettings unverified =
          new NetSettings(
              Duration.ofSeconds(5),
              Duration.ofSeconds(5),
              new TlsSettings(false, List.of()),
              ProxySettings.none());
      try (HttpClient http = new HttpClient(unverified);
          HttpResponse r = http.send(HttpRequest.get(origin, "/", Headers.empty()))) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.readAll(100), StandardCharsets.UTF_8)).isEqualTo("ok");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void conscryptCarriesTlsOnLinuxX8664() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        System.getProperty("os.name").equals("Linux")
            && System.getProperty("os.arch").equals("amd64"),
        "the Conscrypt jar ships natives for linux-x86_64");
    assertThat(TlsProvider.name(false)).isEqualTo("Conscrypt");
    assertThat(TlsProvider.name(true)).isEqualTo("JDK");
  }
}
