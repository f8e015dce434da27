package io.stowage.storage.s3;

import io.stowage.storage.net.Headers;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.HttpRequest;
import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.net.PercentEncoding;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** The S3 operations the initializer needs, signed with SigV4, on the shared HTTP client. */
final class S3Client {
  private static final int MAX_XML = 16 * 1024 * 1024;
  private static final int MAX_ERROR_XML = 64 * 1024;

  private final S3Settings settings;
  private final HttpClient http;
  private final S3Addressing addressing;
  private final SigV4 signer;

  S3Client(S3Settings settings, HttpClient http) {
    this.settings = settings;
    this.http = http;
    this.addressing = new S3Addressing(settings);
    this.signer = new SigV4(settings.region(), "s3");
  }

  String endpointForDisplay() {
    return addressing.endpointForDisplay();
  }

  /** One page of ListObjectsV2 under {@code prefix}, keys URL-encoded on the wire and decoded. */
  S3Xml.ListPage list(String bucket, String prefix, @Nullable String continuationToken, int maxKeys)
      throws IOException {
    TreeMap<String, String> query = new TreeMap<>();
    query.put("list-type", "2");
    query.put("encoding-type", "url");
    query.put("max-keys", Integer.toString(maxKeys));
    query.put("prefix", prefix);
    if (continuationToken != null) {
      query.put("continuation-token", continuationToken);
    }
    try (HttpResponse response = send("GET", bucket, "", query, Map.of())) {
      return S3Xml.listPage(response.readAll(MAX_XML));
    }
  }

  /**
   * Starts a ranged GET of {@code [start, endExclusive)}. With {@code ifMatch}, S3 refuses (412)
   * when the object was replaced since it was listed, so a file never mixes two versions.
   */
  HttpResponse getRange(
      String bucket, String key, long start, long endExclusive, @Nullable String ifMatch)
      throws IOException {
    Map<String, String> extra = new TreeMap<>();
    extra.put("Range", "bytes=" + start + "-" + (endExclusive - 1));
    if (ifMatch != null && !ifMatch.isEmpty()) {
      extra.put("If-Match", ifMatch);
    }
    return send("GET", bucket, key, new TreeMap<>(), extra);
  }

  private HttpResponse send(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> unsignedHeaders)
      throws IOException {
    S3Addressing.Target target = addressing.target(bucket, key);
    String canonicalQuery = canonicalQuery(query);
    Headers.Builder headers = Headers.builder();
    Optional<S3Credentials> credentials = settings.credentials().resolve();
    if (credentials.isPresent()) {
      signer
          .sign(
              method,
              target.path(),
              canonicalQuery,
              target.origin().hostHeader(),
              Map.of(),
              credentials.get(),
              Instant.now())
          .forEach(headers::add);
    }
    unsignedHeaders.forEach(headers::add);
    String requestTarget =
        canonicalQuery.isEmpty() ? target.path() : target.path() + "?" + canonicalQuery;
    HttpResponse response =
        http.send(new HttpRequest(method, target.origin(), requestTarget, headers.build(), null));
    if (response.status() >= 200 && response.status() < 300) {
      return response;
    }
    try (response) {
      byte[] body = method.equals("HEAD") ? new byte[0] : readErrorBody(response);
      S3Xml.ErrorDocument doc = S3Xml.error(body);
      String region = response.headers().first("x-amz-bucket-region").orElse(doc.region());
      String code = doc.code().isEmpty() ? defaultCode(response.status()) : doc.code();
      throw new S3ResponseException(response.status(), code, doc.message(), region);
    }
  }

  private static byte[] readErrorBody(HttpResponse response) {
    try {
      return response.readAll(MAX_ERROR_XML);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String defaultCode(int status) {
    return switch (status) {
      case 301 -> "PermanentRedirect";
      case 403 -> "AccessDenied";
      case 404 -> "NotFound";
      case 412 -> "PreconditionFailed";
      case 503 -> "SlowDown";
      default -> "";
    };
  }

  private static String canonicalQuery(Map<String, String> query) {
    TreeMap<String, String> encoded = new TreeMap<>();
    query.forEach((k, v) -> encoded.put(PercentEncoding.query(k), PercentEncoding.query(v)));
    StringBuilder sb = new StringBuilder();
    encoded.forEach(
        (k, v) -> {
          if (sb.length() > 0) {
            sb.append('&');
          }
          sb.append(k).append('=').append(v);
        });
    return sb.toString();
  }
}
