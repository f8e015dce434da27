package io.stowage.storage.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A small S3-speaking HTTP server for protocol cases a real store will not produce: hostile keys,
 * redirects, throttling, objects changing mid-download, chunked listings. Path-style only.
 */
final class FakeS3 implements AutoCloseable {
  /** Answers a request instead of the default behaviour, or returns false to fall through. */
  interface Script {
    boolean handle(HttpExchange exchange, int requestNumber) throws IOException;
  }

  final TreeMap<String, byte[]> objects = new TreeMap<>();
  final Map<String, String> etags = new HashMap<>();
  final Map<String, String> extraHeaders = new HashMap<>();

  /** Per key: x-amz-checksum-* headers, sent only to requests with checksum mode enabled. */
  final Map<String, Map<String, String>> checksums = new HashMap<>();

  /** Per key: headers sent with every GET and HEAD (x-amz-meta-*). */
  final Map<String, Map<String, String>> metadata = new HashMap<>();

  final AtomicInteger requests = new AtomicInteger();
  final List<String> requestLog = new ArrayList<>();
  volatile int pageSize = 1000;

  /** Serve whatever is stored now, as stores that do not implement If-Match do. */
  volatile boolean ignoreIfMatch;

  volatile @Nullable Script override;
  private final HttpServer server;

  FakeS3() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void put(String key, byte[] content) {
    objects.put(key, content);
    etags.put(key, "\"" + md5(content) + "\"");
  }

  private void handle(HttpExchange ex) throws IOException {
    int n = requests.incrementAndGet();
    synchronized (requestLog) {
      requestLog.add(ex.getRequestMethod() + " " + ex.getRequestURI());
    }
    try (ex) {
      Script o = override;
      if (o != null && o.handle(ex, n)) {
        return;
      }
      String path = ex.getRequestURI().getRawPath();
      int slash = path.indexOf('/', 1);
      String key =
          slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1), StandardCharsets.UTF_8);
      if (key.isEmpty()) {
        list(ex);
      } else {
        get(ex, key);
      }
    }
  }

  private void list(HttpExchange ex) throws IOException {
    Map<String, String> q = query(ex.getRequestURI().getRawQuery());
    String prefix = q.getOrDefault("prefix", "");
    int max = Math.min(pageSize, Integer.parseInt(q.getOrDefault("max-keys", "1000")));
    String after = q.get("continuation-token");
    List<String> keys = new ArrayList<>();
    for (String k : (after == null ? objects : objects.tailMap(after, false)).keySet()) {
      if (k.startsWith(prefix)) {
        keys.add(k);
      }
    }
    boolean truncated = keys.size() > max;
    List<String> page = keys.subList(0, Math.min(max, keys.size()));
    StringBuilder xml =
        new StringBuilder(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    xml.append("<EncodingType>url</EncodingType><IsTruncated>")
        .append(truncated)
        .append("</IsTruncated>");
    for (String k : page) {
      xml.append("<Contents><Key>")
          .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8).replace("+", "%20"))
          .append("</Key><Size>")
          .append(objects.getOrDefault(k, new byte[0]).length)
          .append("</Size><ETag>")
          .append(etags.getOrDefault(k, "").replace("\"", "&quot;"))
          .append("</ETag><StorageClass>STANDARD</StorageClass></Contents>");
    }
    if (truncated) {
      xml.append("<NextContinuationToken>")
          .append(page.get(page.size() - 1))
          .append("</NextContinuationToken>");
    }
    xml.append("</ListBucketResult>");
    byte[] body = xml.toString().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/xml");
    // Length 0 makes the JDK server use chunked encoding, as some stores do for listings.
    ex.sendResponseHeaders(200, 0);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private void get(HttpExchange ex, String key) throws IOException {
    byte[] content = objects.get(key);
    if (content == null) {
      error(ex, 404, "NoSuchKey", "The specified key does not exist.");
      return;
    }
    String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
    if (ifMatch != null && !ignoreIfMatch && !ifMatch.equals(etags.get(key))) {
      error(
          ex,
          412,
          "PreconditionFailed",
          "At least one of the pre-conditions you specified did not hold");
      return;
    }
    long start = 0;
    long end = content.length - 1L;
    String range = ex.getRequestHeaders().getFirst("Range");
    int status = 200;
    if (range != null && range.startsWith("bytes=")) {
      String[] se = range.substring(6).split("-", -1);
      start = Long.parseLong(se[0]);
      end = Math.min(end, Long.parseLong(se[1]));
      status = 206;
      ex.getResponseHeaders()
          .add("Content-Range", "bytes " + start + "-" + end + "/" + content.length);
    }
    ex.getResponseHeaders().add("ETag", etags.get(key));
    extraHeaders.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    metadata.getOrDefault(key, Map.of()).forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    if ("ENABLED".equals(ex.getRequestHeaders().getFirst("x-amz-checksum-mode"))) {
      checksums.getOrDefault(key, Map.of()).forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    }
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().set("Content-Length", Long.toString(content.length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(status, end - start + 1);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(content, (int) start, (int) (end - start + 1));
    }
  }

  static void error(HttpExchange ex, int status, String code, String message) throws IOException {
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + code
                + "</Code><Message>"
                + message
                + "</Message></Error>")
            .getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(@Nullable String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String part : raw.split("&", -1)) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  static String md5(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
