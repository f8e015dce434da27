package io.stowage.oci.registry;

import io.stowage.common.UriRedaction;
import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import io.stowage.oci.Json;
import io.stowage.oci.ManifestDocument;
import io.stowage.oci.MediaTypes;
import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.Headers;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.HttpRequest;
import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.net.Origin;
import io.stowage.storage.net.PercentEncoding;
import io.stowage.storage.net.Redirects;
import io.stowage.storage.net.RequestBody;
import io.stowage.storage.net.TransportFailures;
import io.stowage.storage.net.TransportHints;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One registry's Distribution API: ping, blob HEAD/GET, uploads (monolithic and chunked), cross-
 * repository mounts, manifest GET/PUT. Thread-safe; requests run on the shared {@link HttpClient}.
 *
 * <p>Authentication follows the registry's {@code WWW-Authenticate} challenge: basic credentials
 * when it asks for Basic, a token from its realm when it asks for Bearer (anonymous, basic or
 * identity-token credentials), cached per scope until shortly before it expires. Secrets appear in
 * request headers only, never in messages, and only in requests to the places {@link
 * CredentialScope} allows: the registry's own origin and its token realm.
 */
public final class RegistryClient {
  private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
  private static final int MAX_REDIRECTS = 5;

  private final String registry;
  private final Origin origin;
  private final HttpClient http;
  private final RegistrySettings settings;
  private final Credentials credentials;
  private final CredentialScope credentialScope;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();
  private final Map<String, Object> scopeLocks = new ConcurrentHashMap<>();
  private volatile @Nullable AuthChallenge challenge;

  private record Token(String value, long expiresAtNanos) {
    boolean fresh() {
      return System.nanoTime() < expiresAtNanos;
    }
  }

  /** What a manifest URL served. */
  public record FetchedManifest(ManifestDocument document, long size, Digest digest) {}

  /** A blob response positioned at its body: 206 for the range asked, or 200 for the whole blob. */
  public record BlobBody(HttpResponse response, boolean partial) {}

  public RegistryClient(String registry, HttpClient http, RegistrySettings settings) {
    this.registry = registry;
    this.http = http;
    this.settings = settings;
    this.credentials = settings.credentials().forRegistry(registry);
    String scheme = settings.plainHttp().appliesTo(registry) ? "http" : "https";
    this.origin = Origin.of(URI.create(scheme + "://" + apiHost(registry) + "/"));
    this.credentialScope = new CredentialScope(origin, settings.tokenRealms());
  }

  private static String apiHost(String registry) {
    return registry.equals("docker.io") ? "registry-1.docker.io" : registry;
  }

  public String registry() {
    return registry;
  }

  public Credentials credentials() {
    return credentials;
  }

  // ---------------------------------------------------------------- operations

  /** {@code GET /v2/}: checks that the endpoint is a registry and that the credentials work. */
  public void ping() {
    retrying(
        "checking the registry API (/v2/)",
        () -> {
          try (HttpResponse r = send("GET", "/v2/", Headers.empty(), null, "")) {
            expect(r, "the registry API /v2/", 200);
            return true;
          }
        });
  }

  /** The blob's size when the repository has it, empty when not. */
  public Optional<Long> blobSize(String repository, Digest digest) {
    return retrying(
        "checking blob " + digest.shortHex() + " in " + repository,
        () -> {
          try (HttpResponse r =
              send("HEAD", blobPath(repository, digest), Headers.empty(), null, pull(repository))) {
            if (r.status() == 404) {
              return Optional.<Long>empty();
            }
            expect(r, "blob " + digest + " in " + repository, 200, 307, 302);
            return Optional.of(r.contentLength().orElse(-1L));
          }
        });
  }

