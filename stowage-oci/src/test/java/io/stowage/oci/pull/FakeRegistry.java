package io.stowage.oci.pull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.stowage.oci.Descriptor;
import io.stowage.oci.Digest;
import io.stowage.oci.ImageManifest;
import io.stowage.oci.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-process registry for fast tests of the pull path: manifests and blobs from memory, ranged
 * GETs, a switch to serve a blob's bytes corrupted, and counters of what was fetched.
 */
final class FakeRegistry implements AutoCloseable {
  private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
  private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/(.+)");

  private final HttpServer server;
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
  private final Map<String, byte[]> corrupted = new ConcurrentHashMap<>();
  final Map<String, AtomicInteger> blobGets = new ConcurrentHashMap<>();
  final List<String> ranges = java.util.Collections.synchronizedList(new ArrayList<>());

  FakeRegistry() throws IOException {
    server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 64);
    server.createContext("/", this::handle);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-registry");
              t.setDaemon(true);
              return t;
            }));
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  Descriptor blob(String mediaType, byte[] bytes) {
    Digest d = Digest.of(bytes);
    blobs.put(d.toString(), bytes);
    return new Descriptor(mediaType, d, bytes.length);
  }

  /** Pushes an image of these uncompressed (or typed) layers under {@code repo:tag}. */
  Digest image(String repoAndTag, List<Descriptor> layers) {
    Descriptor config =
        blob(
            MediaTypes.OCI_CONFIG,
            "{\"architecture\":\"amd64\",\"os\":\"linux\"}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] m = new ImageManifest(MediaTypes.OCI_MANIFEST, config, layers, Map.of()).toJson();
    Digest d = Digest.of(m);
    int colon = repoAndTag.lastIndexOf(':');
    String repo = repoAndTag.substring(0, colon);
    manifests.put(repo + "/" + repoAndTag.substring(colon + 1), m);
    manifests.put(repo + "/" + d, m);
    return d;
  }

  /** From now on, serve {@code d}'s bytes with one byte flipped. */
  void corrupt(Digest d) {
    byte[] good = blobs.get(d.toString());
    if (good == null) {
      throw new IllegalArgumentException("no blob " + d);
    }
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 1;
    corrupted.put(d.toString(), bad);
  }

  void repair(Digest d) {
    corrupted.remove(d.toString());
  }

  int gets(Digest d) {
    return blobGets.getOrDefault(d.toString(), new AtomicInteger()).get();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      if (path.equals("/v2/")) {
        send(ex, 200, new byte[0], "application/json");
        return;
      }
      Matcher b = BLOB.matcher(path);
      if (b.matches()) {
        byte[] bytes = corrupted.getOrDefault(b.group(2), blobs.get(b.group(2)));
        if (bytes == null) {
          send(
              ex,
              404,
              "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8),
              "application/json");
          return;
        }
        blobGets.computeIfAbsent(b.group(2), k -> new AtomicInteger()).incrementAndGet();
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && ex.getRequestMethod().equals("GET")) {
          ranges.add(range);
          String[] se = range.substring("bytes=".length()).split("-", -1);
          int start = Integer.parseInt(se[0]);
          int end =
              se[1].isEmpty()
                  ? bytes.length - 1
                  : Math.min(bytes.length - 1, Integer.parseInt(se[1]));
          byte[] part = java.util.Arrays.copyOfRange(bytes, start, end + 1);
          ex.getResponseHeaders()
              .set("Content-Range", "bytes " + start + "-" + end + "/" + bytes.length);
          send(ex, 206, part, "application/octet-stream");
          return;
        }
        send(ex, 200, bytes, "application/octet-stream");
        return;
      }
      Matcher m = MANIFEST.matcher(path);
      if (m.matches()) {
        byte[] bytes = manifests.get(m.group(1) + "/" + m.group(2));
        if (bytes == null) {
          send(
              ex,
              404,
              "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8),
              "application/json");
          return;
        }
        send(ex, 200, bytes, MediaTypes.OCI_MANIFEST);
        return;
      }
      send(ex, 404, new byte[0], "text/plain");
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body, String type)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : (body.length == 0 ? -1 : body.length));
    if (!head && body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
