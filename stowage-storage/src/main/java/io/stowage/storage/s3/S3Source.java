package io.stowage.storage.s3;

import io.stowage.storage.StorageException;
import io.stowage.storage.http.RangeAnswer;
import io.stowage.storage.http.ResponseRangeStream;
import io.stowage.storage.net.Headers;
import io.stowage.storage.net.HttpClient;
import io.stowage.storage.net.HttpResponse;
import io.stowage.storage.transfer.PathFilter;
import io.stowage.storage.transfer.RangeStream;
import io.stowage.storage.transfer.RemoteFile;
import io.stowage.storage.transfer.RetryPolicy;
import io.stowage.storage.transfer.Source;
import io.stowage.storage.transfer.Verification;
import io.stowage.storage.uri.S3Uri;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An S3 URI as a {@link Source}: listing with KServe's layout rules, ranged GETs for the engine.
 */
public final class S3Source implements Source {
  private static final int PAGE = 1000;

  private final S3Uri uri;
  private final S3Settings settings;
  private final S3Client client;
  private final PathFilter filter;
  private final RetryPolicy retry;
  private final S3Failures failures;
  private final RangeAnswer answers;

  public S3Source(
      S3Uri uri, S3Settings settings, HttpClient http, PathFilter filter, RetryPolicy retry) {
    this.uri = uri;
    this.settings = settings;
    this.client = new S3Client(settings, http);
    this.filter = filter;
    this.retry = retry;
    this.failures = new S3Failures(client.endpointForDisplay(), uri.bucket(), settings.region());
    this.answers =
        new RangeAnswer(uri.display(), Optional.of(r -> r.headers().first("ETag").orElse("")));
  }

  @Override
  public String display() {
    return uri.display();
  }

  /** The endpoint requests go to, for logs. */
  public String endpoint() {
    return client.endpointForDisplay();
  }

  @Override
  public List<RemoteFile> list() {
    String key = uri.key();
    List<S3Object> objects = key.isEmpty() || key.endsWith("/") ? listAll(key) : listUnderKey(key);
    boolean namesAnObject = !key.isEmpty() && !key.endsWith("/");
    if (namesAnObject && objects.size() == 1 && objects.get(0).key().equals(key)) {
      return List.of(
          withChecksums(S3Layout.singleObject(uri, objects.get(0), settings.verifyEtag())));
    }
    String prefix = namesAnObject ? key + "/" : key;
    List<RemoteFile> files = S3Layout.tree(uri, prefix, objects, filter, settings.verifyEtag());
    if (files.isEmpty()) {
      String why =
          objects.isEmpty()
              ? ""
              : " ("
                  + objects.size()
                  + " keys under the prefix, none left after directory markers"
                  + (filter.isEmpty() ? "" : " and STORAGE_ALLOW_PATTERNS/STORAGE_IGNORE_PATTERNS")
                  + ")";
      throw StorageException.notFound(
          "Failed to fetch model. No model found in " + uri.display() + why);
    }
    return files.stream().map(this::withChecksums).toList();
  }

  /**
   * A multipart object's ETag is no content MD5: its HEAD says what else it can be verified against
   * (see {@link MultipartVerification}). Single-part objects need no extra request.
   */
  private RemoteFile withChecksums(RemoteFile f) {
    if (MultipartVerification.parts(f.version()).isEmpty()) {
      return f;
    }
    Optional<Headers> answer =
        retry.call(
            "reading the checksums of " + f.path() + " in " + uri.display(),
            () -> headWithChecksums(f),
            this::isPermanent,
            this::classify);
    if (answer.isEmpty()) {
      return withVerification(
          f, new Verification.SizeOnly("multipart ETag, and the store refuses checksum mode"));
    }
    Headers head = answer.get();
    String etag = head.first("ETag").orElse("");
    if (!S3Layout.unquote(etag).equals(S3Layout.unquote(f.version()))) {
      throw StorageException.integrity(
          f.path() + " of " + uri.display() + " changed while it was being listed: rerun");
    }
    return withVerification(
        f, MultipartVerification.choose(f.size(), f.version(), head, settings.verifyEtag()));
  }