  /**
   * Opens {@code [start, endExclusive)} of a blob ({@code endExclusive < 0}: to its end), following
   * redirects to storage backends without sending them our credentials. No retries: callers resume
   * from the last byte they received.
   */
  public BlobBody openBlob(String repository, Digest digest, long start, long endExclusive)
      throws IOException {
    Headers.Builder h = Headers.builder();
    boolean ranged = start > 0 || endExclusive >= 0;
    if (ranged) {
      h.set("Range", "bytes=" + start + "-" + (endExclusive >= 0 ? endExclusive - 1 : ""));
    }
    URI current = URI.create(origin + blobPath(repository, digest));
    HttpResponse r = send("GET", blobPath(repository, digest), h.build(), null, pull(repository));
    for (int hop = 0; Redirects.isRedirect(r.status()); hop++) {
      String location = r.headers().first("Location").orElse("");
      r.close();
      if (hop >= MAX_REDIRECTS) {
        throw new IOException(
            "blob " + digest + " redirected more than " + MAX_REDIRECTS + " times");
      }
      // Redirects' rule: no downgrade to plain http. Credentials go back to the registry's own
      // origin only; a storage backend, and whatever it redirects to, gets none.
      current = Redirects.follow(current, location);
      r =
          Origin.of(current).equals(origin)
              ? send("GET", target(current), h.build(), null, pull(repository))
              : http.send(
                  new HttpRequest("GET", Origin.of(current), target(current), h.build(), null));
    }
    if (r.status() == 206 && ranged) {
      return new BlobBody(r, true);
    }
    if (r.status() == 200) {
      return new BlobBody(r, false);
    }
    HttpResponse failed = r;
    try (failed) {
      throw statusFailure(failed, "blob " + digest + " of " + repository);
    }
  }

  /** A small blob (a config), read whole and verified against its descriptor. */
  public byte[] fetchSmallBlob(String repository, Descriptor d, int max) {
    if (d.size() > max) {
      throw StorageException.integrity(
          "Blob " + d.digest() + " of " + repository + " is " + d.size() + " bytes, too large");
    }
    return retrying(
        "fetching blob " + d.digest().shortHex() + " of " + repository,
        () -> {
          BlobBody b = openBlob(repository, d.digest(), 0, -1);
          try (HttpResponse r = b.response()) {
            byte[] bytes = r.readAll(max);
            if (!Digest.of(bytes).equals(d.digest())) {
              throw StorageException.integrity(
                  "Blob " + d.digest() + " of " + repository + " does not match its digest");
            }
            return bytes;
          }
        });
  }

  /** Fetches a manifest or index by tag or digest and checks its digest. */
  public FetchedManifest fetchManifest(String repository, String reference) {
    return retrying(
        "fetching manifest " + reference + " of " + repository,
        () -> {
          Headers h = Headers.builder().set("Accept", MediaTypes.ACCEPT_MANIFESTS).build();
          try (HttpResponse r =
              send("GET", manifestPath(repository, reference), h, null, pull(repository))) {
            if (r.status() == 404) {
              throw StorageException.notFound(
                  "Image "
                      + registry
                      + "/"
                      + repository
                      + (reference.startsWith(Digest.PREFIX) ? "@" : ":")
                      + reference
                      + " not found in the registry ("
                      + errors(r)
                      + ")");
            }
            expect(r, "manifest " + reference + " of " + repository, 200);
            byte[] bytes = r.readAll(MAX_MANIFEST_BYTES);
            Digest actual = Digest.of(bytes);
            if (reference.startsWith(Digest.PREFIX) && !actual.toString().equals(reference)) {
              throw StorageException.integrity(
                  "The registry served manifest "
                      + actual
                      + " for "
                      + repository
                      + "@"
                      + reference);
            }
            String type = r.headers().first("Content-Type").orElse("").split(";", -1)[0].strip();
            ManifestDocument doc;
            try {
              doc = ManifestDocument.parse(bytes, type);
            } catch (IllegalArgumentException e) {
              throw StorageException.integrity(
                  "Manifest "
                      + reference
                      + " of "
                      + registry
                      + "/"
                      + repository
                      + " is not a valid image manifest: "
                      + e.getMessage());
            }
            return new FetchedManifest(doc, bytes.length, actual);
          }
        });
  }

