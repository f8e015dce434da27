package io.stowage.storage.s3;

import io.stowage.storage.net.Headers;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.HttpRequest;
import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.net.PercentEncoding;
import io.stowage.storage.net.RequestBody;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * The object's headers, with its checksums ({@code x-amz-checksum-mode: ENABLED}, signed as every
   * {@code x-amz-*} header must be) and its user metadata. With {@code ifMatch}, a replaced object
   * is refused (412).
   */
  Headers head(String bucket, String key, @Nullable String ifMatch) throws IOException {
    Map<String, String> extra = new TreeMap<>();
    if (ifMatch != null && !ifMatch.isEmpty()) {
      extra.put("If-Match", ifMatch);
    }
    try (HttpResponse r =
        send(
            "HEAD",
            bucket,
            key,
            Map.of(),
            Map.of("x-amz-checksum-mode", "ENABLED"),
            extra,
            null,
            SigV4.EMPTY_PAYLOAD_SHA256)) {
      return r.headers();
    }
  }

  private HttpResponse send(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> unsignedHeaders)
      throws IOException {
    return send(
        method, bucket, key, query, Map.of(), unsignedHeaders, null, SigV4.EMPTY_PAYLOAD_SHA256);
  }

  /**
   * Signs and sends one request. {@code signedHeaders} ({@code Content-MD5}, {@code x-amz-meta-*})
   * are covered by the signature, so that with an unsigned payload the MD5 still protects the body
   * in transit; {@code unsignedHeaders} (Range, ...) are not. Error statuses become {@link
   * S3ResponseException}s.
   */
  private HttpResponse send(
      String method,
      String bucket,
      String key,
      Map<String, String> query,
      Map<String, String> signedHeaders,
      Map<String, String> unsignedHeaders,
      @Nullable RequestBody body,
      String payloadHash)
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
              signedHeaders,
              credentials.get(),
              Instant.now(),
              payloadHash)
          .forEach(headers::add);
    }
    signedHeaders.forEach(headers::add);
    unsignedHeaders.forEach(headers::add);
    String requestTarget =
        canonicalQuery.isEmpty() ? target.path() : target.path() + "?" + canonicalQuery;
    HttpResponse response =
        http.send(new HttpRequest(method, target.origin(), requestTarget, headers.build(), body));
    if (response.status() >= 200 && response.status() < 300) {
      return response;
    }
    try (response) {
      byte[] errorBody = method.equals("HEAD") ? new byte[0] : readErrorBody(response);
      S3Xml.ErrorDocument doc = S3Xml.error(errorBody);
      String region = response.headers().first("x-amz-bucket-region").orElse(doc.region());
      String code = doc.code().isEmpty() ? defaultCode(response.status()) : doc.code();
      throw new S3ResponseException(response.status(), code, doc.message(), region);
    }
  }

  // ---- uploads (stowage push) ----

  /** A part that was uploaded. */
  record UploadedPart(int number, long size, String etag) {}

  /** An upload in progress under a prefix. */
  record PendingUpload(String key, String uploadId, String initiated) {}

  /** A single PUT; returns the object's ETag. */
  String putObject(
      String bucket, String key, RequestBody body, String contentMd5, Map<String, String> metadata)
      throws IOException {
    try (HttpResponse r =
        send(
            "PUT",
            bucket,
            key,
            Map.of(),
            withContentMd5(metadata, contentMd5),
            Map.of(),
            body,
            SigV4.UNSIGNED_PAYLOAD)) {
      r.readAll(MAX_ERROR_XML);
      return r.headers().first("ETag").orElse("");
    }
  }

  String createMultipartUpload(String bucket, String key, Map<String, String> metadata)
      throws IOException {
    try (HttpResponse r =
        send(
            "POST",
            bucket,
            key,
            Map.of("uploads", ""),
            metadata,
            Map.of(),
            RequestBody.of(new byte[0]),
            SigV4.EMPTY_PAYLOAD_SHA256)) {
      String id = S3Xml.records(r.readAll(MAX_XML), "-").top("UploadId");
      if (id.isEmpty()) {
        throw new IOException("CreateMultipartUpload answered without an UploadId");
      }
      return id;
    }
  }

  String uploadPart(
      String bucket, String key, String uploadId, int number, RequestBody body, String contentMd5)
      throws IOException {
    Map<String, String> query = new TreeMap<>();
    query.put("partNumber", Integer.toString(number));
    query.put("uploadId", uploadId);
    try (HttpResponse r =
        send(
            "PUT",
            bucket,
            key,
            query,
            Map.of("Content-MD5", contentMd5),
            Map.of(),
            body,
            SigV4.UNSIGNED_PAYLOAD)) {
      r.readAll(MAX_ERROR_XML);
      return r.headers()
          .first("ETag")
          .orElseThrow(() -> new IOException("UploadPart answered without an ETag"));
    }
  }

  /** Completes an upload; returns the object's ETag. */
  String completeMultipartUpload(
      String bucket, String key, String uploadId, List<UploadedPart> parts) throws IOException {
    StringBuilder xml =
        new StringBuilder(
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    for (UploadedPart p : parts) {
      xml.append("<Part><PartNumber>")
          .append(p.number())
          .append("</PartNumber><ETag>")
          .append(p.etag().replace("&", "&amp;").replace("\"", "&quot;"))
          .append("</ETag></Part>");
    }
    xml.append("</CompleteMultipartUpload>");
    byte[] body = xml.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String sha = java.util.HexFormat.of().formatHex(sha256(body));
    try (HttpResponse r =
        send(
            "POST",
            bucket,
            key,
            Map.of("uploadId", uploadId),
            Map.of(),
            Map.of("Content-Type", "application/xml"),
            RequestBody.of(body),
            sha)) {
      byte[] answer = r.readAll(MAX_XML);
      if (S3Xml.isError(answer)) {
        S3Xml.ErrorDocument doc = S3Xml.error(answer);
        throw new S3ResponseException(
            500, doc.code().isEmpty() ? "InternalError" : doc.code(), doc.message(), null);
      }
      return S3Xml.records(answer, "-").top("ETag");
    }
  }

  void abortMultipartUpload(String bucket, String key, String uploadId) throws IOException {
    try (HttpResponse r = send("DELETE", bucket, key, Map.of("uploadId", uploadId), Map.of())) {
      r.readAll(MAX_ERROR_XML);
    }
  }

  List<PendingUpload> listMultipartUploads(String bucket, String prefix) throws IOException {
    List<PendingUpload> out = new ArrayList<>();
    String keyMarker = null;
    String idMarker = null;
    while (true) {
      Map<String, String> query = new TreeMap<>();
      query.put("uploads", "");
      query.put("prefix", prefix);
      if (keyMarker != null) {
        query.put("key-marker", keyMarker);
        query.put("upload-id-marker", idMarker == null ? "" : idMarker);
      }
      S3Xml.Records page;
      try (HttpResponse r = send("GET", bucket, "", query, Map.of())) {
        page = S3Xml.records(r.readAll(MAX_XML), "Upload");
      }
      for (Map<String, String> u : page.items()) {
        out.add(
            new PendingUpload(
                u.getOrDefault("Key", ""),
                u.getOrDefault("UploadId", ""),
                u.getOrDefault("Initiated", "")));
      }
      if (!"true".equals(page.top("IsTruncated")) || page.top("NextKeyMarker").isEmpty()) {
        return out;
      }
      keyMarker = page.top("NextKeyMarker");
      idMarker = page.top("NextUploadIdMarker");
    }
  }

  List<UploadedPart> listParts(String bucket, String key, String uploadId) throws IOException {
    List<UploadedPart> out = new ArrayList<>();
    String marker = null;
    while (true) {
      Map<String, String> query = new TreeMap<>();
      query.put("uploadId", uploadId);
      if (marker != null) {
        query.put("part-number-marker", marker);
      }
      S3Xml.Records page;
      try (HttpResponse r = send("GET", bucket, key, query, Map.of())) {
        page = S3Xml.records(r.readAll(MAX_XML), "Part");
      }
      for (Map<String, String> p : page.items()) {
        out.add(
            new UploadedPart(
                Integer.parseInt(p.getOrDefault("PartNumber", "0")),
                Long.parseLong(p.getOrDefault("Size", "-1")),
                p.getOrDefault("ETag", "")));
      }
      if (!"true".equals(page.top("IsTruncated")) || page.top("NextPartNumberMarker").isEmpty()) {
        return out;
      }
      marker = page.top("NextPartNumberMarker");
    }
  }

  void deleteObject(String bucket, String key) throws IOException {
    try (HttpResponse r = send("DELETE", bucket, key, Map.of(), Map.of())) {
      r.readAll(MAX_ERROR_XML);
    }
  }

  private static Map<String, String> withContentMd5(Map<String, String> headers, String md5) {
    Map<String, String> out = new TreeMap<>(headers);
    out.put("Content-MD5", md5);
    return out;
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
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
