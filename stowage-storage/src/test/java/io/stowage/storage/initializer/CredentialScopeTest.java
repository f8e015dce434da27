package io.stowage.storage.initializer;

import static io.stowage.storage.initializer.InitializerHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stowage.storage.Failure;
import io.stowage.testkit.HttpFileServer;
import io.stowage.testkit.RecordedRequest;
import io.stowage.testkit.TlsMaterial;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials go only to the origin (scheme, host and port) they belong to, and a redirect never
 * downgrades https to plain http.
 */
class CredentialScopeTest {
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @TempDir Path tmp;

  @Test
  void anHttpsToHttpRedirectIsRefused() throws Exception {
    TlsMaterial tls = TlsMaterial.selfSigned(tmp.resolve("tls"));
    try (HttpFileServer secure = HttpFileServer.startTls(tls);
        HttpFileServer plain = HttpFileServer.start()) {
      plain.put("/blob", "bytes".getBytes(StandardCharsets.UTF_8));
      secure.redirect("/m/model.bin", 302, plain.url("/blob").toString());
      Map<String, String> env = new HashMap<>();
      env.put("REQUESTS_CA_BUNDLE", tls.caCertificatePem().toString());
      env.put("127.0.0.1-headers", "{\"Authorization\": \"Bearer secret-token\"}");
      var r = run(env, secure.url("/m/model.bin").toString(), tmp.resolve("dest").toString());
      assertThat(r.failed().failure()).isEqualTo(Failure.UNSAFE_SOURCE);
      assertThat(r.failed().getMessage())
          .contains("https://127.0.0.1:" + secure.port())
          .contains("http://127.0.0.1:" + plain.port())
          .contains("downgrade")
          .doesNotContain("secret-token");
      assertThat(plain.requests()).isEmpty();
    }
  }

  @Test
  void theHubTokenDoesNotFollowANextPageToAnotherOrigin() throws Exception {
    try (HttpFileServer elsewhere = HttpFileServer.start()) {
      HttpServer hub =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      String next = elsewhere.url("/api/models/o/m/tree/" + SHA).toString() + "?cursor=2";
      hub.createContext("/", ex -> answerHub(ex, next));
      hub.start();
      try {
        Map<String, String> env = new HashMap<>();
        env.put("HF_ENDPOINT", "http://127.0.0.1:" + hub.getAddress().getPort());
        env.put("HF_TOKEN", "hf_secret");
        var r = run(env, "hf://o/m", tmp.resolve("dest").toString());
        assertThat(r.failed().failure()).isEqualTo(Failure.UNSAFE_SOURCE);
        assertThat(r.failed().getMessage())
            .contains("http://127.0.0.1:" + elsewhere.port())
            .contains("HF_ENDPOINT")
            .doesNotContain("hf_secret");
        assertThat(elsewhere.requests()).noneMatch(RecordedRequest::hasAuthorization);
      } finally {
        hub.stop(0);
      }
    }
  }

  /** A Hub whose tree listing links its next page to another server. */
  private static void answerHub(HttpExchange ex, String next) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String body;
      if (path.contains("/revision/")) {
        body = "{\"sha\":\"" + SHA + "\"}";
      } else {
        body = "[{\"type\":\"file\",\"path\":\"a.txt\",\"size\":1,\"oid\":\"" + SHA + "\"}]";
        ex.getResponseHeaders().set("Link", "<" + next + ">; rel=\"next\"");
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(200, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    }
  }
}
