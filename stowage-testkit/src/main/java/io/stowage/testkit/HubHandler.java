package io.stowage.testkit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Routes and answers the requests of a {@link HubServer}; see there for the behaviour. */
final class HubHandler {

  private static final JsonFactory JSON = new JsonFactory();
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static final String OCTETS = "application/octet-stream";

  /** The Hub's timestamps always carry milliseconds: {@code 2024-05-01T12:00:00.000Z}. */
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private final HubServer hub;

  HubHandler(HubServer hub) {
    this.hub = hub;
  }

  /** The token of a request, once its {@code Authorization} header was accepted. */
  private record Caller(@Nullable String token) {}

  /** Parsed path of an API or resolve request. */
  private record Target(HubServer.Repo repo, HubCommit commit, String path) {}

  void handle(HttpExchange exchange) throws IOException {
    RecordedRequest request = Exchanges.record(exchange, true);
    hub.record(request);
    StatusScript.Answer scripted = hub.scripted(request.path());
    if (scripted != null) {
      scripted.headers().forEach(exchange.getResponseHeaders()::set);
      sendError(exchange, scripted.status(), null, "scripted status " + scripted.status());
      return;
    }
    if (!Exchanges.isGetOrHead(exchange)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      sendError(exchange, 405, null, "Method not allowed");
      return;
    }
    List<String> segments = UrlPaths.rawSegments(request.rawPath());
    try {
      route(exchange, request, segments);
    } catch (IllegalArgumentException badEscape) {
      sendError(exchange, 400, null, "Bad request: " + badEscape.getMessage());
    }
  }

  private void route(HttpExchange exchange, RecordedRequest request, List<String> segments)
      throws IOException {
    int n = segments.size();
    if (n == 2 && segments.get(0).equals("cdn")) {
      cdn(exchange, segments.get(1));
    } else if (n >= 4 && segments.get(0).equals("api") && segments.get(1).equals("models")) {
      String repoId = UrlPaths.decode(segments.get(2)) + "/" + UrlPaths.decode(segments.get(3));
      List<String> rest = segments.subList(4, n);
      if (rest.isEmpty() || (rest.size() == 1 && rest.get(0).isEmpty())) {
        modelInfo(exchange, request, repoId, List.of("main"));
      } else if (rest.size() >= 2 && rest.get(0).equals("revision")) {
        modelInfo(exchange, request, repoId, rest.subList(1, rest.size()));
      } else if (rest.size() >= 2 && rest.get(0).equals("tree")) {
        tree(exchange, request, repoId, rest.subList(1, rest.size()));
      } else {
        sendError(exchange, 404, null, "Not Found");
      }
    } else if (n >= 5 && segments.get(2).equals("resolve")) {
      String repoId = UrlPaths.decode(segments.get(0)) + "/" + UrlPaths.decode(segments.get(1));
      resolve(exchange, request, repoId, segments.subList(3, n));
    } else {
      sendError(exchange, 404, null, "Not Found");
    }
  }