  /** Uploads a manifest under a tag (or its digest); returns its digest. */
  public Digest putManifest(String repository, String reference, String mediaType, byte[] bytes) {
    Digest digest = Digest.of(bytes);
    retrying(
        "pushing manifest " + reference + " to " + repository,
        () -> {
          Headers h = Headers.builder().set("Content-Type", mediaType).build();
          try (HttpResponse r =
              send(
                  "PUT",
                  manifestPath(repository, reference),
                  h,
                  RequestBody.of(bytes),
                  push(repository, null))) {
            expect(r, "manifest " + reference + " of " + repository, 201, 200);
            return true;
          }
        });
    return digest;
  }

  /**
   * Asks the registry to link a blob of {@code fromRepository} into {@code repository} without
   * copying it; false when it would not (then the blob must be uploaded).
   */
  public boolean mount(String repository, Digest digest, String fromRepository) {
    return retrying(
        "mounting blob " + digest.shortHex() + " from " + fromRepository,
        () -> {
          String target =
              "/v2/"
                  + repository
                  + "/blobs/uploads/?mount="
                  + PercentEncoding.query(digest.toString())
                  + "&from="
                  + PercentEncoding.query(fromRepository);
          try (HttpResponse r =
              send("POST", target, Headers.empty(), null, push(repository, fromRepository))) {
            if (r.status() == 201) {
              return true;
            }
            expect(r, "mount of " + digest + " into " + repository, 202);
            // The registry opened an ordinary upload instead; drop it.
            r.headers().first("Location").ifPresent(this::cancelQuietly);
            return false;
          }
        });
  }

  /** Something a blob upload reads from the start, once per attempt. */
  @FunctionalInterface
  public interface BlobSource {
    InputStream open() throws IOException;
  }

  /**
   * Uploads a blob of known digest and size: one PUT when it fits a chunk, otherwise POST, PATCHes
   * of {@link RegistrySettings#chunkSize} bytes, and a closing PUT. A failed attempt starts over.
   *
   * <p>The bytes are not hashed again here: the registry computes the digest of what it received
   * and refuses the closing PUT when it differs ({@code DIGEST_INVALID}, which the distribution
   * spec requires), so a file changed after it was hashed still fails the push, as an integrity
   * error; a second SHA-256 pass on the client would cost a CPU-second per GiB for nothing.
   */
  public void upload(String repository, Digest digest, long size, BlobSource source) {
    retrying(
        "uploading blob " + digest.shortHex() + " to " + repository,
        () -> {
          uploadOnce(repository, digest, size, source);
          return true;
        });
  }

  private void uploadOnce(String repository, Digest digest, long size, BlobSource source)
      throws IOException {
    String location = startUpload(repository);
    String scope = push(repository, null);
    int chunk = (int) Math.min(settings.chunkSize(), Math.max(size, 1));
    byte[] buffer = new byte[chunk];
    long sent = 0;
    try (InputStream in = source.open()) {
      if (size <= settings.chunkSize()) {
        int n = readFully(in, buffer, (int) size);
        if (n != size || in.read() >= 0) {
          throw StorageException.integrity(
              "Blob " + digest + " changed while it was read: expected " + size + " bytes");
        }
        finish(location, digest, RequestBody.sharing(buffer, n), repository, scope);
        return;
      }
      while (sent < size) {
        int want = (int) Math.min(buffer.length, size - sent);
        int n = readFully(in, buffer, want);
        if (n != want) {
          throw StorageException.integrity(
              "Blob " + digest + " ended after " + (sent + n) + " of " + size + " bytes");
        }
        Headers h =
            Headers.builder()
                .set("Content-Type", "application/octet-stream")
                .set("Content-Range", sent + "-" + (sent + n - 1))
                .build();
        try (HttpResponse r = send("PATCH", location, h, RequestBody.sharing(buffer, n), scope)) {
          expect(r, "upload of " + digest + " to " + repository, 202, 204);
          location = r.headers().first("Location").map(String::strip).orElse(location);
        }
        sent += n;
      }
      if (in.read() >= 0) {
        throw StorageException.integrity(
            "Blob " + digest + " changed while it was read: more than " + size + " bytes");
      }
    }
    finish(location, digest, null, repository, scope);
  }

