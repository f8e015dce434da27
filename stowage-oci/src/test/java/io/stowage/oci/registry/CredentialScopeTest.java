package io.stowage.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stowage.oci.Digest;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.NetSettings;
import io.stowage.storage.net.Origin;
import io.stowage.storage.transfer.RetryPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a registry's credentials may go: the registry's own origin, a token realm on its host or in
 * its domain (on https), the hosts of {@code STOWAGE_OCI_TOKEN_REALMS}; never elsewhere. The
 * servers are in-process, on loopback; {@code localhost} and {@code 127.0.0.1} are different hosts.
 */
class CredentialScopeTest {
  private static final String USER = "alice";
  private static final String PASSWORD = "s3cret-registry-pw";
  private static final String BASIC =
      "Basic "
          + Base64.getEncoder()
              .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

  private final List<Fake> servers = new CopyOnWriteArrayList<>();
  private @Nullable Registries registries;

  @AfterEach
  void stop() {
    if (registries != null) {
      registries.close();
    }
    servers.forEach(Fake::close);
  }

  /** A loopback server answering with {@code handler}, recording each request's Authorization. */
  private final class Fake {
    final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();

    Fake(Consumer<HttpExchange> handler) throws IOException {
      server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 16);
      server.createContext(
          "/",
          ex -> {
            try (ex) {
              try (InputStream in = ex.getRequestBody()) {
                in.readAllBytes();
              }
              requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
              String auth = ex.getRequestHeaders().getFirst("Authorization");
              authorizations.add(auth == null ? "" : auth);
              handler.accept(ex);
            }
          });
      server.setExecutor(
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "fake-server");
                t.setDaemon(true);
                return t;
              }));
      server.start();
      servers.add(this);
    }

    int port() {
      return server.getAddress().getPort();
    }

    String address() {
      return "127.0.0.1:" + port();
    }

    void close() {
      server.stop(0);
    }
  }

  private static void send(HttpExchange ex, int status, String body, String... headers) {
    try {
      for (int i = 0; i < headers.length; i += 2) {
        ex.getResponseHeaders().add(headers[i], headers[i + 1]);
      }
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
      if (b.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(b);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A registry that wants a bearer token from {@code realm} (any token will do). */
  private Fake bearerRegistry(String realm) throws IOException {
    return new Fake(
        ex -> {
          String auth = ex.getRequestHeaders().getFirst("Authorization");
          if (auth != null && auth.startsWith("Bearer ")) {
            send(ex, 200, "{}");
          } else {
            send(
                ex,
                401,
                "",
                "WWW-Authenticate",
                "Bearer realm=\"" + realm + "\",service=\"fake-registry\"");
          }
        });
  }

  private Fake tokenRealm() throws IOException {
    return new Fake(ex -> send(ex, 200, "{\"token\":\"granted-token\",\"expires_in\":300}"));
  }

  private RegistryClient client(String registry, Set<String> allowedRealms) {
    registries =
        new Registries(
            new RegistrySettings(
                NetSettings.defaults(),
                RegistrySettings.PlainHttp.everywhere(),
                r -> new Credentials.Basic(USER, PASSWORD),
                new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(5)),
                1 << 20,
                allowedRealms));
    return registries.client(registry);
  }

  @Test
  void basicCredentialsNeverReachAPlainHttpRealmOnAnotherHost() throws IOException {
    Fake realm = tokenRealm();
    // localhost is another host than the registry's 127.0.0.1, even though both are loopback.
    Fake registry = bearerRegistry("http://localhost:" + realm.port() + "/token");
    RegistryClient client = client(registry.address(), Set.of());
    assertThatThrownBy(client::ping)
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.AUTH))
        .hasMessageContaining("localhost")
        .hasMessageContaining("STOWAGE_OCI_TOKEN_REALMS")
        .hasMessageNotContaining(PASSWORD)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    assertThat(realm.requests).isEmpty();
  }

  @Test
  void anHttpsRealmOnAnotherHostIsRefusedUnlessTheAllowListNamesIt() throws IOException {
    Fake registry = bearerRegistry("https://localhost:1/token");
    RegistryClient client = client(registry.address(), Set.of());
    assertThatThrownBy(client::ping)
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.failure()).isEqualTo(Failure.AUTH))
        .hasMessageContaining("https://localhost:1")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void aPlainHttpRealmOnThePlainHttpRegistrysOwnHostGetsTheCredentials() throws IOException {
    Fake realm = tokenRealm();
    Fake registry = bearerRegistry("http://127.0.0.1:" + realm.port() + "/token");
    client(registry.address(), Set.of()).ping();
    assertThat(realm.authorizations).containsExactly(BASIC);
    assertThat(registry.authorizations).last().isEqualTo("Bearer granted-token");
  }

  @Test
  void anUploadLocationOnAnotherOriginGetsNoAuthorization() throws IOException {
    Fake storage = new Fake(ex -> send(ex, 201, ""));
    Fake registry =
        new Fake(
            ex -> {
              if (!BASIC.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "", "WWW-Authenticate", "Basic realm=\"fake-registry\"");
              } else if (ex.getRequestMethod().equals("POST")) {
                // Same host, another port: another origin.
                send(
                    ex,
                    202,
                    "",
                    "Location",
                    "http://127.0.0.1:" + storage.port() + "/uploads/u1?state=x");
              } else {
                send(ex, 404, "");
              }
            });
    byte[] blob = "layer bytes".getBytes(StandardCharsets.UTF_8);
    client(registry.address(), Set.of())
        .upload("team/m", Digest.of(blob), blob.length, () -> new ByteArrayInputStream(blob));
    assertThat(registry.authorizations).contains(BASIC);
    assertThat(storage.requests).hasSize(1).first().asString().startsWith("PUT /uploads/u1");
    assertThat(storage.authorizations).containsExactly("");
  }

  @Test
  void theDomainRuleAcceptsTheRegistrysHostAndDomainOnly() {
    CredentialScope docker =
        new CredentialScope(
            Origin.of(URI.create("https://registry-1.docker.io/")), Set.of("authn.nvidia.com"));
    assertThat(docker.mayReceive(URI.create("https://auth.docker.io/token"))).isTrue();
    assertThat(docker.mayReceive(URI.create("https://registry-1.docker.io:8443/t"))).isTrue();
    assertThat(docker.mayReceive(URI.create("https://authn.nvidia.com/token"))).isTrue();
    assertThat(docker.mayReceive(URI.create("http://auth.docker.io/token"))).isFalse();
    assertThat(docker.mayReceive(URI.create("https://docker.io.evil.example/t"))).isFalse();
    assertThat(docker.mayReceive(URI.create("https://evildocker.io/t"))).isFalse();
    assertThat(docker.mayReceive(URI.create("https://10.0.0.1/t"))).isFalse();

    CredentialScope gitlab =
        new CredentialScope(Origin.of(URI.create("https://registry.gitlab.com/")), Set.of());
    assertThat(gitlab.mayReceive(URI.create("https://gitlab.com/jwt/auth"))).isTrue();
    assertThat(gitlab.mayReceive(URI.create("https://com/jwt/auth"))).isFalse();

    // A two-label registry has no parent domain of two labels: its own host only.
    CredentialScope ghcr = new CredentialScope(Origin.of(URI.create("https://ghcr.io/")), Set.of());
    assertThat(ghcr.mayReceive(URI.create("https://ghcr.io/token"))).isTrue();
    assertThat(ghcr.mayReceive(URI.create("https://auth.ghcr.io/token"))).isTrue();
    assertThat(ghcr.mayReceive(URI.create("https://other.io/token"))).isFalse();

    // IP addresses and single-label hosts: the same host only.
    CredentialScope ip =
        new CredentialScope(Origin.of(URI.create("http://127.0.0.1:5000/")), Set.of());
    assertThat(ip.mayReceive(URI.create("http://127.0.0.1:5001/token"))).isTrue();
    assertThat(ip.mayReceive(URI.create("http://127.0.0.2/token"))).isFalse();

    // Plain HTTP only from a plain-HTTP registry, and only to its host.
    CredentialScope tls =
        new CredentialScope(Origin.of(URI.create("https://127.0.0.1:5000/")), Set.of());
    assertThat(tls.mayReceive(URI.create("http://127.0.0.1:5001/token"))).isFalse();
    CredentialScope plainDns =
        new CredentialScope(Origin.of(URI.create("http://registry.example.com/")), Set.of());
    assertThat(plainDns.mayReceive(URI.create("http://auth.example.com/token"))).isFalse();
    assertThat(plainDns.mayReceive(URI.create("https://auth.example.com/token"))).isTrue();
  }
}
