package io.stowage.testkit;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP/1.1 file server on 127.0.0.1 (the JDK's {@code HttpServer}, or {@code HttpsServer}
 * with a {@link TlsMaterial} certificate), for testing a downloader of single files against the
 * behaviours servers on the internet show: with and without range support, chunked bodies,
 * validators, digests, authentication, redirects and failures on cue.
 *
 * <p>Files are registered by path ({@link #put}, {@link #putFile}, {@link #putDirectory}); files on
 * disk are streamed from {@code FileChannel} positions, never loaded whole, so multi-GiB files are
 * fine. Each request is answered in this order:
 *
 * <ol>
 *   <li>it is recorded ({@link #requests()}) and handed to the request hook, if any;
 *   <li>a scripted status for its path ({@link #failNext}, {@link #respondAlways}) is answered with
 *       a short text body;
 *   <li>required headers ({@link #requireHeader}) are checked: 401 when one is missing or has an
 *       unknown value, 403 when it has the rule's "forbidden" value (a credential the server knows
 *       but that does not grant access);
 *   <li>a redirect registered for the path ({@link #redirect}) is answered with its status and
 *       {@code Location};
 *   <li>methods other than GET and HEAD get 405, unknown paths 404;
 *   <li>the file is served: {@code If-Match} (412 when it does not list the file's ETag), {@code
 *       Range} with {@code If-Range} (206, or 416 with {@code Content-Range: bytes *}{@code /size}
 *       when the range starts past the end; several ranges or a malformed header give a 200 with
 *       the whole body), HEAD with the same headers as GET and no body.
 * </ol>
 *
 * <p>Paths are decoded paths starting with {@code /}; {@link #url(String)} percent-encodes them.
 * Where a method takes a path pattern, {@code "*"} means every path and a trailing {@code *} means
 * a prefix ({@code "/models/*"}). Header names in responses come out as the JDK spells them ({@code
 * Etag}, {@code Content-length}): HTTP header names are case-insensitive and clients must treat
 * them so.
 */
public final class HttpFileServer implements AutoCloseable {

  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  /**
   * What the server does for every file.
   *
   * @param ranges honour {@code Range} (206 answers, {@code Accept-Ranges: bytes}); when false
   *     every GET is a 200 with the whole body and no {@code Accept-Ranges}
   * @param chunked send bodies with {@code Transfer-Encoding: chunked} and no {@code
   *     Content-Length}; HEAD then announces no length either
   * @param etags send a strong, quoted {@code ETag}: the MD5 of content given as bytes, the
   *     modification time and size of a file on disk
   * @param lastModified send {@code Last-Modified}: when the bytes were put, or the file's time
   * @param contentMd5 send {@code Content-MD5} (base64 of the MD5 of the whole file) on answers
   *     carrying the whole body, HEAD included
   * @param reprDigest send {@code Repr-Digest: sha-256=:<base64>:} (RFC 9530, the digest of the
   *     whole file) on every 200 and 206
   */
  public record Options(
      boolean ranges,
      boolean chunked,
      boolean etags,
      boolean lastModified,
      boolean contentMd5,
      boolean reprDigest) {

    /** Ranges, ETag and Last-Modified; a length on every body; no digests. */
    public static Options defaults() {
      return new Options(true, false, true, true, false, false);
    }

    public Options withRanges(boolean value) {
      return new Options(value, chunked, etags, lastModified, contentMd5, reprDigest);
    }

    public Options withChunked(boolean value) {
      return new Options(ranges, value, etags, lastModified, contentMd5, reprDigest);
    }

    public Options withEtags(boolean value) {
      return new Options(ranges, chunked, value, lastModified, contentMd5, reprDigest);
    }

    public Options withLastModified(boolean value) {
      return new Options(ranges, chunked, etags, value, contentMd5, reprDigest);
    }

    public Options withContentMd5(boolean value) {
      return new Options(ranges, chunked, etags, lastModified, value, reprDigest);
    }

    public Options withReprDigest(boolean value) {
      return new Options(ranges, chunked, etags, lastModified, contentMd5, value);
    }
  }

  private record Redirect(int status, String location) {}

  private record HeaderRule(
      String pattern, String name, String acceptedValue, @Nullable String forbiddenValue) {}

  private final LoopbackHttpServer server;
  private final Map<String, FileEntry> files = new ConcurrentHashMap<>();
  private final Map<String, String> contentTypes = new ConcurrentHashMap<>();
  private final Map<String, Redirect> redirects = new ConcurrentHashMap<>();
  private final List<HeaderRule> headerRules = new CopyOnWriteArrayList<>();
  private final StatusScript script = new StatusScript();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Options options;
  private volatile Consumer<RecordedRequest> requestHook = request -> {};

  private HttpFileServer(@Nullable TlsMaterial tls, Options options) {
    this.options = options;
    this.server =
        LoopbackHttpServer.start(
            "http-file-server", tls, exchange -> Exchanges.run(exchange, this::handle));
  }

  /** A plain HTTP server with {@link Options#defaults()}. */
  public static HttpFileServer start() {
    return new HttpFileServer(null, Options.defaults());
  }

  public static HttpFileServer start(Options options) {
    return new HttpFileServer(null, options);
  }

  /** An HTTPS server presenting {@code tls}'s certificate, with {@link Options#defaults()}. */
  public static HttpFileServer startTls(TlsMaterial tls) {
    return new HttpFileServer(tls, Options.defaults());
  }

  public static HttpFileServer startTls(TlsMaterial tls, Options options) {
    return new HttpFileServer(tls, options);
  }

  /** {@code http://127.0.0.1:<port>} or {@code https://...}. */
  public URI endpoint() {
    return server.endpoint();
  }

  public int port() {
    return server.port();
  }

  /** The absolute URL of {@code path} (which starts with {@code /}), percent-encoded. */
  public URI url(String path) {
    return URI.create(endpoint() + UrlPaths.encodePath(requirePath(path)));
  }

  public Options options() {
    return options;
  }

  /** Applies to requests arriving from now on. */
  public void setOptions(Options options) {
    this.options = options;
  }

  /** Serves a copy of {@code content} at {@code path}, replacing what was there. */
  public void put(String path, byte[] content) {
    files.put(requirePath(path), new FileEntry(ServedContent.of(content)));
  }

  /** {@link #put} for each entry: path to content. */
  public void putAll(Map<String, byte[]> contentByPath) {
    contentByPath.forEach(this::put);
  }

  /**
   * Serves {@code file} at {@code path}, streamed from disk on every request. Its size and time are
   * read now: after changing the file, put it again.
   */
  public void putFile(String path, Path file) {
    files.put(requirePath(path), new FileEntry(ServedContent.of(file)));
  }

  /**
   * Serves every regular file under {@code dir} below {@code pathPrefix}: {@code dir/a/b.bin} at
   * {@code <pathPrefix>/a/b.bin}. A snapshot: files added to {@code dir} later are not served.
   */
  public void putDirectory(String pathPrefix, Path dir) {
    String prefix = requirePath(pathPrefix).endsWith("/") ? pathPrefix : pathPrefix + "/";
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        List<String> names = new ArrayList<>();
        dir.relativize(file).forEach(name -> names.add(name.toString()));
        putFile(prefix + String.join("/", names), file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Stops serving {@code path} (404 from now on). */
  public void remove(String path) {
    files.remove(path);
  }

  /** The {@code Content-Type} of {@code path}; {@code application/octet-stream} unless set. */
  public void contentType(String path, String contentType) {
    contentTypes.put(requirePath(path), contentType);
  }

  /**
   * Requests to paths matching {@code pathPattern} must carry header {@code name} with {@code
   * acceptedValue}: 401 (with {@code WWW-Authenticate}) when it is missing or has another value.
   */
  public void requireHeader(String pathPattern, String name, String acceptedValue) {
    headerRules.add(new HeaderRule(PathPattern.require(pathPattern), name, acceptedValue, null));
  }

  /**
   * As {@link #requireHeader(String, String, String)}, and a request whose header has {@code
   * forbiddenValue} gets 403: a credential the server recognises but that grants no access.
   */
  public void requireHeader(
      String pathPattern, String name, String acceptedValue, String forbiddenValue) {
    headerRules.add(
        new HeaderRule(PathPattern.require(pathPattern), name, acceptedValue, forbiddenValue));
  }

  /**
   * Answers requests to {@code path} with {@code status} (301, 302, 303, 307 or 308) and {@code
   * Location: location}, sent as given: an absolute URL (another server's {@link #url}, for a
   * cross-host redirect) or a path, which the client resolves against the request's URL.
   */
  public void redirect(String path, int status, String location) {
    if (!REDIRECT_STATUSES.contains(status)) {
      throw new IllegalArgumentException("not a redirect status: " + status);
    }
    redirects.put(requirePath(path), new Redirect(status, location));
  }

  /** The next {@code count} requests to paths matching {@code pathPattern} get {@code status}. */
  public void failNext(String pathPattern, int count, int status) {
    script.failNext(pathPattern, count, status, Map.of());
  }

  /** As {@link #failNext(String, int, int)}, with extra headers ({@code Retry-After}, say). */
  public void failNext(String pathPattern, int count, int status, Map<String, String> headers) {
    script.failNext(pathPattern, count, status, headers);
  }

  /** Every request to paths matching {@code pathPattern} gets {@code status}, until cleared. */
  public void respondAlways(String pathPattern, int status) {
    script.always(pathPattern, status, Map.of());
  }

  /** Forgets every {@link #failNext} and {@link #respondAlways}. */
  public void clearScript() {
    script.clear();
  }

  /**
   * Runs {@code hook} on the serving thread for each request, after recording it and before
   * answering. It may block (on a latch, say) to hold answers back; {@link #close()} interrupts it.
   */
  public void setRequestHook(Consumer<RecordedRequest> hook) {
    this.requestHook = hook;
  }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The requests to one decoded path. */
  public List<RecordedRequest> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  public void clearRequests() {
    requests.clear();
  }

  /** Stops the server, closing every connection. */
  @Override
  public void close() {
    server.close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    RecordedRequest request = Exchanges.record(exchange, false);
    requests.add(request);
    requestHook.accept(request);
    String path = request.path();

    StatusScript.Answer scripted = script.next(path);
    if (scripted != null) {
      scripted.headers().forEach(exchange.getResponseHeaders()::set);
      Exchanges.sendText(exchange, scripted.status(), "scripted status " + scripted.status());
      return;
    }
    for (HeaderRule rule : headerRules) {
      if (PathPattern.matches(rule.pattern(), path) && !admits(exchange, rule)) {
        return;
      }
    }
    Redirect redirect = redirects.get(path);
    if (redirect != null) {
      exchange.getResponseHeaders().set("Location", redirect.location());
      Exchanges.sendEmpty(exchange, redirect.status());
      return;
    }
    if (!Exchanges.isGetOrHead(exchange)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      Exchanges.sendText(exchange, 405, "method not allowed");
      return;
    }
    FileEntry file = files.get(path);
    if (file == null) {
      Exchanges.sendText(exchange, 404, "not found: " + path);
      return;
    }
    Options current = options;
    if (current.reprDigest()) {
      exchange.getResponseHeaders().set("Repr-Digest", "sha-256=:" + file.sha256Base64() + ":");
    }
    new Representation(
            file.content,
            contentTypes.getOrDefault(path, DEFAULT_CONTENT_TYPE),
            current.etags() ? "\"" + file.content.version() + "\"" : null,
            current.lastModified() ? Exchanges.httpDate(file.content.lastModified()) : null,
            current.contentMd5() ? file.md5Base64() : null)
        .serve(exchange, current.ranges(), current.chunked());
  }

  /** Checks one header rule, answering 401 or 403 when it fails. */
  private static boolean admits(HttpExchange exchange, HeaderRule rule) throws IOException {
    String value = exchange.getRequestHeaders().getFirst(rule.name());
    if (value != null && value.equals(rule.acceptedValue())) {
      return true;
    }
    if (value != null && value.equals(rule.forbiddenValue())) {
      Exchanges.sendText(exchange, 403, "forbidden: this " + rule.name() + " grants no access");
      return false;
    }
    exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"stowage-testkit\"");
    Exchanges.sendText(
        exchange, 401, (value == null ? "missing " : "unknown ") + "header " + rule.name());
    return false;
  }

  private static String requirePath(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a path starts with '/', got \"" + path + "\"");
    }
    return path;
  }

  /** A served file and its digests, computed on first use and kept. */
  private static final class FileEntry {
    final ServedContent content;
    private @Nullable String md5Base64;
    private @Nullable String sha256Base64;

    FileEntry(ServedContent content) {
      this.content = content;
    }

    synchronized String md5Base64() {
      computeDigests();
      return requireNonNullDigest(md5Base64);
    }

    synchronized String sha256Base64() {
      computeDigests();
      return requireNonNullDigest(sha256Base64);
    }

    private void computeDigests() {
      if (md5Base64 != null && sha256Base64 != null) {
        return;
      }
      MessageDigest md5 = ServedContent.digest("MD5");
      MessageDigest sha256 = ServedContent.digest("SHA-256");
      content.digest(md5, sha256);
      md5Base64 = Base64.getEncoder().encodeToString(md5.digest());
      sha256Base64 = Base64.getEncoder().encodeToString(sha256.digest());
    }

    private static String requireNonNullDigest(@Nullable String digest) {
      if (digest == null) {
        throw new IllegalStateException("digest not computed");
      }
      return digest;
    }
  }
}
