package io.stowage.testkit;

import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A server speaking the parts of the Hugging Face Hub's HTTP API that a model downloader uses, on
 * 127.0.0.1, built from the shapes the Hub documents for {@code huggingface_hub}. Point {@code
 * HF_ENDPOINT} at {@link #endpoint()}.
 *
 * <p>Endpoints (GET; HEAD gives the same headers without a body):
 *
 * <ul>
 *   <li>{@code /api/models/{owner}/{name}} and {@code /api/models/{owner}/{name}/revision/{rev}}:
 *       the model info, {@code {"id", "modelId", "author", "sha", "lastModified", "createdAt",
 *       "private", "gated", "disabled", "tags", "siblings": [{"rfilename"}]}}; with {@code
 *       ?blobs=true} each sibling also has {@code "blobId"}, {@code "size"} and, for LFS files,
 *       {@code "lfs": {"sha256", "size", "pointerSize"}}.
 *   <li>{@code /api/models/{owner}/{name}/tree/{rev}[/{path}]?recursive=true}: the entries below
 *       the path, sorted by path, {@code {"type": "file"|"directory", "oid", "size", "path"}} plus
 *       {@code "lfs": {"oid", "size", "pointerSize"}} for LFS files; without {@code recursive} only
 *       the direct children. Pages of {@link #pageSize(int)} entries; when more remain a {@code
 *       Link: <absolute URL with a cursor parameter>; rel="next"} header. {@code expand} is
 *       accepted and ignored.
 *   <li>{@code /{owner}/{name}/resolve/{rev}/{path}}: a regular file is answered with its bytes,
 *       {@code ETag: "<git blob id>"}, {@code X-Repo-Commit} and range support; an LFS file with a
 *       302 to {@code <cdn>/cdn/<sha256>}, {@code X-Linked-Etag: "<sha256>"}, {@code X-Linked-Size}
 *       and {@code X-Repo-Commit}.
 *   <li>{@code /cdn/{sha256}}: LFS content, with ranges, {@code ETag: "<sha256>"}, no
 *       authentication (the Hub's CDN URLs are pre-signed). On this server's origin unless {@link
 *       #useSeparateCdnOrigin()} was called.
 * </ul>
 *
 * <p>A revision is a branch, a tag or a full commit id; one containing {@code /} ({@code
 * refs/pr/1}) may come percent-encoded as one segment ({@code refs%2Fpr%2F1}) or as plain segments.
 * Paths in a repository are percent-decoded segment by segment.
 *
 * <p>Authentication is {@code Authorization: Bearer <token>}. A token the server does not know
 * ({@link #addToken}, or given to {@link Repo#makePrivate}/{@link Repo#makeGated}) is refused on
 * every endpoint with 401 {@code {"error": "Invalid credentials in Authorization header"}}, as the
 * Hub does. Then, for a repository:
 *
 * <ul>
 *   <li>unknown, or private and the token has no access: 401 without a token, 404 with one, both
 *       {@code X-Error-Code: RepoNotFound} (the Hub does not reveal private repositories);
 *   <li>gated and the token has no access: model info and tree answer normally (as on the Hub,
 *       gated repositories are listed publicly), {@code resolve} answers 401 without a token and
 *       403 with one, {@code X-Error-Code: GatedRepo};
 *   <li>unknown revision: 404 {@code RevisionNotFound}; unknown file or directory: 404 {@code
 *       EntryNotFound}.
 * </ul>
 *
 * <p>Error bodies are {@code {"error": "<message>"}} with {@code X-Error-Message} repeating the
 * message. Every request is recorded ({@link #requests()}) with credentials redacted.
 */
public final class HubServer implements AutoCloseable {

  /** Default limit above which a committed file becomes an LFS file, as on the Hub: 10 MiB. */
  public static final long DEFAULT_LFS_THRESHOLD = 10L * 1024 * 1024;

  /** Default tree page size. */
  public static final int DEFAULT_PAGE_SIZE = 1000;

  private static final Pattern REPO_ID =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");

  /** How a gated repository grants access; what {@code "gated"} says in the model info. */
  public enum Gate {
    AUTO,
    MANUAL;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A file as the Hub describes it.
   *
   * @param oid the git blob id: of the content for a regular file, of the LFS pointer for an LFS
   *     file (as the Hub's tree API reports it)
   * @param sha256 hex SHA-256 of the content (what an LFS file is verified against)
   */
  public record FileInfo(String path, long size, String oid, String sha256, boolean lfs) {}

  private final @Nullable TlsMaterial tls;
  private final LoopbackHttpServer server;
  private volatile @Nullable LoopbackHttpServer separateCdn;
  private final Map<String, Repo> repos = new ConcurrentHashMap<>();
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, ServedContent> lfsObjects = new ConcurrentHashMap<>();
  private final StatusScript script = new StatusScript();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private volatile Consumer<RecordedRequest> requestHook = request -> {};
  private volatile int pageSize = DEFAULT_PAGE_SIZE;

  private HubServer(@Nullable TlsMaterial tls) {
    this.tls = tls;
    HubHandler handler = new HubHandler(this);
    this.server =
        LoopbackHttpServer.start("hub-server", tls, e -> Exchanges.run(e, handler::handle));
  }

  /** A Hub on {@code http://127.0.0.1:<port>}. */
  public static HubServer start() {
    return new HubServer(null);
  }

  /** A Hub on {@code https://127.0.0.1:<port>}, presenting {@code tls}'s certificate. */
  public static HubServer startTls(TlsMaterial tls) {
    return new HubServer(tls);
  }

  /** What {@code HF_ENDPOINT} should be. */
  public URI endpoint() {
    return server.endpoint();
  }

  public int port() {
    return server.port();
  }

  /** The origin LFS redirects point at: {@link #endpoint()} unless a separate one was started. */
  public URI cdnEndpoint() {
    LoopbackHttpServer cdn = separateCdn;
    return cdn == null ? endpoint() : cdn.endpoint();
  }

  /**
   * Starts a second listener (same scheme, another port, so another origin) and points LFS
   * redirects at it, as the Hub points them at its CDN's host: a client must follow a cross-origin
   * redirect there and should not send its Hub token along. Requests to it are recorded with the
   * others (tell them apart by their {@code host} header). Idempotent.
   *
   * @return the CDN origin
   */
  public synchronized URI useSeparateCdnOrigin() {
    LoopbackHttpServer cdn = separateCdn;
    if (cdn == null) {
      HubHandler handler = new HubHandler(this);
      cdn = LoopbackHttpServer.start("hub-cdn", tls, e -> Exchanges.run(e, handler::handle));
      separateCdn = cdn;
    }
    return cdn.endpoint();
  }

  /**
   * Creates a public, ungated model repository {@code owner/name} with no commit yet (every
   * revision is unknown until the first {@link Repo#commit}).
   */
  public Repo addRepo(String repoId) {
    if (!REPO_ID.matcher(repoId).matches()) {
      throw new IllegalArgumentException("a repo id is owner/name, got \"" + repoId + "\"");
    }
    Repo repo = new Repo(this, repoId);
    if (repos.putIfAbsent(repoId, repo) != null) {
      throw new IllegalArgumentException("repo " + repoId + " exists already");
    }
    return repo;
  }

  /** The handle of a repository added earlier. */
  public Repo repo(String repoId) {
    Repo repo = repos.get(repoId);
    if (repo == null) {
      throw new IllegalArgumentException("no repo " + repoId);
    }
    return repo;
  }

  /** Tree entries per page; the Hub's default is 1000. */
  public HubServer pageSize(int entries) {
    if (entries < 1) {
      throw new IllegalArgumentException("page size must be positive, got " + entries);
    }
    this.pageSize = entries;
    return this;
  }

  /** Registers a valid user token that has no access to private or gated repositories. */
  public HubServer addToken(String token) {
    tokens.add(requireToken(token));
    return this;
  }

  /**
   * The next {@code count} requests to paths matching {@code pathPattern} ({@code "/cdn/*"}, {@code
   * "*"}, an exact decoded path) get {@code status} with a JSON error body.
   */
  public void failNext(String pathPattern, int count, int status) {
    script.failNext(pathPattern, count, status, Map.of());
  }

  /** As {@link #failNext(String, int, int)}, with extra headers ({@code Retry-After}, say). */
  public void failNext(String pathPattern, int count, int status, Map<String, String> headers) {
    script.failNext(pathPattern, count, status, headers);
  }

  /** Forgets every scripted failure. */
  public void clearScript() {
    script.clear();
  }

  /**
   * Runs {@code hook} on the serving thread for each request, after recording it and before
   * answering. It may block (on a latch, say) to stall answers; {@link #close()} interrupts it.
   */
  public void setRequestHook(Consumer<RecordedRequest> hook) {
    this.requestHook = hook;
  }

  /**
   * Every request received so far, in arrival order, credentials redacted: {@link
   * RecordedRequest#hasAuthorization()} tells whether a token was sent, never which.
   */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public void clearRequests() {
    requests.clear();
  }

  /** Stops the server (and the separate CDN origin, if any), closing every connection. */
  @Override
  public void close() {
    server.close();
    LoopbackHttpServer cdn = separateCdn;
    if (cdn != null) {
      cdn.close();
    }
  }

  // For HubHandler.

  int currentPageSize() {
    return pageSize;
  }

  @Nullable Repo findRepo(String repoId) {
    return repos.get(repoId);
  }

  boolean isKnownToken(String token) {
    return tokens.contains(token);
  }

  @Nullable ServedContent lfsObject(String sha256) {
    return lfsObjects.get(sha256);
  }

  StatusScript.@Nullable Answer scripted(String path) {
    return script.next(path);
  }

  void record(RecordedRequest request) {
    requests.add(request);
    requestHook.accept(request);
  }

  private static String requireToken(String token) {
    if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c >= 0x7F)) {
      throw new IllegalArgumentException("a token is non-empty visible ASCII");
    }
    return token;
  }

  /**
   * A model repository: refs (branches and tags share one namespace here) pointing at commits, and
   * every commit ever made, reachable by its id.
   */
  public static final class Repo {

    private final HubServer hub;
    private final String id;
    private final Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final Map<String, String> refs = new ConcurrentHashMap<>();
    private final Map<String, HubCommit> commits = new ConcurrentHashMap<>();
    private final Set<String> tokensWithAccess = ConcurrentHashMap.newKeySet();
    private final List<PathMatcher> lfsMatchers = new CopyOnWriteArrayList<>();
    private final AtomicInteger commitCount = new AtomicInteger();
    private volatile boolean isPrivate;
    private volatile @Nullable Gate gate;
    private volatile long lfsThreshold = DEFAULT_LFS_THRESHOLD;

    private Repo(HubServer hub, String id) {
      this.hub = hub;
      this.id = id;
    }

    public String id() {
      return id;
    }

    /**
     * Makes a commit whose tree is exactly {@code files} (path in the repository to content) on top
     * of what {@code ref} pointed at, and moves {@code ref} (created if new: {@code main}, {@code
     * v1.0}, {@code refs/pr/1}) to it. Older commits stay reachable by id.
     *
     * @return the new commit's id (40 hex digits)
     */
    public String commit(String ref, Map<String, byte[]> files) {
      return commit(ref, files, Map.of());
    }

    /**
     * As {@link #commit(String, Map)}, with some files taken from disk: they are hashed now
     * (streamed) and streamed again on every download, never loaded whole.
     */
    public synchronized String commit(
        String ref, Map<String, byte[]> files, Map<String, Path> filesOnDisk) {
      if (ref.isEmpty() || GitObjects.isObjectId(ref)) {
        throw new IllegalArgumentException("not a usable ref name: \"" + ref + "\"");
      }
      TreeMap<String, ServedContent> contents = new TreeMap<>();
      files.forEach((path, bytes) -> contents.put(requireRepoPath(path), ServedContent.of(bytes)));
      filesOnDisk.forEach(
          (path, file) -> {
            if (contents.put(requireRepoPath(path), ServedContent.of(file)) != null) {
              throw new IllegalArgumentException(path + " given twice");
            }
          });
      TreeMap<String, HubFile> hubFiles = new TreeMap<>();
      contents.forEach(
          (path, content) -> hubFiles.put(path, HubFile.of(path, content, isLfs(path, content))));
      requireNoFileInPlaceOfDirectory(hubFiles);
      HubCommit commit =
          HubCommit.create(
              hubFiles,
              refs.get(ref),
              Instant.now().truncatedTo(ChronoUnit.SECONDS),
              "Commit " + commitCount.incrementAndGet() + " of " + id + " on " + ref);
      for (HubFile file : hubFiles.values()) {
        if (file.lfs) {
          hub.lfsObjects.putIfAbsent(file.sha256, file.content);
        }
      }
      commits.put(commit.sha, commit);
      refs.put(ref, commit.sha);
      return commit.sha;
    }

    /** Points {@code tag} (or any ref name) at what {@code revision} resolves to. */
    public Repo tag(String tag, String revision) {
      if (tag.isEmpty() || GitObjects.isObjectId(tag)) {
        throw new IllegalArgumentException("not a usable ref name: \"" + tag + "\"");
      }
      refs.put(tag, sha(revision));
      return this;
    }

    /** Files strictly larger than this become LFS files in later commits. Default 10 MiB. */
    public Repo lfsThreshold(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("threshold must not be negative, got " + bytes);
      }
      this.lfsThreshold = bytes;
      return this;
    }

    /**
     * Files matching any of these globs become LFS files in later commits, whatever their size, as
     * {@code .gitattributes} would make them: a glob without {@code /} matches the file name
     * ({@code *.safetensors}), one with {@code /} the whole path.
     */
    public Repo lfsPatterns(String... globs) {
      for (String glob : globs) {
        lfsMatchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
      }
      return this;
    }

    /**
     * Makes the repository private: only these tokens (registered as valid) see it; everyone else
     * gets {@code RepoNotFound}.
     */
    public Repo makePrivate(String... tokensWithAccess) {
      grant(tokensWithAccess);
      isPrivate = true;
      return this;
    }

    /**
     * Makes the repository gated ({@code "gated": "manual"}); these tokens have been granted
     * access.
     */
    public Repo makeGated(String... tokensWithAccess) {
      return makeGated(Gate.MANUAL, tokensWithAccess);
    }

    public Repo makeGated(Gate gate, String... tokensWithAccess) {
      grant(tokensWithAccess);
      this.gate = gate;
      return this;
    }

    /** The commit id {@code revision} (a ref or a commit id) resolves to. */
    public String sha(String revision) {
      HubCommit commit = resolve(revision);
      if (commit == null) {
        throw new IllegalArgumentException("no revision " + revision + " in " + id);
      }
      return commit.sha;
    }

    /** A file of {@code revision} as the Hub describes it, for assertions. */
    public FileInfo file(String revision, String path) {
      HubCommit commit = commitOf(revision);
      HubFile file = commit.files.get(path);
      if (file == null) {
        throw new IllegalArgumentException("no file " + path + " at " + revision + " in " + id);
      }
      return new FileInfo(file.path, file.size(), file.oid, file.sha256, file.lfs);
    }

    /** The paths of {@code revision}'s files, sorted. */
    public List<String> files(String revision) {
      return List.copyOf(commitOf(revision).files.keySet());
    }

    // For HubHandler.

    @Nullable HubCommit resolve(String revision) {
      String sha = refs.get(revision);
      if (sha != null) {
        return commits.get(sha);
      }
      return commits.get(revision);
    }

    boolean isPrivate() {
      return isPrivate;
    }

    @Nullable Gate gate() {
      return gate;
    }

    boolean grantsAccess(@Nullable String token) {
      return token != null && tokensWithAccess.contains(token);
    }

    Instant createdAt() {
      return createdAt;
    }

    private HubCommit commitOf(String revision) {
      HubCommit commit = resolve(revision);
      if (commit == null) {
        throw new IllegalArgumentException("no revision " + revision + " in " + id);
      }
      return commit;
    }

    private void grant(String... tokens) {
      for (String token : tokens) {
        hub.addToken(token);
        tokensWithAccess.add(token);
      }
    }

    private boolean isLfs(String path, ServedContent content) {
      if (content.size() > lfsThreshold) {
        return true;
      }
      Path whole = Path.of(path);
      Path name = whole.getFileName();
      for (PathMatcher matcher : lfsMatchers) {
        if (matcher.matches(whole) || (name != null && matcher.matches(name))) {
          return true;
        }
      }
      return false;
    }

    private static String requireRepoPath(String path) {
      boolean bad = path.isEmpty() || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0;
      for (String segment : path.split("/", -1)) {
        bad |= segment.isEmpty() || segment.equals(".") || segment.equals("..");
      }
      if (bad) {
        throw new IllegalArgumentException("not a repository path: \"" + path + "\"");
      }
      return path;
    }

    private static void requireNoFileInPlaceOfDirectory(Map<String, HubFile> files) {
      List<String> paths = new ArrayList<>(files.keySet());
      for (String path : paths) {
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
          if (files.containsKey(path.substring(0, slash))) {
            throw new IllegalArgumentException(
                path.substring(0, slash) + " is both a file and a directory");
          }
        }
      }
    }
  }
}