  private void modelInfo(
      HttpExchange exchange, RecordedRequest request, String repoId, List<String> revision)
      throws IOException {
    HubServer.Repo repo = authorize(exchange, request, repoId, false);
    if (repo == null) {
      return;
    }
    String rev = UrlPaths.decodeJoined(revision);
    HubCommit commit = repo.resolve(rev);
    if (commit == null) {
      sendError(exchange, 404, "RevisionNotFound", "Invalid rev id: " + rev);
      return;
    }
    boolean blobs = isTrue(query(request).get("blobs"));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(body)) {
      json.writeStartObject();
      json.writeStringField("id", repo.id());
      json.writeStringField("modelId", repo.id());
      json.writeStringField("author", repo.id().substring(0, repo.id().indexOf('/')));
      json.writeStringField("sha", commit.sha);
      json.writeStringField("lastModified", TIMESTAMP.format(commit.time));
      json.writeStringField("createdAt", TIMESTAMP.format(repo.createdAt()));
      json.writeBooleanField("private", repo.isPrivate());
      HubServer.Gate gate = repo.gate();
      if (gate == null) {
        json.writeBooleanField("gated", false);
      } else {
        json.writeStringField("gated", gate.json());
      }
      json.writeBooleanField("disabled", false);
      json.writeArrayFieldStart("tags");
      json.writeEndArray();
      json.writeArrayFieldStart("siblings");
      for (HubFile file : commit.files.values()) {
        json.writeStartObject();
        json.writeStringField("rfilename", file.path);
        if (blobs) {
          json.writeStringField("blobId", file.oid);
          json.writeNumberField("size", file.size());
          if (file.lfs) {
            json.writeObjectFieldStart("lfs");
            json.writeStringField("sha256", file.sha256);
            json.writeNumberField("size", file.size());
            json.writeNumberField("pointerSize", file.pointerSize);
            json.writeEndObject();
          }
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    Exchanges.send(exchange, 200, JSON_TYPE, body.toByteArray());
  }

  private void tree(
      HttpExchange exchange, RecordedRequest request, String repoId, List<String> revisionAndPath)
      throws IOException {
    HubServer.Repo repo = authorize(exchange, request, repoId, false);
    if (repo == null) {
      return;
    }
    Target target = target(exchange, repo, revisionAndPath, true);
    if (target == null) {
      return;
    }
    String dir = target.path();
    if (!dir.isEmpty() && !target.commit().isDirectory(dir)) {
      sendError(exchange, 404, "EntryNotFound", "Entry not found: " + dir);
      return;
    }
    Map<String, String> query = query(request);
    List<HubCommit.Entry> entries = target.commit().list(dir, isTrue(query.get("recursive")));
    int from = cursorOffset(query.get("cursor"));
    if (from < 0 || from > entries.size()) {
      sendError(exchange, 400, null, "Invalid cursor");
      return;
    }
    int to = Math.min(entries.size(), from + hub.currentPageSize());
    if (to < entries.size()) {
      exchange
          .getResponseHeaders()
          .set("Link", "<" + nextPage(request, query, to) + ">; rel=\"next\"");
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(body)) {
      json.writeStartArray();
      for (HubCommit.Entry entry : entries.subList(from, to)) {
        json.writeStartObject();
        json.writeStringField("type", entry.isDirectory() ? "directory" : "file");
        json.writeStringField("oid", entry.oid());
        HubFile file = entry.file();
        json.writeNumberField("size", file == null ? 0 : file.size());
        if (file != null && file.lfs) {
          json.writeObjectFieldStart("lfs");
          json.writeStringField("oid", file.sha256);
          json.writeNumberField("size", file.size());
          json.writeNumberField("pointerSize", file.pointerSize);
          json.writeEndObject();
        }
        json.writeStringField("path", entry.path());
        json.writeEndObject();
      }
      json.writeEndArray();
    }
    Exchanges.send(exchange, 200, JSON_TYPE, body.toByteArray());
  }

  private void resolve(
      HttpExchange exchange, RecordedRequest request, String repoId, List<String> revisionAndPath)
      throws IOException {
    HubServer.Repo repo = authorize(exchange, request, repoId, true);
    if (repo == null) {
      return;
    }
    Target target = target(exchange, repo, revisionAndPath, false);
    if (target == null) {
      return;
    }
    HubFile file = target.commit().files.get(target.path());
    if (file == null) {
      sendError(exchange, 404, "EntryNotFound", "Entry not found: " + target.path());
      return;
    }
    Headers headers = exchange.getResponseHeaders();
    headers.set("X-Repo-Commit", target.commit().sha);
    if (file.lfs) {
      headers.set("Location", hub.cdnEndpoint() + "/cdn/" + file.sha256);
      headers.set("X-Linked-Etag", "\"" + file.sha256 + "\"");
      headers.set("X-Linked-Size", Long.toString(file.size()));
      Exchanges.sendEmpty(exchange, 302);
      return;
    }
    new Representation(file.content, OCTETS, "\"" + file.oid + "\"", null, null)
        .serve(exchange, true, false);
  }

  private void cdn(HttpExchange exchange, String rawSha256) throws IOException {
    String sha256 = UrlPaths.decode(rawSha256);
    ServedContent content = hub.lfsObject(sha256);
    if (content == null) {
      Exchanges.sendText(exchange, 404, "NoSuchKey: " + sha256);
      return;
    }
    new Representation(
            content, OCTETS, "\"" + sha256 + "\"", Exchanges.httpDate(content.lastModified()), null)
        .serve(exchange, true, false);
  }

  /**
   * The repository, if the caller may see it (and download from it, when {@code download}); or null
   * after answering the refusal the Hub would give.
   */
  private HubServer.@Nullable Repo authorize(
      HttpExchange exchange, RecordedRequest request, String repoId, boolean download)
      throws IOException {
    Caller caller = caller(exchange);
    if (caller == null) {
      return null;
    }
    String token = caller.token();
    HubServer.Repo repo = hub.findRepo(repoId);
    if (repo == null || (repo.isPrivate() && !repo.grantsAccess(token))) {
      sendError(
          exchange,
          token == null ? 401 : 404,
          "RepoNotFound",
          "Repository Not Found for url: " + hub.endpoint() + request.rawPath() + ".");
      return null;
    }
    if (download && repo.gate() != null && !repo.grantsAccess(token)) {
      if (token == null) {
        sendError(
            exchange,
            401,
            "GatedRepo",
            "Access to model "
                + repoId
                + " is restricted. You must have access to it and be authenticated to access it.");
      } else {
        sendError(
            exchange,
            403,
            "GatedRepo",
            "Access to model "
                + repoId
                + " is restricted and you are not in the authorized list. Visit "
                + hub.endpoint()
                + "/"
                + repoId
                + " to ask for access.");
      }
      return null;
    }
    return repo;
  }

  /** The caller's token (null when anonymous), or null after answering 401 to a bad one. */
  private @Nullable Caller caller(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization == null) {
      return new Caller(null);
    }
    String value = authorization.trim();
    int space = value.indexOf(' ');
    if (space > 0 && value.substring(0, space).equalsIgnoreCase("Bearer")) {
      String token = value.substring(space + 1).trim();
      if (hub.isKnownToken(token)) {
        return new Caller(token);
      }
    }
    sendError(exchange, 401, null, "Invalid credentials in Authorization header");
    return null;
  }

  /**
   * Splits {@code revision[/path]}: the revision is one percent-encoded segment ({@code
   * refs%2Fpr%2F1}) or, failing that, the shortest run of plain segments naming a ref ({@code
   * refs/pr/1}). Answers 404 and returns null when no revision matches.
   */
  private @Nullable Target target(
      HttpExchange exchange, HubServer.Repo repo, List<String> segments, boolean pathMayBeEmpty)
      throws IOException {
    int last = pathMayBeEmpty ? segments.size() : segments.size() - 1;
    for (int k = 1; k <= last; k++) {
      HubCommit commit = repo.resolve(UrlPaths.decodeJoined(segments.subList(0, k)));
      if (commit != null) {
        String path = UrlPaths.decodeJoined(segments.subList(k, segments.size()));
        return new Target(repo, commit, stripSlashes(path));
      }
    }
    sendError(
        exchange, 404, "RevisionNotFound", "Invalid rev id: " + UrlPaths.decode(segments.get(0)));
    return null;
  }

  private String nextPage(RecordedRequest request, Map<String, String> query, int offset) {
    StringBuilder url = new StringBuilder().append(hub.endpoint()).append(request.rawPath());
    char separator = '?';
    for (Map.Entry<String, String> parameter : query.entrySet()) {
      if (!parameter.getKey().equals("cursor")) {
        url.append(separator)
            .append(UrlPaths.encodeSegment(parameter.getKey()))
            .append('=')
            .append(UrlPaths.encodeSegment(parameter.getValue()));
        separator = '&';
      }
    }
    String cursor =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
    return url.append(separator).append("cursor=").append(cursor).toString();
  }

  /** The offset a cursor encodes, 0 without one, -1 when it is not one of ours. */
  private static int cursorOffset(@Nullable String cursor) {
    if (cursor == null) {
      return 0;
    }
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      return text.startsWith("offset:") ? Integer.parseInt(text.substring(7)) : -1;
    } catch (IllegalArgumentException notOurs) {
      return -1;
    }
  }

