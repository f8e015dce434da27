package io.stowage.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bearer-token realm for {@link RegistryServer}: the Distribution spec's token service. It
 * answers {@code GET /token?service=...&scope=...} with a JWT (RS256, the signing certificate in
 * {@code x5c}) granting the requested actions to a user who presented valid basic credentials, and
 * nothing to anyone else. It records the scopes asked for, so tests can see the flow.
 */
public final class RegistryTokenServer implements AutoCloseable {
  private static final String SERVICE = "stowage-testkit-registry";
  private static final String ISSUER = "stowage-testkit-token-issuer";

  private final HttpServer server;
  private final TlsMaterial keys;
  private final String user;
  private final String password;
  private final List<String> scopes = new CopyOnWriteArrayList<>();
  private final AtomicInteger issued = new AtomicInteger();

  private RegistryTokenServer(HttpServer server, TlsMaterial keys, String user, String password) {
    this.server = server;
    this.keys = keys;
    this.user = user;
    this.password = password;
  }

  /** Starts the realm; tokens are signed with the key of {@code TlsMaterial.selfSigned(dir)}. */
  public static RegistryTokenServer start(Path dir, String user, String password) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress(Loopback.ADDRESS, 0), 64);
      RegistryTokenServer t =
          new RegistryTokenServer(s, TlsMaterial.selfSigned(dir), user, password);
      s.createContext("/token", t::handle);
      s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(new DaemonThreads("token")));
      s.start();
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the token server", e);
    }
  }

  public String realm() {
    return "http://" + Loopback.HOST + ":" + server.getAddress().getPort() + "/token";
  }

  public String service() {
    return SERVICE;
  }

  public String issuer() {
    return ISSUER;
  }

  /** The PEM certificate the registry trusts token signatures with. */
  public Path certificatePem() {
    return keys.caCertificatePem();
  }

  /** Tokens issued so far. */
  public int issued() {
    return issued.get();
  }

  /** Every scope asked for, in order. */
  public List<String> scopes() {
    return List.copyOf(scopes);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      try (InputStream in = ex.getRequestBody()) {
        in.readAllBytes();
      }
      Map<String, List<String>> query = query(ex.getRequestURI().getRawQuery());
      boolean authenticated = false;
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth != null && auth.startsWith("Basic ")) {
        String decoded =
            new String(
                Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
        if (decoded.equals(user + ":" + password)) {
          authenticated = true;
        } else {
          send(ex, 401, "{\"details\":\"invalid credentials\"}");
          return;
        }
      }
      List<String> asked = query.getOrDefault("scope", List.of());
      scopes.addAll(asked);
      List<String> access = new ArrayList<>();
      if (authenticated) {
        for (String scope : asked) {
          int first = scope.indexOf(':');
          int last = scope.lastIndexOf(':');
          if (first < 0 || last <= first) {
            continue;
          }
          StringBuilder actions = new StringBuilder();
          for (String a : scope.substring(last + 1).split(",", -1)) {
            if (actions.length() > 0) {
              actions.append(',');
            }
            actions.append('"').append(a).append('"');
          }
          access.add(
              "{\"type\":\""
                  + scope.substring(0, first)
                  + "\",\"name\":\""
                  + scope.substring(first + 1, last)
                  + "\",\"actions\":["
                  + actions
                  + "]}");
        }
      }
      String token = jwt(authenticated ? user : "", String.join(",", access));
      issued.incrementAndGet();
      send(ex, 200, "{\"token\":\"" + token + "\",\"expires_in\":300}");
    }
  }

  private String jwt(String subject, String access) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(keys.keyStore())) {
        ks.load(in, keys.password());
      }
      String alias = ks.aliases().nextElement();
      PrivateKey key = (PrivateKey) ks.getKey(alias, keys.password());
      Certificate cert = ks.getCertificate(alias);
      long now = System.currentTimeMillis() / 1000;
      String header =
          "{\"typ\":\"JWT\",\"alg\":\"RS256\",\"x5c\":[\""
              + Base64.getEncoder().encodeToString(cert.getEncoded())
              + "\"]}";
      String claims =
          "{\"iss\":\""
              + ISSUER
              + "\",\"sub\":\""
              + subject
              + "\",\"aud\":\""
              + SERVICE
              + "\",\"exp\":"
              + (now + 300)
              + ",\"nbf\":"
              + (now - 30)
              + ",\"iat\":"
              + now
              + ",\"jti\":\""
              + UUID.randomUUID()
              + "\",\"access\":["
              + access
              + "]}";
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      String signingInput =
          b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
              + "."
              + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(key);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64.encodeToString(s.sign());
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new java.util.HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String part : raw.split("&", -1)) {
      int eq = part.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
