package io.stowage.storage.http;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.net.RedirectException;
import io.stowage.storage.net.TransportFailures;
import io.stowage.storage.net.TransportHints;
import io.stowage.storage.transfer.ObjectChangedException;
import io.stowage.storage.transfer.RangeStream;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.RetryPolicy;
import io.stowage.storage.transfer.Source;
import io.stowage.storage.transfer.Verification;
import io.stowage.storage.uri.HttpUri;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code http(s)://} URI of one file. A first ranged request tells whether the server serves
 * ranges (then the engine fetches parts in parallel) or not (one stream), and the file's size.
 */
public final class HttpSource implements Source {
  private static final TransportHints HINTS =
      new TransportHints(
          "the storageUri's host and port",
          "S3_CONNECT_TIMEOUT",
          "S3_READ_TIMEOUT",
          "use an https:// storageUri",
          "use an http:// storageUri",
          "mount the CA certificate through KServe's CA bundle ConfigMap"
              + " (CA_BUNDLE_CONFIGMAP_NAME), or set REQUESTS_CA_BUNDLE / SSL_CERT_FILE to a PEM"
              + " file");

  private final HttpUri uri;
  private final WebFetch fetch;
  private final Map<String, String> hostHeaders;
  private final RetryPolicy retry;
  private final RangeAnswer answers;

  public HttpSource(HttpUri uri, HttpClient http, HostHeaders headers, RetryPolicy retry) {
    this.uri = uri;
    this.fetch = new WebFetch(http);
    this.hostHeaders = headers.forHost(String.valueOf(uri.uri().getHost()));
    this.retry = retry;
    this.answers = new RangeAnswer(uri.display(), Optional.of(HttpSource::version));
  }

  @Override
  public String display() {
    return uri.display();
  }