  private static Map<String, String> query(RecordedRequest request) {
    Map<String, String> parameters = new LinkedHashMap<>();
    String query = request.query();
    if (query == null || query.isEmpty()) {
      return parameters;
    }
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.put(
          UrlPaths.decode(name.replace('+', ' ')), UrlPaths.decode(value.replace('+', ' ')));
    }
    return parameters;
  }

  /** {@code huggingface_hub} sends Python's {@code True}; others send {@code true} or 1. */
  private static boolean isTrue(@Nullable String value) {
    return value != null && (value.toLowerCase(Locale.ROOT).equals("true") || value.equals("1"));
  }

  private static String stripSlashes(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }

  /**
   * An error as the Hub sends it: {@code X-Error-Code} (when there is one), {@code X-Error-Message}
   * and a JSON body {@code {"error": message}}; HEAD gets the headers only.
   */
  private static void sendError(
      HttpExchange exchange, int status, @Nullable String code, String message) throws IOException {
    Headers headers = exchange.getResponseHeaders();
    if (code != null) {
      headers.set("X-Error-Code", code);
    }
    headers.set("X-Error-Message", asciiOnly(message));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(body)) {
      json.writeStartObject();
      json.writeStringField("error", message);
      json.writeEndObject();
    }
    Exchanges.send(exchange, status, JSON_TYPE, body.toByteArray());
  }

  /** Header values are ISO-8859-1 on the wire; keep them to printable ASCII. */
  private static String asciiOnly(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c >= ' ' && c < 0x7F ? c : '?');
    }
    return out.toString();
  }
}