  private String startUpload(String repository) throws IOException {
    try (HttpResponse r =
        send(
            "POST",
            "/v2/" + repository + "/blobs/uploads/",
            Headers.empty(),
            null,
            push(repository, null))) {
      expect(r, "starting an upload to " + repository, 202);
      return r.headers()
          .first("Location")
          .map(String::strip)
          .orElseThrow(() -> new IOException("upload to " + repository + " without a Location"));
    }
  }

  private void finish(
      String location, Digest digest, @Nullable RequestBody body, String repository, String scope)
      throws IOException {
    String target =
        location
            + (location.contains("?") ? "&" : "?")
            + "digest="
            + PercentEncoding.query(digest.toString());
    Headers h =
        body == null
            ? Headers.empty()
            : Headers.builder().set("Content-Type", "application/octet-stream").build();
    try (HttpResponse r = send("PUT", target, h, body, scope)) {
      if (r.status() == 400 && errors(r).contains("DIGEST_INVALID")) {
        throw StorageException.integrity(
            "The registry computed another digest than "
                + digest
                + " for the blob pushed to "
                + repository
                + " (was a model file modified during pack?)");
      }
      expect(r, "completing the upload of " + digest + " to " + repository, 201, 204);
    }
  }

  private void cancelQuietly(String location) {
    try (HttpResponse r = send("DELETE", location.strip(), Headers.empty(), null, "")) {
      r.status();
    } catch (IOException | RuntimeException ignored) {
      // Registries garbage-collect abandoned uploads.
    }
  }

  // ---------------------------------------------------------------- exchange and auth

  /**
   * Sends a request with the credentials the registry asked for; a 401 is answered once with a new
   * token (or basic credentials) and the request sent again.
   *
   * @param target a path on the registry, or an absolute URL it handed out (upload locations)
   * @param scope the token scope the request needs, e.g. {@code repository:models/llm:pull}
   */
  private HttpResponse send(
      String method, String target, Headers headers, @Nullable RequestBody body, String scope)
      throws IOException {
    Optional<String> sent = authorization(scope);
    HttpResponse r = sendOnce(method, target, headers, body, scope);
    if (r.status() != 401) {
      return r;
    }
    List<AuthChallenge> challenges = AuthChallenge.parse(r.headers().all("WWW-Authenticate"));
    r.close();
    Origin to = originOf(target);
    if (!credentialScope.isRegistry(to)) {
      throw new StorageException(
          Failure.AUTH,
          "The registry "
              + registry
              + " handed out the location "
              + to
              + pathOnly(target(URI.create(target)))
              + " for "
              + method
              + ", and that host asks for credentials: Stowage sends the registry's credentials"
              + " only to "
              + origin);
    }
    // One token request per scope at a time: parallel blob requests share the first one's token.
    synchronized (scopeLocks.computeIfAbsent(scope, k -> new Object())) {
      Optional<String> now = authorization(scope);
      if (now.isEmpty() || now.equals(sent)) {
        authenticate(challenges, scope);
      }
    }
    r = sendOnce(method, target, headers, body, scope);
    if (r.status() == 401) {
      String errs = errors(r);
      r.close();
      throw new StorageException(
          Failure.AUTH,
          credentials instanceof Credentials.Anonymous
              ? "The registry "
                  + registry
                  + " requires credentials ("
                  + errs
                  + "): log in with docker/podman login or give a config.json"
                  + " (--registry-config, DOCKER_CONFIG, KSERVE_OCI_DOCKER_CONFIG)"
              : "The registry "
                  + registry
                  + " rejected the credentials for "
                  + credentials
                  + " ("
                  + errs
                  + ")");
    }
    return r;
  }