  /** The HEAD, or empty from an older store that rejects the checksum-mode header itself. */
  private Optional<Headers> headWithChecksums(RemoteFile f) throws IOException {
    try {
      return Optional.of(client.head(uri.bucket(), f.locator(), quoted(f.version())));
    } catch (S3ResponseException e) {
      if (e.status() == 400 || e.status() == 501) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private static RemoteFile withVerification(RemoteFile f, Verification v) {
    return new RemoteFile(f.path(), f.size(), f.version(), v, f.locator(), f.seekable());
  }

  private List<S3Object> listAll(String prefix) {
    List<S3Object> objects = new ArrayList<>();
    String token = null;
    do {
      S3Xml.ListPage page = listPage(prefix, token, PAGE);
      objects.addAll(page.objects());
      token = page.nextContinuationToken();
    } while (token != null);
    return objects;
  }

  /**
   * The key itself if it exists (then only it), else the keys under {@code key/}. One listing of
   * the raw key usually answers both: the exact key sorts first, siblings such as {@code key-hf/}
   * come before {@code key/}, and the tree follows. Only when siblings fill the first page does a
   * second listing go straight to {@code key/}.
   */
  private List<S3Object> listUnderKey(String key) {
    String tree = key + "/";
    S3Xml.ListPage page = listPage(key, null, PAGE);
    List<S3Object> objects = new ArrayList<>();
    while (true) {
      for (S3Object o : page.objects()) {
        if (o.key().equals(key)) {
          return List.of(o);
        }
        if (o.key().startsWith(tree)) {
          objects.add(o);
        }
      }
      String token = page.nextContinuationToken();
      if (token == null || page.objects().isEmpty()) {
        return objects;
      }
      String last = page.objects().get(page.objects().size() - 1).key();
      if (last.startsWith(tree)) {
        page = listPage(key, token, PAGE);
      } else if (last.compareTo(tree) < 0) {
        objects.addAll(listAll(tree));
        return objects;
      } else {
        return objects;
      }
    }
  }

  private S3Xml.ListPage listPage(String prefix, @Nullable String token, int max) {
    return retry.call(
        "listing " + uri.display(),
        () -> client.list(uri.bucket(), prefix, token, max),
        this::isPermanent,
        this::classify);
  }

  @Override
  public RangeStream open(RemoteFile file, long start, long endExclusive) throws IOException {
    String ifMatch = file.version().isEmpty() ? null : quoted(file.version());
    HttpResponse response =
        client.getRange(uri.bucket(), file.locator(), start, endExclusive, ifMatch);
    try {
      // Some stores ignore If-Match: the answer's own ETag and total size must be the listed ones.
      if (!answers.accepts(response, file, start, endExclusive)) {
        throw new IOException(
            "expected 206 Partial Content for a ranged GET, got " + response.status());
      }
    } catch (IOException e) {
      response.close();
      throw e;
    }
    return new ResponseRangeStream(response, trustsMd5(response));
  }

  private static boolean trustsMd5(HttpResponse r) {
    String sse =
        r.headers().first("x-amz-server-side-encryption").orElse("").toLowerCase(Locale.ROOT);
    return !sse.startsWith("aws:kms")
        && r.headers().first("x-amz-server-side-encryption-customer-algorithm").isEmpty();
  }

  private static String quoted(String etag) {
    return etag.startsWith("\"") || etag.startsWith("W/") ? etag : "\"" + etag + "\"";
  }

  @Override
  public boolean isPermanent(IOException e) {
    return S3Failures.isPermanent(e);
  }

  @Override
  public StorageException classify(IOException e, String doing) {
    return failures.classify(e, doing);
  }
}
