package io.stowage.storage.hf;

import io.stowage.storage.Failure;
import io.stowage.storage.StorageException;
import io.stowage.storage.http.HttpStatusException;
import io.stowage.storage.http.RangeAnswer;
import io.stowage.storage.http.ResponseRangeStream;
import io.stowage.storage.http.WebFetch;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.net.Origin;
import io.stowage.storage.net.PercentEncoding;
import io.stowage.storage.net.RedirectException;
import io.stowage.storage.net.TransportFailures;
import io.stowage.storage.net.TransportHints;
import io.stowage.storage.net.UnsafeLocationException;
import io.stowage.storage.transfer.PathFilter;
import io.stowage.storage.transfer.RangeStream;
import io.stowage.storage.transfer.RelativePath;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.RetryPolicy;
import io.stowage.storage.transfer.Source;
import io.stowage.storage.transfer.Verification;
import io.stowage.storage.uri.HuggingFaceUri;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Hugging Face model repository. The revision (branch, tag or commit) is resolved to a commit
 * once, so that every file comes from the same commit; the file tree is read from the Hub's API;
 * files are fetched in ranges from {@code resolve/}, following the redirect to the CDN without the
 * token; LFS files are verified against their SHA-256, the others against their git blob id. No
 * {@code .cache} directory is left in the destination.
 */
public final class HuggingFaceSource implements Source {
  private static final int MAX_JSON = 64 * 1024 * 1024;
  private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final TransportHints HINTS =
      new TransportHints(
          "HF_ENDPOINT",
          "S3_CONNECT_TIMEOUT",
          "HF_HUB_DOWNLOAD_TIMEOUT",
          "use an https:// HF_ENDPOINT",
          "use an http:// HF_ENDPOINT",
          "mount the CA certificate through KServe's CA bundle ConfigMap"
              + " (CA_BUNDLE_CONFIGMAP_NAME), or set REQUESTS_CA_BUNDLE / SSL_CERT_FILE to a PEM"
              + " file");

  private final HuggingFaceUri uri;
  private final HuggingFaceSettings settings;
  private final WebFetch fetch;
  private final PathFilter filter;
  private final RetryPolicy retry;
  private final Map<String, String> auth;
  private final RangeAnswer answers;
  private volatile @Nullable String commit;

  public HuggingFaceSource(
      HuggingFaceUri uri,
      HuggingFaceSettings settings,
      HttpClient http,
      PathFilter filter,
      RetryPolicy retry) {
    this.uri = uri;
    this.settings = settings;
    this.fetch = new WebFetch(http);
    this.filter = filter;
    this.retry = retry;
    this.answers = new RangeAnswer(uri.display(), Optional.empty());
    this.auth = settings.token().map(t -> Map.of("Authorization", "Bearer " + t)).orElse(Map.of());
  }

  @Override
  public String display() {
    return uri.display();
  }

  /** The commit the revision resolved to, once listed. */
  public Optional<String> commit() {
    return Optional.ofNullable(commit);
  }

  @Override
  public List<RemoteFile> list() {
    String sha = retrying("resolving the revision of " + uri.display(), this::resolveCommit);
    commit = sha;
    List<HubJson.TreeEntry> entries =
        retrying("listing the files of " + uri.display(), () -> tree(sha));
    List<RemoteFile> files = new ArrayList<>();
    for (HubJson.TreeEntry e : entries) {
      if (!e.type().equals("file")) {
        continue;
      }
      RelativePath path =
          RelativePath.fromSource(e.path(), "file '" + e.path() + "' of " + uri.display());
      if (!filter.accepts(path.value())) {
        continue;
      }
      if (e.size() < 0) {
        throw StorageException.integrity(
            "The Hub lists no size for '" + e.path() + "' of " + uri.display());
      }
      files.add(file(path, e));
    }
    if (files.isEmpty()) {
      throw StorageException.notFound(
          "Failed to fetch model. No model found in "
              + uri.display()
              + (filter.isEmpty() ? "" : " after STORAGE_ALLOW_PATTERNS/STORAGE_IGNORE_PATTERNS"));
    }
    return files;
  }

  private static RemoteFile file(RelativePath path, HubJson.TreeEntry e) {
    Verification v;
    String version;
    if (e.lfsSha256().isPresent()) {
      version = e.lfsSha256().get();
      v = new Verification.Digest(Verification.Algorithm.SHA256, version, "the Hub's LFS oid");
    } else if (e.oid().matches("[0-9a-f]{40}")) {
      version = e.oid();
      v =
          new Verification.Digest(
              Verification.Algorithm.GIT_BLOB_SHA1, version, "the Hub's git blob id");
    } else {
      version = e.oid();
      v = new Verification.SizeOnly("the Hub lists no usable oid");
    }
    return new RemoteFile(path, e.size(), version, v, e.path());
  }

  private String resolveCommit() throws IOException {
    URI u =
        api(
            "/api/models/"
                + uri.repoId()
                + "/revision/"
                + PercentEncoding.query(uri.revisionOrDefault()));
    return HubJson.commitSha(json(u));
  }

  private List<HubJson.TreeEntry> tree(String sha) throws IOException {
    List<HubJson.TreeEntry> all = new ArrayList<>();
    URI next = api("/api/models/" + uri.repoId() + "/tree/" + sha + "?recursive=true&expand=false");
    int pages = 0;
    while (next != null) {
      if (++pages > 100_000) {
        throw new IOException("the Hub's tree pagination does not end");
      }
      WebFetch.Answer answer = fetch.send("GET", next, auth, Map.of("Accept", "application/json"));
      try (HttpResponse r = answer.response()) {
        byte[] body = r.readAll(MAX_JSON);
        if (r.status() != 200) {
          throw hubError(r, body);
        }
        all.addAll(HubJson.tree(body));
        next = nextPage(r, answer.finalUri());
      }
    }
    return all;
  }