  private HttpResponse sendOnce(
      String method, String target, Headers headers, @Nullable RequestBody body, String scope)
      throws IOException {
    Headers.Builder h = headers.toBuilder();
    Origin o = originOf(target);
    String t = target.startsWith("/") ? target : target(URI.create(target));
    // An absolute upload location on another origin (a storage backend) gets no credentials:
    // the registry chose that host, and its password or token is not the host's to see.
    if (credentialScope.isRegistry(o)) {
      authorization(scope).ifPresent(v -> h.set("Authorization", v));
    }
    HttpResponse r = http.send(new HttpRequest(method, o, t, h.build(), body));
    if (r.status() == 403) {
      String errs = errors(r);
      r.close();
      throw new StorageException(
          Failure.AUTH,
          "The registry "
              + registry
              + " denied "
              + method
              + " "
              + pathOnly(t)
              + " for "
              + credentials
              + (errs.isEmpty() ? "" : " (" + errs + ")"));
    }
    return r;
  }

  /** The origin a target goes to: the registry's for a path, the URL's own for an absolute one. */
  private Origin originOf(String target) {
    return target.startsWith("/") ? origin : Origin.of(URI.create(target));
  }

  private static String pathOnly(String target) {
    int q = target.indexOf('?');
    return q < 0 ? target : target.substring(0, q);
  }

  private Optional<String> authorization(String scope) {
    AuthChallenge c = challenge;
    if (c == null) {
      return Optional.empty();
    }
    if (c.isBasic() && credentials instanceof Credentials.Basic b) {
      return Optional.of(basic(b));
    }
    if (c.isBearer()) {
      Token t = tokens.get(scope);
      if (t != null && t.fresh()) {
        return Optional.of("Bearer " + t.value());
      }
    }
    return Optional.empty();
  }

  private void authenticate(List<AuthChallenge> challenges, String scope) throws IOException {
    AuthChallenge bearer = null;
    AuthChallenge basicChallenge = null;
    for (AuthChallenge c : challenges) {
      if (c.isBearer() && bearer == null) {
        bearer = c;
      } else if (c.isBasic() && basicChallenge == null) {
        basicChallenge = c;
      }
    }
    if (bearer != null) {
      challenge = bearer;
      tokens.put(scope, fetchToken(bearer, scope));
      return;
    }
    if (basicChallenge != null) {
      challenge = basicChallenge;
      if (!(credentials instanceof Credentials.Basic)) {
        throw new StorageException(
            Failure.AUTH,
            "The registry "
                + registry
                + " requires a user name and password: log in with docker/podman login or give a"
                + " config.json (--registry-config, DOCKER_CONFIG, KSERVE_OCI_DOCKER_CONFIG)");
      }
      return;
    }
    throw new StorageException(
        Failure.AUTH,
        "The registry " + registry + " answered 401 without a usable WWW-Authenticate challenge");
  }