  /** The file name the URI gives: the last segment of its path, decoded. */
  public static String fileName(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return URLDecoder.decode(last.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  @Override
  public List<RemoteFile> list() {
    String name = fileName(uri.uri());
    if (name.isEmpty()) {
      throw StorageException.usage("No filename contained in URI " + uri.display());
    }
    RelativePath path = RelativePath.fromSource(name, "the file name of " + uri.display());
    return retry.call(
        "requesting " + uri.display(),
        () -> List.of(probe(path)),
        this::isPermanent,
        this::classify);
  }

  /** Asks for the first byte: the answer says whether ranges work and how large the file is. */
  private RemoteFile probe(RelativePath path) throws IOException {
    WebFetch.Answer answer =
        fetch.send("GET", uri.uri(), hostHeaders, Map.of("Range", "bytes=0-0"));
    try (HttpResponse r = answer.response()) {
      int status = r.status();
      if (status == 416) {
        Optional<Long> total = totalFromContentRange(r.headers().first("Content-Range").orElse(""));
        if (total.isPresent() && total.get() == 0) {
          return new RemoteFile(
              path,
              0,
              version(r),
              new Verification.SizeOnly("empty file"),
              uri.uri().toString(),
              true);
        }
      }
      if (status != 200 && status != 206) {
        throw new HttpStatusException(status, r.reason(), "", uri.display());
      }
      refuseHtml(r, path);
      if (status == 206) {
        long total =
            totalFromContentRange(r.headers().first("Content-Range").orElse(""))
                .orElseThrow(
                    () ->
                        new IOException(
                            "206 without a usable Content-Range from " + uri.display()));
        // Without a validator no later range can be told apart from a newer version's: then the
        // file comes in one stream, whose every byte is of one version.
        String version = version(r);
        return new RemoteFile(
            path, total, version, verification(r, false), uri.uri().toString(), !version.isEmpty());
      }
      long size = r.contentLength().orElse(RemoteFile.UNKNOWN_SIZE);
      Verification v =
          size == RemoteFile.UNKNOWN_SIZE
              ? new Verification.SizeOnly("the server sends no length")
              : verification(r, true);
      return new RemoteFile(path, size, version(r), v, uri.uri().toString(), false);
    }
  }

  /**
   * KServe refuses anything whose Content-Type does not match the file type (kserve#2938: a GitHub
   * tar.gz refused for its type). Stowage accepts any type, except an HTML page for a file that is
   * not one: that is a login or error page, and saving it as the model fails much later.
   */
  private void refuseHtml(HttpResponse r, RelativePath path) {
    String type = r.headers().first("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    String name = path.fileName().toLowerCase(Locale.ROOT);
    if (type.startsWith("text/html") && !name.endsWith(".html") && !name.endsWith(".htm")) {
      throw StorageException.notFound(
          uri.display()
              + " returned an HTML page instead of the file (Content-Type text/html): the URL"
              + " points at a web page, or the server wants credentials (set the "
              + uri.uri().getHost()
              + "-headers variable)");
    }
  }

  /** Digests the server states for the whole representation, when it states one. */
  private static Verification verification(HttpResponse r, boolean wholeBody) {
    Optional<String> repr = r.headers().first("Repr-Digest").or(() -> r.headers().first("Digest"));
    if (repr.isPresent()) {
      for (String part : repr.get().split(",", -1)) {
        String p = part.strip();
        int eq = p.indexOf('=');
        if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("sha-256")) {
          String value = p.substring(eq + 1).strip();
          if (value.startsWith(":") && value.endsWith(":") && value.length() > 1) {
            value = value.substring(1, value.length() - 1);
          }
          Optional<String> hex = base64ToHex(value, 32);
          if (hex.isPresent()) {
            return new Verification.Digest(
                Verification.Algorithm.SHA256, hex.get(), "the server's digest header");
          }
        }
      }
    }
    // Content-MD5 covers the body sent: only a whole-file answer says something about the file.
    Optional<String> md5 = wholeBody ? r.headers().first("Content-MD5") : Optional.empty();
    if (md5.isEmpty()) {
      md5 =
          r.headers().all("x-goog-hash").stream()
              .flatMap(h -> List.of(h.split(",", -1)).stream())
              .map(String::strip)
              .filter(h -> h.startsWith("md5="))
              .map(h -> h.substring(4))
              .findFirst();
    }
    if (md5.isPresent()) {
      Optional<String> hex = base64ToHex(md5.get().strip(), 16);
      if (hex.isPresent()) {
        return new Verification.Digest(
            Verification.Algorithm.MD5, hex.get(), "the server's Content-MD5");
      }
    }
    return new Verification.SizeOnly("the server states no digest");
  }

  private static Optional<String> base64ToHex(String b64, int bytes) {
    try {
      byte[] raw = Base64.getDecoder().decode(b64);
      return raw.length == bytes ? Optional.of(HexFormat.of().formatHex(raw)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A strong ETag, else Last-Modified: what a later range must still match. */
  private static String version(HttpResponse r) {
    Optional<String> etag = r.headers().first("ETag");
    if (etag.isPresent() && !etag.get().startsWith("W/")) {
      return etag.get().strip();
    }
    return r.headers().first("Last-Modified").map(String::strip).orElse("");
  }

  static Optional<Long> totalFromContentRange(String contentRange) {
    int slash = contentRange.lastIndexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(contentRange.substring(slash + 1).strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public RangeStream open(RemoteFile file, long start, long endExclusive) throws IOException {
    Map<String, String> extra = new LinkedHashMap<>();
    if (file.seekable()) {
      extra.put("Range", "bytes=" + start + "-" + (endExclusive - 1));
      // If the file changed since it was listed, the server answers 200 with the whole new body
      // instead of 206. Servers that ignore If-Range are caught by RangeAnswer's validator check.
      if (!file.version().isEmpty()) {
        extra.put("If-Range", file.version());
      }
    }
    WebFetch.Answer answer = fetch.send("GET", uri.uri(), hostHeaders, extra);
    HttpResponse r = answer.response();
    try {
      if (!answers.accepts(r, file, start, endExclusive)) {
        if (r.status() == 200) {
          throw new ObjectChangedException(uri.display(), "a whole new body for If-Range");
        }
        throw new HttpStatusException(r.status(), r.reason(), "", uri.display());
      }
    } catch (IOException | RuntimeException e) {
      r.close();
      throw e;
    }
    return new ResponseRangeStream(r);
  }

  @Override
  public boolean isPermanent(IOException e) {
    if (e instanceof HttpStatusException s) {
      return !s.isRetryable();
    }
    return e instanceof RedirectException || TransportFailures.isPermanent(e);
  }

  @Override
  public StorageException classify(IOException e, String doing) {
    if (e instanceof HttpStatusException s) {
      return status(s, doing);
    }
    if (e instanceof RedirectException) {
      return new StorageException(
          Failure.NETWORK, String.valueOf(e.getMessage()) + " while " + doing, e);
    }
    return TransportFailures.classify(e, uri.display(), doing, HINTS);
  }

  private StorageException status(HttpStatusException s, String doing) {
    String headers = uri.uri().getHost() + "-headers";
    return switch (s.status()) {
      case 401 ->
          new StorageException(
              Failure.AUTH,
              uri.display()
                  + " requires authentication (401): put the credentials in the "
                  + headers
                  + " variable (KServe: an https secret with https-host and headers)",
              s);
      case 403 ->
          new StorageException(
              Failure.AUTH,
              "Access to "
                  + uri.display()
                  + " is forbidden (403): check the credentials in "
                  + headers,
              s);
      case 404, 410 ->
          new StorageException(
              Failure.NOT_FOUND, uri.display() + " not found (" + s.status() + ")", s);
      case 412 ->
          StorageException.integrity(
              uri.display() + " changed while it was being downloaded: rerun");
      default ->
          new StorageException(
              s.isRetryable() ? Failure.NETWORK : Failure.USAGE,
              "URI: "
                  + uri.display()
                  + " returned a "
                  + s.status()
                  + " response code while "
                  + doing
                  + (s.isRetryable() ? ", retries exhausted" : ""),
              s);
    };
  }
}