  /**
   * The next page of a listing. It must be on HF_ENDPOINT's origin: the token is for that origin
   * only, and a listing served by another host is not the repository's.
   */
  private @Nullable URI nextPage(HttpResponse r, URI current) throws IOException {
    for (String link : r.headers().all("Link")) {
      Matcher m = NEXT_LINK.matcher(link);
      if (m.find()) {
        URI next;
        Origin at;
        try {
          next = current.resolve(m.group(1).strip());
          at = Origin.of(next);
        } catch (IllegalArgumentException e) {
          throw new IOException("the Hub's tree listing links an invalid next page");
        }
        Origin hub = Origin.of(settings.endpoint());
        if (!at.equals(hub)) {
          throw new UnsafeLocationException(
              "The Hub's tree listing links its next page to "
                  + at
                  + ", outside HF_ENDPOINT's origin "
                  + hub
                  + ": refusing to follow it (a listing from another host is not the"
                  + " repository's)");
        }
        return next;
      }
    }
    return null;
  }

  private byte[] json(URI u) throws IOException {
    WebFetch.Answer answer = fetch.send("GET", u, auth, Map.of("Accept", "application/json"));
    try (HttpResponse r = answer.response()) {
      byte[] body = r.readAll(MAX_JSON);
      if (r.status() != 200) {
        throw hubError(r, body);
      }
      return body;
    }
  }

  private static HttpStatusException hubError(HttpResponse r, byte[] body) {
    String code = r.headers().first("X-Error-Code").orElse("");
    String message = HubJson.error(body).orElse(r.reason());
    return new HttpStatusException(r.status(), message, code, "the Hub");
  }

  private URI api(String pathAndQuery) {
    String base = settings.endpoint().toString();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base + pathAndQuery);
  }

  @Override
  public RangeStream open(RemoteFile file, long start, long endExclusive) throws IOException {
    String sha = commit;
    if (sha == null) {
      throw new IllegalStateException("list() first");
    }
    URI u =
        api("/" + uri.repoId() + "/resolve/" + sha + "/" + PercentEncoding.path(file.locator()));
    WebFetch.Answer answer =
        fetch.send("GET", u, auth, Map.of("Range", "bytes=" + start + "-" + (endExclusive - 1)));
    HttpResponse r = answer.response();
    try {
      // Files are content-addressed (their digest is checked), so only sizes are compared here.
      if (!answers.accepts(r, file, start, endExclusive)) {
        byte[] body = r.status() >= 400 ? r.readAll(64 * 1024) : new byte[0];
        throw hubError(r, body);
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
      return new StorageException(Failure.NETWORK, e.getMessage() + " while " + doing, e);
    }
    return TransportFailures.classify(
        e, "the Hugging Face Hub at " + settings.endpoint(), doing, HINTS);
  }

  private StorageException status(HttpStatusException s, String doing) {
    String repo = uri.repoId();
    boolean hasToken = settings.token().isPresent();
    return switch (s.errorCode()) {
      case "GatedRepo" ->
          new StorageException(
              Failure.AUTH,
              s.status() == 403
                  ? "Hugging Face repository "
                      + repo
                      + " is gated and HF_TOKEN's account has no access: request access on the"
                      + " model's page"
                  : "Hugging Face repository "
                      + repo
                      + " is gated: set HF_TOKEN to a token of an account that was granted access",
              s);
      case "RepoNotFound" ->
          new StorageException(
              hasToken ? Failure.NOT_FOUND : Failure.AUTH,
              "Hugging Face repository "
                  + repo
                  + " not found at "
                  + settings.endpoint()
                  + (hasToken
                      ? " (check the name, and that HF_TOKEN's account can see it)"
                      : " (if it is private, set HF_TOKEN)"),
              s);
      case "RevisionNotFound" ->
          new StorageException(
              Failure.NOT_FOUND,
              "Revision '"
                  + uri.revisionOrDefault()
                  + "' not found in Hugging Face repository "
                  + repo,
              s);
      case "EntryNotFound" ->
          new StorageException(
              Failure.NOT_FOUND,
              "A file of " + uri.display() + " is gone (EntryNotFound) while " + doing,
              s);
      default ->
          switch (s.status()) {
            case 401 ->
                new StorageException(
                    Failure.AUTH,
                    "The Hugging Face Hub refused the request (401) while "
                        + doing
                        + (hasToken ? ": check HF_TOKEN" : ": set HF_TOKEN"),
                    s);
            case 403 ->
                new StorageException(
                    Failure.AUTH,
                    "The Hugging Face Hub denied access (403) while "
                        + doing
                        + ": check HF_TOKEN's permissions",
                    s);
            case 404 ->
                new StorageException(
                    Failure.NOT_FOUND, "Not found on the Hugging Face Hub (404) while " + doing, s);
            default ->
                new StorageException(
                    s.isRetryable() ? Failure.NETWORK : Failure.INTERNAL,
                    "The Hugging Face Hub answered "
                        + s.status()
                        + " while "
                        + doing
                        + (s.isRetryable() ? ", retries exhausted" : ""),
                    s);
          };
    };
  }

  private <T> T retrying(String doing, RetryPolicy.Attempt<T> call) {
    return retry.call(doing, call, this::isPermanent, this::classify);
  }
}