  /** The bearer-token flow of the Distribution spec's token authentication. */
  private Token fetchToken(AuthChallenge c, String scope) throws IOException {
    String realm =
        c.param("realm")
            .orElseThrow(
                () ->
                    new StorageException(
                        Failure.AUTH,
                        "The registry " + registry + " asked for a bearer token without a realm"));
    URI realmUri;
    try {
      realmUri = URI.create(realm);
      Origin.of(realmUri);
    } catch (IllegalArgumentException e) {
      throw new StorageException(
          Failure.AUTH,
          "The registry "
              + registry
              + " named an invalid token realm: "
              + UriRedaction.redact(realm));
    }
    if (!(credentials instanceof Credentials.Anonymous) && !credentialScope.mayReceive(realmUri)) {
      throw realmRefused(Origin.of(realmUri));
    }
    List<String> params = new ArrayList<>();
    c.param("service").ifPresent(s -> params.add("service=" + PercentEncoding.query(s)));
    List<String> scopes = new ArrayList<>();
    for (String s : scope.split(" ", -1)) {
      if (!s.isEmpty()) {
        scopes.add(s);
      }
    }
    c.param("scope").filter(s -> !scopes.contains(s)).ifPresent(scopes::add);
    scopes.forEach(s -> params.add("scope=" + PercentEncoding.query(s)));
    HttpResponse r;
    if (credentials instanceof Credentials.IdentityToken id) {
      List<String> form = new ArrayList<>(params);
      form.add("grant_type=refresh_token");
      form.add("client_id=stowage");
      form.add("refresh_token=" + PercentEncoding.query(id.token()));
      r =
          http.send(
              new HttpRequest(
                  "POST",
                  Origin.of(realmUri),
                  target(realmUri),
                  Headers.builder()
                      .set("Content-Type", "application/x-www-form-urlencoded")
                      .build(),
                  RequestBody.utf8(String.join("&", form))));
    } else {
      String query = String.join("&", params);
      String base = target(realmUri);
      String t = query.isEmpty() ? base : base + (base.contains("?") ? "&" : "?") + query;
      Headers.Builder h = Headers.builder();
      if (credentials instanceof Credentials.Basic b) {
        h.set("Authorization", basic(b));
      }
      r = http.send(new HttpRequest("GET", Origin.of(realmUri), t, h.build(), null));
    }
    try (r) {
      if (r.status() == 401 || r.status() == 403) {
        throw new StorageException(
            Failure.AUTH,
            "The token service of "
                + registry
                + " refused "
                + credentials
                + " for "
                + String.join(" ", scopes)
                + " (HTTP "
                + r.status()
                + ")");
      }
      if (r.status() != 200) {
        throw new RegistryStatusException(r.status(), "token service " + Origin.of(realmUri), "");
      }
      Map<String, Object> json;
      try {
        json = Json.parseObject(r.readAll(1 << 20));
      } catch (IllegalArgumentException e) {
        throw new IOException("token service " + Origin.of(realmUri) + " sent invalid JSON", e);
      }
      String token =
          Json.string(json, "token")
              .or(() -> Json.string(json, "access_token"))
              .orElseThrow(
                  () -> new IOException("token service " + Origin.of(realmUri) + " sent no token"));
      long seconds = Json.number(json, "expires_in").orElse(60L);
      long lifetimeNanos = Math.max(1, seconds - 10) * 1_000_000_000L;
      return new Token(token, System.nanoTime() + lifetimeNanos);
    }
  }

  /**
   * A realm outside {@link CredentialScope}'s rule. An anonymous token request carries nothing, so
   * it may go anywhere, as a blob redirect may.
   */
  private StorageException realmRefused(Origin realm) {
    String why =
        !realm.isTls()
            ? "over plain HTTP, credentials go only to a plain-HTTP registry's own host"
            : "it is neither the registry's host nor in its domain";
    return new StorageException(
        Failure.AUTH,
        "Refusing to send the credentials for "
            + credentials
            + " of registry "
            + registry
            + " to its token realm "
            + realm
            + ": "
            + why
            + (realm.isTls()
                ? " (if it is the registry's token service, add "
                    + realm.host()
                    + " to STOWAGE_OCI_TOKEN_REALMS)"
                : " (STOWAGE_OCI_TOKEN_REALMS allows https realms only)"));
  }

  private static String basic(Credentials.Basic b) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((b.username() + ":" + b.password()).getBytes(StandardCharsets.UTF_8));
  }

  static String pull(String repository) {
    return "repository:" + repository + ":pull";
  }

  static String push(String repository, @Nullable String mountFrom) {
    String s = "repository:" + repository + ":pull,push";
    return mountFrom == null ? s : s + " " + pull(mountFrom);
  }

  // ---------------------------------------------------------------- helpers

  private static String blobPath(String repository, Digest d) {
    return "/v2/" + repository + "/blobs/" + d;
  }

  private static String manifestPath(String repository, String reference) {
    return "/v2/" + repository + "/manifests/" + PercentEncoding.path(reference);
  }

  static String target(URI uri) {
    URI ascii = URI.create(uri.toASCIIString());
    String path =
        ascii.getRawPath() == null || ascii.getRawPath().isEmpty() ? "/" : ascii.getRawPath();
    return ascii.getRawQuery() == null ? path : path + "?" + ascii.getRawQuery();
  }

  private void expect(HttpResponse r, String what, int... ok) throws IOException {
    for (int s : ok) {
      if (r.status() == s) {
        return;
      }
    }
    throw statusFailure(r, what);
  }

  private IOException statusFailure(HttpResponse r, String what) {
    String errs = errors(r);
    if (r.status() == 404) {
      return new StorageNotFound(
          StorageException.notFound(
              registry + ": " + what + " not found" + (errs.isEmpty() ? "" : " (" + errs + ")")));
    }
    return new RegistryStatusException(r.status(), registry + ": " + what, errs);
  }

  /** Carries a classified failure through code that only throws IOException. */
  static final class StorageNotFound extends IOException {
    private static final long serialVersionUID = 1L;
    private final StorageException failure;

    StorageNotFound(StorageException failure) {
      super(failure.getMessage());
      this.failure = failure;
    }
  }

  /** The codes and messages of a Distribution error document, best effort. */
  private static String errors(HttpResponse r) {
    try {
      byte[] body = r.readAll(64 * 1024);
      if (body.length == 0) {
        return "";
      }
      Map<String, Object> json = Json.parseObject(body);
      List<String> out = new ArrayList<>();
      for (Map<String, Object> e : Json.objects(json, "errors")) {
        out.add(
            Json.string(e, "code").orElse("?")
                + Json.string(e, "message").map(m -> ": " + m).orElse(""));
      }
      return String.join("; ", out);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static int readFully(InputStream in, byte[] b, int len) throws IOException {
    int n = 0;
    while (n < len) {
      int r = in.read(b, n, len - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  /** Runs an idempotent operation with the retry policy; classifies what outlives it. */
  private <T> T retrying(String doing, Call<T> call) {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (StorageNotFound e) {
        throw e.failure;
      } catch (RegistryStatusException e) {
        if (!e.retryable() || attempt >= settings.retry().maxAttempts()) {
          throw classifyStatus(e, doing);
        }
      } catch (IOException e) {
        if (TransportFailures.isPermanent(e) || attempt >= settings.retry().maxAttempts()) {
          throw classify(e, doing);
        }
      }
      settings.retry().pause(attempt);
    }
  }

  /** A failure of a registry status, as one line. */
  private StorageException classifyStatus(RegistryStatusException e, String doing) {
    Failure f =
        e.status() == 401 || e.status() == 403
            ? Failure.AUTH
            : e.status() == 404 ? Failure.NOT_FOUND : Failure.NETWORK;
    return new StorageException(
        f, "The registry " + registry + " failed while " + doing + ": " + e.getMessage(), e);
  }

  /** A transport failure talking to this registry, as one line naming what to change. */
  public StorageException classify(IOException e, String doing) {
    if (e instanceof StorageNotFound nf) {
      return nf.failure;
    }
    if (e instanceof RegistryStatusException s) {
      return classifyStatus(s, doing);
    }
    return TransportFailures.classify(
        e,
        "the registry " + registry + " (" + origin + ")",
        doing,
        new TransportHints(
            "the registry in the image reference",
            "the connect timeout (S3_CONNECT_TIMEOUT)",
            "the read timeout (S3_READ_TIMEOUT)",
            "leave out --insecure (KSERVE_OCI_INSECURE_REGISTRY)",
            "use --insecure (KSERVE_OCI_INSECURE_REGISTRY=true) for a plain-HTTP registry",
            "add its CA to a bundle given by --ca-bundle, SSL_CERT_FILE or the cluster's CA"
                + " bundle"));
  }

  /** True when a failed blob read may be resumed (not an auth or not-found answer). */
  public static boolean isRetryable(IOException e) {
    if (e instanceof StorageNotFound) {
      return false;
    }
    if (e instanceof RegistryStatusException s) {
      return s.retryable();
    }
    return !TransportFailures.isPermanent(e);
  }

  @Override
  public String toString() {
    return "registry " + registry + " (" + origin + ", " + credentials + ")";
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
